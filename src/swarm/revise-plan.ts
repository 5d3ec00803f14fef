/**
 * `--revise-plan`: after a subtask fails, the planner may revise the part of the plan that has
 * not started. The llm decomposer (when it planned) gets the goal, what completed, the failure and
 * the not-started subtasks, and answers the new not-started part as strict JSON; the answer is
 * checked like any plan (shape, ids, dependencies, cycles, --max-subtasks, agents), gets one
 * repair try, and is routed. Otherwise, or when its answer cannot be used (said in the event's
 * notes), the heuristic revision: the failed subtask again with the router's runner-up agent
 * (`<id>-r1`), and the not-started subtasks that waited on it wait on the retry instead. No
 * runner-up, no revision. At most MAX_PLAN_REVISIONS per attempt, so a plan that keeps failing ends.
 *
 * The revision is an event (`plan-revised`) the executor logs before it takes effect; --resume
 * applies it again (plan-changes.ts), and the report shows the new subtasks with their reason.
 *
 * @example
 * const revise = planReviser({ route, maxSubtasks: 50 });
 * await executePlan(plan, { …, revise });
 */
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { isProgrammingError } from '../providers/faults.js';
import type { ModelClient } from '../runner/agent-loop.js';
import type { SubtaskOutcome } from './outcome.js';
import type { PlanRevised } from './plan-changes.js';
import { parsePlanFile } from './plan-file.js';
import type { RoutedPlan, RoutedSubtask } from './plan.js';
import { routePlan, type RouteContext } from './route-plan.js';
import { validatePlan } from './validate-plan.js';

/** Revisions per swarm attempt: a second opinion or two, not a loop that spends the budget on a goal that cannot be met. */
export const MAX_PLAN_REVISIONS = 3;
/** Characters of each completed subtask's answer in the revision prompt: enough to know what exists. */
const SUMMARY_CHARS = 300;
const REVISER_OUTPUT_TOKENS = 4_000;

export interface ReviseContext {
  route: Omit<RouteContext, 'locate'>;
  maxSubtasks: number;
  /** The llm decomposer's model and the fleet's agents; absent: heuristic revisions. */
  llm?: { model: ModelClient; agents: ReadonlyArray<{ id: string; description: string }> };
}

type Revise = (
  failed: RoutedSubtask,
  outcome: SubtaskOutcome,
  plan: RoutedPlan,
  notStarted: readonly string[],
  outcomes: ReadonlyMap<string, SubtaskOutcome>,
) => Promise<PlanRevised | undefined>;

export function planReviser(context: ReviseContext): Revise {
  let made = 0;
  return async (failed, outcome, plan, notStarted, outcomes) => {
    if (made >= MAX_PLAN_REVISIONS) return undefined;
    const why = `${failed.id} failed (${outcome.reason ?? outcome.stop_reason ?? 'unknown'})`;
    const notes: string[] = [];
    const revised =
      (context.llm ? await llmRevision(failed, why, plan, notStarted, outcomes, context, notes) : undefined) ??
      (await heuristicRevision(failed, why, plan, notStarted, context));
    if (!revised) return undefined;
    made++;
    return notes.length > 0 ? { ...revised, notes } : revised;
  };
}

