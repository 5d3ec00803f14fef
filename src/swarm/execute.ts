/**
 * Runs a routed plan as a DAG through the runner. A subtask starts once every dependency has
 * completed; independent subtasks run in parallel, at most `maxParallel` in flight across the
 * swarm, and below that each alias's own `max_parallel_tasks` and queue (the runner's scheduler)
 * decide when it really starts. A subtask whose dependency failed or was skipped is skipped, with
 * the reason, and so are its own dependents; nothing else is held up.
 *
 * Every state change is logged before it takes effect (`subtask-started` before the task is
 * handed to the runner, `subtask-result` as soon as its work is back, `subtask-finished`/`-failed`/
 * `-skipped` before dependents see it), so `--resume` never runs a finished subtask again.
 * Subtasks finished in an earlier attempt come in as `done`, results recorded without a finish
 * line as `recorded`. Once `signal` aborts, nothing new starts; what never started is `not-run`.
 *
 * The plan can change while it runs (plan-changes.ts): once a subtask ends, and before its
 * dependents see the end, follow-ups its outcome calls for join the plan, and after a failure
 * `revise` may replace the subtasks that have not started. The plan as it ended is returned.
 *
 * @example
 * const { outcomes, plan: ran } = await executePlan(plan, { runner, log, swarmId, maxParallel: 4, contextChars: 6000, changed });
 */
import { isAgentsOwn } from '../learn/state.js';
import type { TaskResult } from '../runner/execute-task.js';
import type { FollowUpRule } from '../fleet/follow-ups.js';
import type { SubtaskOutcomes } from './subtask-outcomes.js';
import type { HandoffRecorder } from '../learn/handoffs.js';
import type { ChangedFiles } from './changed-files.js';
import type { SwarmLog } from './event-log.js';
import { followUpsAfterOutcome } from './follow-ups.js';
import { idleOutcome, type SubtaskOutcome } from './outcome.js';
import { applyPlanChange, type PlanChange, type PlanRevised } from './plan-changes.js';
import type { RoutedPlan, RoutedSubtask } from './plan.js';
import { learnFrom, runSubtaskSafely, type RecordedResult, type SubtaskRunner, type SubtaskServices } from './run-subtask.js';

export type { SubtaskRunner } from './run-subtask.js';

export interface ExecuteInput {
  runner: SubtaskRunner;
  log: SwarmLog;
  swarmId: string;
  maxParallel: number;
  contextChars: number;
  /** Times a reviewer's `fail` sends the work back (0: a failed review fails the subtask at once). */
  maxRevisions?: number;
  changed: ChangedFiles;
  /** Outcomes of subtasks completed in an earlier attempt (`--resume`). */
  done?: ReadonlyMap<string, SubtaskOutcome>;
  /** Completed work results an earlier attempt logged without a finish line (`--resume`): not run again. */
  recorded?: ReadonlyMap<string, RecordedResult>;
  /** The runner's record folder, named in each outcome. */
  run?: string;
  signal?: AbortSignal;
  /** Records each subtask's own learning outcome once it ends (one per subtask, after its finish line). */
  outcomes?: SubtaskOutcomes;
  /** Told once per subtask whose dependency context was shortened (CF8114). */
  onShortened?: (id: string) => void;
  /** Follow-up rules matched on each completed subtask's outcome; absent: none scheduled while running. */
  followUps?: { rules: readonly FollowUpRule[]; maxSubtasks: number };
  /** `--revise-plan`: a revision of the not-started subtasks after `failed` failed, or none. */
  revise?: (
    failed: RoutedSubtask,
    outcome: SubtaskOutcome,
    plan: RoutedPlan,
    notStarted: readonly string[],
    outcomes: ReadonlyMap<string, SubtaskOutcome>,
  ) => Promise<PlanRevised | undefined>;
  /** Workspace snapshots around Bash-capable work (run-subtask.ts). */
  workspace?: SubtaskServices['workspace'];
  /** Records each ended subtask's hand-offs (its dependencies' agents → its agent) with how its work went (learn/handoffs.ts). */
  handoffs?: HandoffRecorder;
}

export interface ExecuteResult {
  outcomes: Map<string, SubtaskOutcome>;
  results: TaskResult[];
  /** Bugs of codex-flow that failed a subtask (`internal-error`): the CLI exits 70 once the report is written. */
  internalErrors: Error[];
  /** The plan as it ended: with the follow-ups scheduled and the revisions made while it ran. */
  plan: RoutedPlan;
}

