/**
 * Runs a routed plan as a DAG through the runner. A subtask starts once every dependency has
 * completed; independent subtasks run in parallel, at most `maxParallel` in flight across the
 * swarm, and below that each alias's own `max_parallel_tasks` and queue (the runner's scheduler)
 * decide when it really starts. A subtask whose dependency failed or was skipped is skipped, with
 * the reason, and so are its own dependents; nothing else is held up.
 *
 * Every state change is logged before it takes effect (`subtask-started` before the task is
 * handed to the runner, `subtask-finished`/`-failed`/`-skipped` before dependents see it), so
 * `--resume` never runs a finished subtask again. Subtasks finished in an earlier attempt come in
 * as `done` and are not run. Once `signal` aborts, nothing new starts; what never started is
 * `not-run`.
 *
 * @example
 * const outcomes = await executePlan(plan, { runner, log, swarmId, maxParallel: 4, contextChars: 6000, changed });
 */
import type { Prepared, TaskSpec } from '../runner/prepare.js';
import { taskHash, type PreparedTask, type TaskResult } from '../runner/execute-task.js';
import { outcomeOfTask, type SubtaskOutcomes } from './subtask-outcomes.js';
import type { ChangedFiles } from './changed-files.js';
import { subtaskContext } from './dependency-context.js';
import type { SwarmLog } from './event-log.js';
import { idleOutcome, outcomeOf, type SubtaskOutcome } from './outcome.js';
import type { RoutedPlan, RoutedSubtask } from './plan.js';
import { reviewCycle } from './review.js';
import { isProgrammingError } from '../providers/faults.js';

/** What the executor needs of a Runner: prepare (resolve the alias, plan tools) and submit (admit to its lane). */
export interface SubtaskRunner {
  prepare(spec: TaskSpec, index: number): Promise<Prepared>;
  submit(task: PreparedTask, priority?: number): Promise<TaskResult>;
}

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
  /** The runner's record folder, named in each outcome. */
  run?: string;
  signal?: AbortSignal;
  /** Records each subtask's own learning outcome once it ends (one per subtask, after its review cycle). */
  outcomes?: SubtaskOutcomes;
  /** Told once per subtask whose dependency context was shortened (CF8114). */
  onShortened?: (id: string) => void;
}

export interface ExecuteResult {
  outcomes: Map<string, SubtaskOutcome>;
  results: TaskResult[];
  /** Bugs of codex-flow that failed a subtask (`internal-error`): the CLI exits 70 once the report is written. */
  internalErrors: Error[];
}

export async function executePlan(plan: RoutedPlan, input: ExecuteInput): Promise<ExecuteResult> {
  const outcomes = new Map<string, SubtaskOutcome>(input.done ?? []);
  const results: TaskResult[] = [];
  const internalErrors: Error[] = [];
  const waiting = plan.subtasks.filter((subtask) => !outcomes.has(subtask.id));
  const running = new Map<string, Promise<void>>();
  const settle = (outcome: SubtaskOutcome) => {
    input.log.append({ event: outcome.state === 'completed' ? 'subtask-finished' : outcome.state === 'skipped' ? 'subtask-skipped' : 'subtask-failed', id: outcome.id, outcome });
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
  return { outcomes, results, internalErrors };

  async function schedule(): Promise<void> {
    for (;;) {
      let changed = false;
      for (let index = 0; index < waiting.length; index++) {
        const subtask = waiting[index]!;
        const blocker = subtask.depends_on.map((id) => outcomes.get(id)).find((outcome) => outcome !== undefined && outcome.state !== 'completed');
        const ready = subtask.depends_on.every((id) => outcomes.get(id)?.state === 'completed');
        if (blocker) settle(idleOutcome(subtask, 'skipped', `dependency ${blocker.id} ${blocker.state === 'skipped' ? 'was skipped' : `failed (${blocker.stop_reason ?? blocker.state})`}`));
        else if (!ready || running.size >= input.maxParallel || input.signal?.aborted) continue;
        else running.set(subtask.id, startSafely(subtask, plan, input, outcomes, results, internalErrors).then(settle).finally(() => running.delete(subtask.id)));
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
 * A throw inside one subtask fails that subtask only; the others go on. A bug of codex-flow is an
 * `internal-error` kept for the caller (exit 70 once the report is written); an I/O error (a full
 * disk under the log) is the subtask's `error`.
 */
async function startSafely(subtask: RoutedSubtask, plan: RoutedPlan, input: ExecuteInput, outcomes: ReadonlyMap<string, SubtaskOutcome>, results: TaskResult[], internalErrors: Error[]): Promise<SubtaskOutcome> {
  try {
    return await start(subtask, plan, input, outcomes, results);
  } catch (thrown) {
    const error = thrown instanceof Error ? thrown : new Error(String(thrown));
    const bug: boolean = isProgrammingError(error);
    if (!bug) return { ...idleOutcome(subtask, 'failed', `codex-flow could not run it: ${error.message}`), stop_reason: 'error' };
    internalErrors.push(error);
    return { ...idleOutcome(subtask, 'failed', `internal error in codex-flow: ${error.message}`), stop_reason: 'internal-error' };
  }
}

async function start(subtask: RoutedSubtask, plan: RoutedPlan, input: ExecuteInput, outcomes: ReadonlyMap<string, SubtaskOutcome>, results: TaskResult[]): Promise<SubtaskOutcome> {
  const index = plan.subtasks.indexOf(subtask);
  const agent = subtask.assignment.agent;
  if (agent === null) return idleOutcome(subtask, 'failed', subtask.assignment.why.at(-1) ?? 'no agent');
  const context = subtaskContext(subtask, plan, input.swarmId, outcomes, input.contextChars);
  if (context.shortened) input.onShortened?.(subtask.id);
  const attempt = async (feedback?: string): Promise<SubtaskOutcome> => {
    const prompt = feedback ? `${context.prompt}\n\n${feedback}` : context.prompt;
    const prepared = await input.runner.prepare({ task: subtask.task, agent, files: subtask.files, prompt, id: subtask.id }, index);
    if (!prepared.ok) return idleOutcome(subtask, 'failed', prepared.diagnostic.message);
    const { assignment } = subtask;
    // A routed subtask's outcome names the router's decision, so learning credits that decision.
    if (assignment.route_id !== undefined) prepared.task.route = { route_id: assignment.route_id, score: assignment.score ?? 0, stages: assignment.stages ?? [], why: assignment.why, alternatives: assignment.alternatives ?? [] };
    input.outcomes?.claim(taskHash(prepared.task.target.definition.agent.id, prepared.task.task, prepared.task.files));
    if (!feedback) input.log.append({ event: 'subtask-started', id: subtask.id, agent, alias: prepared.task.target.alias });
    const result = await input.runner.submit(prepared.task);
    results.push(result);
    input.outcomes?.attempt(subtask.id, outcomeOfTask(result, new Date().toISOString()));
    return outcomeOf(subtask, result, input.changed.of(subtask.id), input.run);
  };
  const first = await attempt();
  const final = !subtask.reviewer || first.state !== 'completed' ? first
    : await reviewCycle(subtask, first, { runner: input.runner, log: input.log, swarmId: input.swarmId, maxRevisions: input.maxRevisions ?? 1, rework: attempt, index, results });
  // A learning-store write that fails costs the lesson, not the subtask's work (as the runner's own outcome writes).
  try {
    await input.outcomes?.settle(subtask.id, final.state === 'completed');
  } catch (error) {
    try { input.log.append({ event: 'learning-error', id: subtask.id, error: (error as Error).message }); } catch { /* the log's own failure shows at the next state change */ }
  }
  return final;
}
