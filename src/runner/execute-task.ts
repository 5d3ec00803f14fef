/**
 * One task from start to finish, once the scheduler has given it a slot: deadline, span,
 * pre_task hooks, memory context, the agent loop, post_task or failure hooks, memory, then the
 * task's log line, outcome and `task-end` event. Every step that can fail is caught and becomes
 * part of the result; this function never throws for a task's failure.
 */
import { hashBytes } from '../util/hash.js';
import type { Redactor } from '../providers/redact.js';
import { emptyLoopResult, modelForAgent, runAgentLoop, type LoopResult, type ModelClient, type StopReason } from './agent-loop.js';
import type { AgentDefinition } from '../schema/definition.js';
import { stopOf, taskController, untilAborted } from './abort.js';
import { runHooks, type HookPhase, type HookRun } from './hooks.js';
import { autonomyGate, type Approver } from './autonomy.js';
import { learningStopReason, outcomeOfTask } from './task-result.js';
import type { RunIsolation } from './isolation.js';
import type { AgentMemory } from './memory/agent-memory.js';
import type { RunnerOptions } from './options.js';
import type { OutcomeSink } from '../learn/outcome.js';
import type { ShellLimits } from './process.js';
import type { RecordSink } from './run-record.js';
import type { Telemetry, TaskLine } from './telemetry.js';
import type { Target } from './aliases.js';
import { childEnvironment, type ToolPlan } from './tools/policy.js';
import type { Workspace } from './tools/workspace.js';

/** Characters of the final answer remembered per task: a summary for later context, not an archive. */
const MEMORY_SUMMARY_CHARS = 2_000;
/** CF_TOOL_INPUT is set only up to this many UTF-8 bytes: Linux refuses to start a process with an
 * environment string over 128 KiB. The whole input is always on the approve hook's stdin. */
const APPROVE_INPUT_ENV_BYTES = 32 * 1024;
/**
 * How long `failure` hooks may run past the task's deadline: a timed-out task still gets its
 * cleanup or notification, and the grace is the only time a task spends past `timeout_ms`.
 */
export const FAILURE_HOOK_GRACE_MS = 5_000;

export interface PreparedTask {
  index: number;
  id?: string;
  task: string;
  files: string[];
  prompt?: string;
  target: Target;
  tools: ToolPlan;
  route?: { route_id: string; score: number; stages: string[]; why: string[]; alternatives: Array<{ id: string; score: number }> };
}

/** What the runner needs of the learned rules (src/learn/rules.ts RuleBook). */
export interface TaskRules {
  promptFor(agent: string): string;
  rulesFor(agent: string): ReadonlyArray<{ id: string; text: string }>;
  observe(task: { agent: string; task_hash: string; ok: boolean; stop_reason: string; error?: string | undefined }): {
    hint?: unknown;
    promoted?: { id: string; text: string };
  };
}

/** What the runner needs of the alert monitor (src/learn/alerts.ts). */
export interface TaskAlerts {
  taskEnded(definition: AgentDefinition, task: { ok: boolean; stop_reason: string }): unknown;
  heartbeat(key: string, definition: AgentDefinition): void;
  taskStopped(key: string): void;
  checkHeartbeats(): unknown;
}

export interface TaskServices {
  runId: string;
  root: string;
  options: RunnerOptions;
  model: ModelClient;
  workspace: Workspace;
  /** The run's one redactor: what the task stores (memory) passes it as the record does. */
  redactor?: Redactor;
  /** The runner's own environment: never handed to a child whole (see `childEnvironment`). */
  parentEnv: Record<string, string | undefined>;
  record: RecordSink;
  telemetry: Telemetry;
  outcomes: OutcomeSink;
  memoryFor?: (agent: string) => AgentMemory | undefined;
  /** Learned rules: a prompt section per agent, and every finished task to learn from. */
  rules?: TaskRules;
  /** Escalation on `metrics.thresholds` crossings (src/learn/alerts.ts AlertMonitor). */
  alerts?: TaskAlerts;
  strictTools: boolean;
  /** Sandbox and process cap of commands, per agent; absent runs them unisolated. */
  isolation?: RunIsolation;
  onText?: (task: PreparedTask, text: string) => void;
  /** Receives a bug of ours that ended a task; the CLI rethrows it after the run (exit 70). */
  onInternalError?: (error: Error) => void;
  signal?: AbortSignal;
  clock: () => number;
}

export interface TaskResult extends Omit<LoopResult, 'stop_reason'> {
  index: number;
  id?: string;
  agent: string;
  alias: string;
  task_hash: string;
  stop_reason: StopReason | 'rejected' | 'invalid';
  ms: number;
  hooks: Array<Omit<HookRun, 'stdout' | 'stderr'>>;
  route?: PreparedTask['route'];
  /** Memory calls that failed (present only when one did): a lost write fails the run's exit code. */
  memory_errors?: MemoryError[];
}