async function heuristicRevision(
  failed: RoutedSubtask,
  why: string,
  plan: RoutedPlan,
  notStarted: readonly string[],
  context: ReviseContext,
): Promise<PlanRevised | undefined> {
  const tried = new Set(plan.subtasks.filter((subtask) => subtask.task === failed.task).map((subtask) => subtask.assignment.agent));
  let agent = failed.assignment.alternatives?.find((candidate) => !tried.has(candidate.id) && context.route.knows(candidate.id))?.id;
  if (agent === undefined && context.route.router) {
    const routed = await routePlan(
      { goal: plan.goal, source: plan.source, subtasks: [{ ...failed, agent: undefined, depends_on: [] }] },
      context.route,
    );
    const candidates = [
      routed.plan.subtasks[0]?.assignment.agent,
      ...(routed.plan.subtasks[0]?.assignment.alternatives ?? []).map((candidate) => candidate.id),
    ];
    agent = candidates.find((id): id is string => id != null && !tried.has(id));
  }
  if (agent === undefined) return undefined;
  const ids = new Set(plan.subtasks.map((subtask) => subtask.id));
  const base = failed.id.replace(/-r\d+$/, '');
  let id = `${base}-r1`;
  for (let n = 2; ids.has(id); n++) id = `${base}-r${n}`;
  const retry: RoutedSubtask = {
    id,
    task: failed.task,
    depends_on: [...failed.depends_on],
    files: [...failed.files],
    acceptance: [...failed.acceptance],
    ...(failed.reviewer ? { reviewer: failed.reviewer } : {}),
    reason: `revision: ${why}; tried again with ${agent}, the router's next choice`,
    assignment: { agent, source: 'routed', why: [`the router's next choice after ${failed.assignment.agent ?? 'no agent'} failed`] },
  };
  const waiting = plan.subtasks.filter((subtask) => notStarted.includes(subtask.id) && subtask.depends_on.includes(failed.id));
  const rewired = waiting.map((subtask) => ({
    ...subtask,
    depends_on: subtask.depends_on.map((dependency) => (dependency === failed.id ? id : dependency)),
  }));
  return {
    event: 'plan-revised',
    after: failed.id,
    source: 'heuristic',
    reason: retry.reason!,
    replaced: waiting.map((subtask) => subtask.id),
    subtasks: [retry, ...rewired],
  };
}

async function llmRevision(
  failed: RoutedSubtask,
  why: string,
  plan: RoutedPlan,
  notStarted: readonly string[],
  outcomes: ReadonlyMap<string, SubtaskOutcome>,
  context: ReviseContext,
  notes: string[],
): Promise<PlanRevised | undefined> {
  const llm = context.llm!;
  const executed = plan.subtasks.filter((subtask) => !notStarted.includes(subtask.id));
  const completed = executed.filter((subtask) => outcomes.get(subtask.id)?.state === 'completed');
  const messages: Array<{ role: 'user' | 'assistant'; content: string }> = [
    { role: 'user', content: revisionPrompt(failed, why, plan, notStarted, completed, outcomes, llm.agents) },
  ];
  for (let attempt = 1; attempt <= 2; attempt++) {
    let answer: string;
    try {
      answer = (await llm.model.generate({ system: SYSTEM, messages, maxOutputTokens: REVISER_OUTPUT_TOKENS, temperature: 0 })).text;
    } catch (error) {
      if (isProgrammingError(error)) throw error;
      notes.push(`the llm revision failed: ${(error as Error).message}; the heuristic revision is used`);
      return undefined;
    }
    const checked = await checkRevision(answer, executed, completed, context);
    if (checked.subtasks) {
      return {
        event: 'plan-revised',
        after: failed.id,
        source: 'llm',
        reason: `revision: ${why}; the planner revised the ${notStarted.length} subtask(s) that had not started`,
        replaced: [...notStarted],
        subtasks: checked.subtasks,
      };
    }
    messages.push(
      { role: 'assistant', content: answer },
      {
        role: 'user',
        content: `That answer cannot be used:\n${checked.problems.map((p) => `- ${p}`).join('\n')}\nAnswer again with the corrected JSON only.`,
      },
    );
    if (attempt === 2) notes.push(`the llm revision could not be used (${checked.problems.join('; ')}); the heuristic revision is used`);
  }
  return undefined;
}

const SYSTEM =
  'You revise the remaining plan of a swarm of coding agents after a subtask failed. Answer with JSON only, no prose, no code fences.';