export async function executePlan(initial: RoutedPlan, input: ExecuteInput): Promise<ExecuteResult> {
  let plan = initial;
  const outcomes = new Map<string, SubtaskOutcome>(input.done ?? []);
  const results: TaskResult[] = [];
  const internalErrors: Error[] = [];
  const services: SubtaskServices = {
    runner: input.runner,
    log: input.log,
    swarmId: input.swarmId,
    contextChars: input.contextChars,
    maxRevisions: input.maxRevisions ?? 1,
    changed: input.changed,
    results,
    internalErrors,
    ...(input.run ? { run: input.run } : {}),
    ...(input.outcomes ? { outcomes: input.outcomes } : {}),
    ...(input.recorded ? { recorded: input.recorded } : {}),
    ...(input.workspace ? { workspace: input.workspace } : {}),
    ...(input.onShortened ? { onShortened: input.onShortened } : {}),
  };
  let waiting = plan.subtasks.filter((subtask) => !outcomes.has(subtask.id));
  const running = new Map<string, Promise<void>>();
  const logEnd = (outcome: SubtaskOutcome) =>
    input.log.append({
      event: outcome.state === 'completed' ? 'subtask-finished' : outcome.state === 'skipped' ? 'subtask-skipped' : 'subtask-failed',
      id: outcome.id,
      outcome,
    });
  const change = (event: PlanChange) => {
    input.log.append({ ...event });
    plan = applyPlanChange(plan, event);
    const replaced = event.event === 'plan-revised' ? new Set(event.replaced) : new Set<string>();
    waiting = [
      ...waiting.filter((subtask) => !replaced.has(subtask.id)),
      ...(event.event === 'plan-revised' ? event.subtasks : [event.subtask]),
    ];
  };
  /**
   * The end of a started subtask: the follow-ups its outcome calls for (before its finish line, so
   * a crash between them cannot lose one: a resumed subtask finds them in the plan), its finish
   * line, its lesson, a revision after a failure, and only then its dependents see it.
   */
  const ended = async (subtask: RoutedSubtask, outcome: SubtaskOutcome) => {
    if (input.followUps && !input.signal?.aborted)
      for (const event of followUpsAfterOutcome(subtask, outcome, plan, input.followUps.rules, input.followUps.maxSubtasks)) change(event);
    logEnd(outcome);
    if (input.handoffs) await recordHandoffsOf(subtask, outcome, plan, input.handoffs, services);
    await learnFrom(outcome, services);
    if (input.revise && outcome.state === 'failed' && outcome.stop_reason !== 'internal-error' && !input.signal?.aborted) {
      const revised = await input.revise(
        subtask,
        outcome,
        plan,
        waiting.map((other) => other.id),
        outcomes,
      );
      if (revised) change(revised);
    }
    outcomes.set(outcome.id, outcome);
  };
  try {
    await schedule();
  } catch (error) {
    // The log cannot take a state change (a full disk): nothing new starts, and the subtasks that
    // are running end before the caller closes the log, so none is cut off mid-write.
    await Promise.allSettled(running.values());
    throw error;
  }
  // Only a stop (signal) leaves subtasks waiting: they never started and stay for --resume.
  for (const subtask of waiting) outcomes.set(subtask.id, idleOutcome(subtask, 'not-run', 'the swarm was stopped before it started'));
  return { outcomes, results, internalErrors, plan };

  async function schedule(): Promise<void> {
    for (;;) {
      let changed = false;
      for (let index = 0; index < waiting.length; index++) {
        const subtask = waiting[index]!;
        const blocker = subtask.depends_on
          .map((id) => outcomes.get(id))
          .find((outcome) => outcome !== undefined && outcome.state !== 'completed');
        const ready = subtask.depends_on.every((id) => outcomes.get(id)?.state === 'completed');
        if (blocker) {
          const skipped = idleOutcome(
            subtask,
            'skipped',
            `dependency ${blocker.id} ${blocker.state === 'skipped' ? 'was skipped' : `failed (${blocker.stop_reason ?? blocker.state})`}`,
          );
          logEnd(skipped);
          outcomes.set(skipped.id, skipped);
        } else if (!ready || running.size >= input.maxParallel || input.signal?.aborted) continue;
        else
          running.set(
            subtask.id,
            runSubtaskSafely(subtask, plan, services, outcomes)
              .then((outcome) => ended(subtask, outcome))
              .finally(() => running.delete(subtask.id)),
          );
        waiting.splice(index--, 1);
        changed = true;
      }
      // A skip can unblock the decision on a subtask earlier in the list: look again before waiting.
      if (changed) continue;
      if (running.size === 0) break;
      await Promise.race(running.values());
    }
  }
}

/**
 * A subtask that ran after others is a hand-off from their agents to its own: recorded with its
 * retries and time before its outcome reaches learning, so the baseline it is judged against is
 * the agent's record without it. A store that fails costs the lesson, not the work.
 */
async function recordHandoffsOf(
  subtask: RoutedSubtask,
  outcome: SubtaskOutcome,
  plan: RoutedPlan,
  handoffs: HandoffRecorder,
  services: Pick<SubtaskServices, 'outcomes' | 'log'>,
): Promise<void> {
  const to = subtask.assignment.agent;
  const learned = services.outcomes?.lastOf(subtask.id);
  // A subtask that was rejected, cancelled or never reached a model says nothing about the hand-off.
  if (!to || !learned || subtask.depends_on.length === 0 || !isAgentsOwn(learned.stop_reason) || learned.stop_reason === 'budget') return;
  const from = subtask.depends_on.flatMap((id) => {
    const agent = plan.subtasks.find((other) => other.id === id)?.assignment.agent;
    return agent ? [agent] : [];
  });
  try {
    await handoffs.record(from, to, {
      ok: outcome.state === 'completed' && learned.ok,
      retries: learned.retries,
      latency_ms: learned.latency_ms,
    });
  } catch (error) {
    try {
      services.log.append({ event: 'learning-error', id: subtask.id, error: (error as Error).message });
    } catch {
      /* the log's own failure shows at the next state change */
    }
  }
}