export interface MemoryError {
  op: 'read' | 'write';
  error: string;
}

/**
 * sha256 of (agent id, task text, files sorted): the same task to the same agent, the same hash.
 *
 * @example taskHash('debugger', 'fix the flaky login test', ['b.ts', 'a.ts']) === taskHash('debugger', 'fix the flaky login test', ['a.ts', 'b.ts']); // true
 */
export function taskHash(agent: string, task: string, files: readonly string[]): string {
  return hashBytes(JSON.stringify([agent, task, [...files].sort()]));
}

/** OS limits for tool processes from resource_limits, as far as runner.limits enforces them. */
export function shellLimits(target: Target, options: RunnerOptions): ShellLimits {
  const { resource_limits, timeout_ms } = target.definition.runtime;
  const limits: ShellLimits = {};
  if (options.limits.memory) limits.memoryMb = resource_limits.memory_mb;
  if (options.limits.cpuTime) limits.cpuSeconds = resource_limits.cpu * (timeout_ms / 1000);
  if (options.limits.disk) limits.fileMb = resource_limits.disk_mb;
  return limits;
}

export async function executeTask(prepared: PreparedTask, services: TaskServices): Promise<TaskResult> {
  const { definition, alias } = prepared.target;
  const agent = definition.agent.id;
  const started = services.clock();
  const hash = taskHash(agent, prepared.task, prepared.files);
  const control = taskController(definition.runtime.timeout_ms, services.signal);
  const remainingMs = () => Math.max(0, control.deadline - Date.now());
  const emit = (event: Record<string, unknown>) => services.record.event({ task: prepared.index, agent, alias, ...event });
  const span = services.telemetry.startSpan(definition, { alias, task_hash: hash, run_id: services.runId });
  const limits = shellLimits(prepared.target, services.options);
  const passed = [...services.options.env.pass, ...(services.options.env.agents[agent] ?? [])];
  const toolEnv = childEnvironment(services.parentEnv, passed);
  const envWith = (names: readonly string[]) => childEnvironment(services.parentEnv, [...passed, ...names]);
  const hookVars = {
    CF_RUN_ID: services.runId,
    CF_RUN_DIR: services.record.dir ?? '',
    CF_AGENT_ID: agent,
    CF_ALIAS: alias,
    CF_TASK: prepared.task,
    CF_TASK_HASH: hash,
    CF_WORKSPACE: services.workspace.root,
  };
  const hooks: TaskResult['hooks'] = [];
  const memoryErrors: MemoryError[] = [];
  const isolation = services.isolation?.forAgent(agent);
  const runPhase = async (
    phase: Exclude<HookPhase, 'approve_tool'>,
    vars: Record<string, string>,
    signal: AbortSignal | undefined,
    deadline: number,
  ) => {
    const list = definition.hooks[phase];
    if (list.length === 0) return false;
    const { blocked, runs } = await runHooks(phase, list, {
      cwd: services.workspace.root,
      env: envWith(services.options.env.hooks),
      vars: { ...hookVars, ...vars },
      maxTimeoutMs: services.options.hookTimeoutMs,
      maxOutputBytes: services.options.tools.maxOutputBytes,
      limits,
      deadline,
      ...(signal ? { signal } : {}),
      ...(isolation ? { isolation } : {}),
    });
    for (const run of runs) {
      emit({ event: 'hook-result', ...run });
      if (run.control_violations) emit({ event: 'control-path-violation', phase, run: run.run, violations: run.control_violations });
      const { stdout: _out, stderr: _err, ...summary } = run;
      hooks.push(summary);
    }
    return blocked;
  };
  // runner.hooks.approve: asked about each call below the autonomy level, under the task's deadline.
  const approve: Approver | undefined =
    services.options.approveHooks.length === 0
      ? undefined
      : async ({ tool, input, level, needed }) => {
          const json = JSON.stringify(input) ?? '';
          const { blocked, runs } = await runHooks('approve_tool', services.options.approveHooks, {
            cwd: services.workspace.root,
            env: envWith(services.options.env.hooks),
            stdin: json,
            vars: {
              ...hookVars,
              CF_TOOL: tool,
              ...(Buffer.byteLength(json) <= APPROVE_INPUT_ENV_BYTES ? { CF_TOOL_INPUT: json } : {}),
              CF_AUTONOMY: String(level),
              CF_AUTONOMY_NEEDED: String(needed),
            },
            maxTimeoutMs: services.options.hookTimeoutMs,
            maxOutputBytes: services.options.tools.maxOutputBytes,
            limits,
            deadline: control.deadline,
            signal: control.signal,
            ...(isolation ? { isolation } : {}),
          });
          for (const run of runs) {
            const { stdout: _out, stderr: _err, ...summary } = run;
            emit({ event: 'hook-result', ...summary, tool });
          }
          const unstarted = runs.find((run) => run.unstarted);
          if (blocked && unstarted)
            return { refused: `the runner.hooks.approve hook \`${unstarted.run}\` could not be started (exit 127)` };
          return !blocked;
        };
  emit({
    event: 'task-start',
    task_hash: hash,
    timeout_ms: definition.runtime.timeout_ms,
    tools: prepared.tools.offered.map((tool) => tool.name),
  });
  // runtime.heartbeat_interval_ms: a `task-heartbeat` event while the task runs, so a reader of the
  // record can tell a long task from a dead runner.
  const watchKey = `${services.runId}:${prepared.index}`;
  services.alerts?.heartbeat(watchKey, definition);
  const heartbeat = setInterval(() => {
    emit({ event: 'task-heartbeat', elapsed_ms: Math.round(services.clock() - started) });
    services.alerts?.heartbeat(watchKey, definition);
    services.alerts?.checkHeartbeats();
  }, definition.runtime.heartbeat_interval_ms);
  heartbeat.unref();
  let loop: LoopResult;
  try {
    if (await runPhase('pre_task', {}, control.signal, control.deadline)) {
      loop = emptyLoopResult('blocked', 'a pre_task hook exited 2');
    } else {
      const memory = services.memoryFor?.(agent);
      const context = await memoryContext(memory, services, control.signal, memoryErrors, emit);
      loop = await runAgentLoop({
        definition,
        system: [definition.prompt.system, services.rules?.promptFor(agent), context].filter(Boolean).join('\n\n'),
        user: userMessage(prepared),
        model: modelForAgent(services.model, definition),
        tools: prepared.tools,
        autonomy: autonomyGate(agent, definition.runtime.autonomy_level, approve),
        strictTools: services.strictTools,
        signal: control.signal,
        remainingMs,
        emit,
        toolContext: {
          workspace: services.workspace,
          signal: control.signal,
          options: services.options.tools,
          limits,
          env: toolEnv,
          envWith,
          remainingMs,
          todos: [],
          strictTools: services.strictTools,
          ...(isolation ? { isolation } : {}),
        },
        ...(services.onText ? { onText: (text: string) => services.onText!(prepared, text) } : {}),
      });
      if (memory) await remember(memory, prepared, hash, loop, services.signal, memoryErrors, emit, services.redactor);
    }
  } catch (error) {
    // A bug of ours fails this task, not the whole run, and is reported as internal, never as the
    // agent's or a provider's failure.
    const bug = error instanceof Error ? error : new Error(String(error));
    emit({ event: 'task-error', internal: true, error: bug.message });
    services.onInternalError?.(bug);
    loop = emptyLoopResult('internal-error', `internal error: ${bug.message}`);
  } finally {
    clearInterval(heartbeat);
  }
  // post_task hooks are part of the task: they run under its deadline, and a task that is past
  // its deadline once they are done has timed out, whatever the model said.
  if (loop.ok) {
    await runPhase('post_task', { CF_OK: '1', CF_STOP_REASON: loop.stop_reason }, control.signal, control.deadline);
    loop = pastDeadline(loop, control);
  }
  control.dispose();
  // failure hooks get the run's signal and a short grace past the deadline: a timed-out task still runs them.
  if (!loop.ok && loop.stop_reason !== 'blocked')
    await runPhase('failure', { CF_OK: '0', CF_STOP_REASON: loop.stop_reason }, services.signal, control.deadline + FAILURE_HOOK_GRACE_MS);
  const ms = Math.max(0, Math.round(services.clock() - started));
  const result: TaskResult = { ...loop, index: prepared.index, agent, alias, task_hash: hash, ms, hooks };
  if (prepared.id !== undefined) result.id = prepared.id;
  if (prepared.route) result.route = prepared.route;
  if (memoryErrors.length > 0) result.memory_errors = memoryErrors;
  learnRules(services, result, emit);
  services.alerts?.taskStopped(watchKey);
  const alert = services.alerts?.taskEnded(definition, { ok: result.ok, stop_reason: learningStopReason(result) }) as
    { event: string; reason: string } | undefined;
  if (alert) emit({ event: alert.event, metric: 'failure_rate_pct', reason: alert.reason });
  await report(result, definition, span, services, emit);
  return result;
}