function revisionPrompt(
  failed: RoutedSubtask,
  why: string,
  plan: RoutedPlan,
  notStarted: readonly string[],
  completed: readonly RoutedSubtask[],
  outcomes: ReadonlyMap<string, SubtaskOutcome>,
  agents: ReadonlyArray<{ id: string; description: string }>,
): string {
  const remaining = plan.subtasks
    .filter((subtask) => notStarted.includes(subtask.id))
    .map(({ id, task, depends_on, files, acceptance, assignment }) => ({
      id,
      task,
      agent: assignment.agent,
      depends_on,
      files,
      acceptance,
    }));
  return [
    `Goal: ${plan.goal}`,
    `Agents:\n${agents
      .slice(0, 200)
      .map((agent) => `- ${agent.id}: ${agent.description.replace(/\s+/g, ' ').slice(0, 160)}`)
      .join('\n')}`,
    `Completed:\n${completed.map((subtask) => `- ${subtask.id} (${subtask.assignment.agent}): ${subtask.task} → ${(outcomes.get(subtask.id)?.summary ?? '').replace(/\s+/g, ' ').slice(0, SUMMARY_CHARS)}`).join('\n') || '(none)'}`,
    `Failed: ${failed.id} (${failed.assignment.agent}): ${failed.task}. ${why}.`,
    `Not started yet: ${JSON.stringify(remaining)}`,
    `Answer {"subtasks": [{"id", "task", "agent"?, "depends_on"?, "files"?, "acceptance"?}]}: the new not-started part of the plan. Keep, change, drop or add subtasks; a new id must not be one of ${plan.subtasks
      .filter((subtask) => !notStarted.includes(subtask.id))
      .map((subtask) => subtask.id)
      .join(', ')}; depends_on names completed subtasks or subtasks of your answer.`,
  ].join('\n\n');
}

async function checkRevision(
  answer: string,
  executed: readonly RoutedSubtask[],
  completed: readonly RoutedSubtask[],
  context: ReviseContext,
): Promise<{ subtasks?: RoutedSubtask[]; problems: string[] }> {
  const text = answer
    .trim()
    .replace(/^```(?:json)?\s*\n?/, '')
    .replace(/\n?```$/, '');
  const parsed = text.startsWith('{') ? parsePlanFile(text, 'revision answer') : { diagnostics: [] as Diagnostic[] };
  const errors = (list: Diagnostic[]) => list.filter((entry) => entry.severity === 'error').map((entry) => entry.message);
  if (!parsed.plan || hasErrors(parsed.diagnostics))
    return { problems: parsed.plan ? errors(parsed.diagnostics) : ['the answer is not a JSON object with subtasks'] };
  const problems: string[] = [];
  const taken = new Set(executed.map((subtask) => subtask.id));
  const done = new Set(completed.map((subtask) => subtask.id));
  for (const subtask of parsed.plan.subtasks) {
    if (taken.has(subtask.id)) problems.push(`subtask id "${subtask.id}" is taken by a subtask that already ran`);
    for (const dependency of subtask.depends_on)
      if (taken.has(dependency) && !done.has(dependency))
        problems.push(`subtask "${subtask.id}" depends on "${dependency}", which did not complete`);
    if (subtask.agent !== undefined && !context.route.knows(subtask.agent))
      problems.push(`subtask "${subtask.id}" names agent "${subtask.agent}", which is not in the list`);
  }
  problems.push(...errors(validatePlan({ subtasks: [...executed, ...parsed.plan.subtasks] }, { maxSubtasks: context.maxSubtasks })));
  if (problems.length > 0) return { problems };
  const routed = await routePlan(
    {
      goal: '',
      source: 'llm',
      subtasks: parsed.plan.subtasks.map((subtask) => ({
        ...subtask,
        reason: subtask.reason ?? 'revision: proposed by the planner after a failure',
      })),
    },
    context.route,
  );
  const unrouted = routed.plan.subtasks
    .filter((subtask) => subtask.assignment.agent === null)
    .map((subtask) => `no agent for subtask "${subtask.id}"`);
  return unrouted.length > 0 ? { problems: unrouted } : { subtasks: routed.plan.subtasks, problems: [] };
}
