/**
 * `codex-flow run --dry-run`: what would run, and under which rules, without running anything —
 * the agent and why it was chosen, the tools it may use (and those it may not, with the reason),
 * the provider chain, its limits (and which are enforced by the OS), hooks and memory.
 *
 * @example
 * const plan = taskPlan(prepared, { options, providers: ['openai', 'ollama'], memoryStore: 'file', access });
 * io.stdout(formatPlans([plan]));
 */
import type { PreparedTask } from './execute-task.js';
import type { MemoryAccess } from './memory/policy.js';
import type { RunnerOptions } from './options.js';
import type { ShellLimits } from './process.js';
import { shellLimits, type TaskRules } from './execute-task.js';
import type { MemberEvidence } from '../providers/tier-rank.js';

export interface TaskPlan {
  index: number;
  task: string;
  files: string[];
  agent: string;
  alias: string;
  overridden: boolean;
  why: string[];
  alternatives: Array<{ id: string; score: number }>;
  tools: { offered: string[]; unavailable: Array<{ name: string; reason: string }>; restricted: string[] };
  providers: string[];
  /** The brief's `model:` and what each provider of the chain runs for it. */
  model: { requested: string; per_provider: PlannedModel[] };
  /** The agent's workload tier and how its chain's members were ordered (providers.tiers). */
  tier?: PlannedTier;
  /** Learned rules the agent's prompt would get (codex-flow rules). */
  rules: Array<{ id: string; text: string }>;
  limits: {
    timeout_ms: number;
    max_steps: number;
    max_parallel_tasks: number;
    queue_strategy: string;
    max_queued: number;
    resource_limits: { cpu: number; memory_mb: number; disk_mb: number };
    /** Limits the OS enforces on tool and hook processes (empty when every limit is advisory). */
    os_enforced: string[];
  };
  hooks: { pre_task: string[]; post_task: string[]; failure: string[] };
  memory: { store: string; readable: string[]; short_term: string; long_term: string };
}

export interface PlannedModel {
  provider: string;
  model: string;
  source: 'default' | 'mapped' | 'passthrough';
  note?: string;
}

export interface PlannedTier {
  workload: string;
  /** How the order was chosen: the configured order, the ranking formula, or the run's chain. */
  choice: string;
  members: Array<{ provider: string; model?: string; why: string; evidence?: MemberEvidence }>;
}

/** The chain an agent's tier runs on, as the plan shows it (ProviderChain.forWorkload). */
export interface TierPlanSource {
  (definition: PreparedTask['target']['definition']): { tier: PlannedTier; providers: string[]; per_provider: PlannedModel[] };
}

export interface PlanContext {
  rules?: Pick<TaskRules, 'rulesFor'>;
  /** Per agent, its tier and the chain that tier runs on; wins over `providers` and `modelsFor`. */
  tierOf?: TierPlanSource;
  options: RunnerOptions;
  providers: string[];
  /** The model each provider runs for a brief's `model:` (ProviderChain.modelsFor). */
  modelsFor?: (model: string | undefined) => PlannedModel[];
  memoryStore: 'file' | 'redis' | 'none';
  access: MemoryAccess;
}

export function taskPlan(task: PreparedTask, context: PlanContext): TaskPlan {
  const { definition, alias, lane, overridden } = task.target;
  const { runtime, hooks, memory } = definition;
  const tiered = context.tierOf?.(definition);
  return {
    index: task.index,
    task: task.task,
    files: task.files,
    agent: definition.agent.id,
    alias,
    overridden,
    why: task.route
      ? [`routed (${task.route.stages.join('+') || 'fallback'}, score ${task.route.score.toFixed(3)})`, ...task.route.why]
      : ['named on the command line or in the task'],
    alternatives: task.route?.alternatives ?? [],
    tools: { offered: task.tools.offered.map((tool) => tool.name), unavailable: task.tools.unavailable, restricted: task.tools.restricted },
    providers: tiered?.providers ?? context.providers,
    model: {
      requested: definition.agent.model || 'inherit',
      per_provider: tiered?.per_provider ?? context.modelsFor?.(definition.agent.model) ?? [],
    },
    ...(tiered ? { tier: tiered.tier } : {}),
    rules: (context.rules?.rulesFor(definition.agent.id) ?? []).map((rule) => ({ id: rule.id, text: rule.text })),
    limits: {
      timeout_ms: runtime.timeout_ms,
      max_steps: runtime.execution_mode === 'single-shot' ? 1 : runtime.max_steps,
      max_parallel_tasks: lane.limit,
      queue_strategy: lane.strategy,
      max_queued: lane.maxQueued,
      resource_limits: { ...runtime.resource_limits },
      os_enforced: enforced(shellLimits(task.target, context.options)),
    },
    hooks: {
      pre_task: hooks.pre_task.map((hook) => hook.run),
      post_task: hooks.post_task.map((hook) => hook.run),
      failure: hooks.failure.map((hook) => hook.run),
    },
    memory: {
      store: context.memoryStore,
      readable: context.memoryStore === 'none' ? [] : context.access.readable(definition.agent.id),
      short_term: memory.retention.short_term,
      long_term: memory.retention.long_term,
    },
  };
}