/** Feeds the finished task to the learned rules; a rules file that cannot be written costs the lesson, never the task. */
function learnRules(services: TaskServices, result: TaskResult, emit: (event: Record<string, unknown>) => void): void {
  if (!services.rules) return;
  try {
    const learned = services.rules.observe({
      agent: result.agent,
      task_hash: result.task_hash,
      ok: result.ok,
      stop_reason: learningStopReason(result),
      error: result.error,
    });
    if (learned.promoted) emit({ event: 'rule-promoted', rule: learned.promoted.id, text: learned.promoted.text });
    else if (learned.hint) emit({ event: 'hint-recorded' });
  } catch (error) {
    emit({ event: 'rules-error', error: (error as Error).message });
  }
}

/** A completed loop whose task went past its deadline (in a memory write or a post_task hook) timed out. */
function pastDeadline(loop: LoopResult, control: { signal: AbortSignal; deadline: number }): LoopResult {
  const over = control.signal.aborted || Date.now() >= control.deadline;
  if (!loop.ok || !over) return loop;
  const stop = control.signal.aborted ? stopOf(control.signal) : 'timeout';
  return {
    ...loop,
    ok: false,
    stop_reason: stop,
    error:
      stop === 'timeout' ? 'the task went past its timeout_ms after the model answered' : 'the run was cancelled after the model answered',
  };
}