function modelText(planned: PlannedModel): string {
  const how = planned.source === 'default' ? ` (provider default${planned.note ? `: ${planned.note}` : ''})` : '';
  return `${planned.provider} ${planned.model}${how}`;
}

function enforced(limits: ShellLimits): string[] {
  const out: string[] = [];
  if (limits.memoryMb !== undefined) out.push(`address space ${limits.memoryMb} MB (ulimit -v)`);
  if (limits.cpuSeconds !== undefined) out.push(`CPU time ${Math.ceil(limits.cpuSeconds)} s (ulimit -t)`);
  if (limits.fileMb !== undefined) out.push(`file size ${limits.fileMb} MB (ulimit -f)`);
  return out;
}

/** The plans as text for people. */
export function formatPlans(plans: readonly TaskPlan[]): string {
  const lines: string[] = [];
  for (const plan of plans) {
    if (lines.length > 0) lines.push('');
    lines.push(`task ${plan.index + 1}: ${plan.task || '(files only)'}`);
    lines.push(
      `  agent     ${plan.agent}${plan.alias !== plan.agent ? ` (alias ${plan.alias}${plan.overridden ? ', with overrides' : ''})` : ''}`,
    );
    lines.push(...plan.why.map((line, at) => `  ${at === 0 ? 'why      ' : '         '} ${line}`));
    if (plan.alternatives.length > 0)
      lines.push(`  also      ${plan.alternatives.map((a) => `${a.id} (${a.score.toFixed(3)})`).join(', ')}`);
    lines.push(`  tools     ${plan.tools.offered.join(', ') || '(none)'}`);
    for (const tool of plan.tools.unavailable) lines.push(`            not offered: ${tool.name} — ${tool.reason}`);
    if (plan.tools.restricted.length > 0) lines.push(`            restricted: ${plan.tools.restricted.join(', ')}`);
    if (plan.tier) {
      lines.push(`  tier      ${plan.tier.workload}: ${plan.tier.choice}`);
      for (const [index, member] of plan.tier.members.entries())
        lines.push(
          `            ${member.evidence ? `ranked ${ordinal(index + 1)}: ` : ''}${member.provider}${member.model ? `:${member.model}` : ''} — ${member.why}`,
        );
    }
    lines.push(`  providers ${plan.providers.join(' → ') || '(none configured)'}`);
    if (plan.model.per_provider.length > 0)
      lines.push(`  model     ${plan.model.requested}: ${plan.model.per_provider.map(modelText).join(' · ')}`);
    const l = plan.limits;
    lines.push(
      `  limits    timeout ${l.timeout_ms} ms, ${l.max_steps} steps, ${l.max_parallel_tasks} parallel (${l.queue_strategy}, ${l.max_queued} queued max)`,
    );
    lines.push(
      `            cpu ${l.resource_limits.cpu}, memory ${l.resource_limits.memory_mb} MB, disk ${l.resource_limits.disk_mb} MB; enforced on tool processes: ${l.os_enforced.join(', ') || 'none (advisory)'}`,
    );
    for (const phase of ['pre_task', 'post_task', 'failure'] as const)
      if (plan.hooks[phase].length > 0) lines.push(`  ${phase.padEnd(9)} ${plan.hooks[phase].join(' ; ')}`);
    for (const [at, rule] of plan.rules.entries()) lines.push(`  ${at === 0 ? 'rules    ' : '         '} ${rule.id} ${rule.text}`);
    lines.push(
      `  memory    ${plan.memory.store}${plan.memory.readable.length > 0 ? `: reads ${plan.memory.readable.join(', ')}` : ''} (ttl ${plan.memory.short_term} / ${plan.memory.long_term})`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** 1st, 2nd, 3rd, 4th … (a chain is a handful of members; 11th–13th never occur, but are right anyway). */
function ordinal(position: number): string {
  const teen = position % 100 >= 11 && position % 100 <= 13;
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][position % 10] ?? 'th');
  return `${position}${suffix}`;
}