function userMessage(task: PreparedTask): string {
  const parts = [task.task];
  if (task.files.length > 0) parts.push(`Files:\n${task.files.map((file) => `- ${file}`).join('\n')}`);
  if (task.prompt) parts.push(`Context:\n${task.prompt}`);
  return parts.join('\n\n');
}

/**
 * The memory context for the prompt, bounded by the task's deadline (the store bounds each call
 * too). A failed read is a warning: the task runs without context.
 */
async function memoryContext(
  memory: AgentMemory | undefined,
  services: TaskServices,
  signal: AbortSignal,
  errors: MemoryError[],
  emit: (event: Record<string, unknown>) => void,
): Promise<string> {
  if (!memory) return '';
  try {
    const context = await untilAborted(memory.context(services.options.memory.contextEntries), signal);
    emit({ event: 'memory-read', entries: context.entries, namespaces: context.namespaces });
    return context.text;
  } catch (error) {
    const message = signal.aborted ? 'the task reached its deadline while reading memory' : (error as Error).message;
    errors.push({ op: 'read', error: message });
    emit({ event: 'memory-error', op: 'read', error: message });
    return '';
  }
}

/**
 * Remembers the finished task. It runs after the task's own deadline may have passed (a timed-out
 * task is remembered too), so it is bounded by the run's signal and the store's command timeout.
 * A failed write is recorded: the caller turns it into an error the run's exit code shows.
 */
async function remember(
  memory: AgentMemory,
  task: PreparedTask,
  hash: string,
  loop: LoopResult,
  signal: AbortSignal | undefined,
  errors: MemoryError[],
  emit: (event: Record<string, unknown>) => void,
  redactor?: Redactor,
): Promise<void> {
  try {
    const entry = { task: task.task, ok: loop.ok, stop_reason: loop.stop_reason, summary: loop.text.slice(0, MEMORY_SUMMARY_CHARS) };
    const write = memory.write(hash, redactor ? redactor.value(entry) : entry);
    const written = await (signal ? untilAborted(write, signal) : write);
    emit({ event: 'memory-write', ok: written.ok, ...(written.reason ? { reason: written.reason } : {}) });
  } catch (error) {
    const message = signal?.aborted ? 'the run was stopped while writing memory' : (error as Error).message;
    errors.push({ op: 'write', error: message });
    emit({ event: 'memory-error', op: 'write', error: message });
  }
}

/** The task's JSON log line (also written for tasks rejected before they ran). */
export function taskLineOf(result: TaskResult, runId: string, at: string): TaskLine {
  return {
    at,
    run_id: runId,
    agent: { id: result.agent },
    alias: result.alias,
    task_hash: result.task_hash,
    ms: result.ms,
    ok: result.ok,
    stop_reason: result.stop_reason,
    provider: result.provider,
    model: result.model,
    tokens: result.usage,
    cost_usd: result.cost_usd,
    steps: result.steps,
    retries: result.retries,
    tool_calls: result.tool_calls,
    tool_refusals: result.tool_refusals,
    tool_errors: result.tool_errors,
  };
}

async function report(
  result: TaskResult,
  definition: Target['definition'],
  span: ReturnType<Telemetry['startSpan']>,
  services: TaskServices,
  emit: (event: Record<string, unknown>) => void,
): Promise<void> {
  const at = new Date(services.clock()).toISOString();
  const line = taskLineOf(result, services.runId, at);
  services.telemetry.endSpan(span, line);
  emit({
    event: 'task-end',
    ok: result.ok,
    stop_reason: result.stop_reason,
    ms: result.ms,
    tool_refusals: result.tool_refusals,
    ...(result.error ? { error: result.error } : {}),
  });
  try {
    await services.telemetry.taskLine(definition, line);
    // Our bug says nothing about the agent: learning does not hear of it (no outcome).
    const outcome = outcomeOfTask(result, at);
    if (outcome) await services.outcomes.record(outcome);
  } catch (error) {
    emit({ event: 'report-error', error: (error as Error).message });
  }
}
