/**
 * One subtask, from its prompt to its final outcome: prepare and submit its work through the
 * runner, record the result, then its review cycle. A throw inside it fails this subtask only.
 *
 * Exactly once across a crash: the moment the runner hands back the work's result, the result is
 * written to the log (`subtask-result`, with the learning outcome it will record) before anything
 * else happens to it (review, the finish line, learning). `--resume` finds a completed result of a
 * subtask that has no finish line and continues from it (its review cycle, then the finish line)
 * without running the work again. Only the kill between the model's answer and that one write
 * can still run a subtask twice.
 *
 * Files changed: the file tools' writes (ChangedFiles), and for an agent that may run Bash the
 * difference of two workspace snapshots taken around the work (workspace-snapshot.ts).
 *
 * @example
 * const outcome = await runSubtaskSafely(subtask, plan, context, outcomes);
 */
import type { Prepared, TaskSpec } from '../runner/prepare.js';
import { taskHash, type PreparedTask, type TaskResult } from '../runner/execute-task.js';
import type { Outcome } from '../learn/outcome.js';
import { isProgrammingError } from '../providers/faults.js';
import type { SubtaskOutcomes } from './subtask-outcomes.js';
import { outcomeOfTask } from '../runner/task-result.js';
import type { ChangedFiles } from './changed-files.js';
import { subtaskContext } from './dependency-context.js';
import type { SwarmLog } from './event-log.js';
import { idleOutcome, outcomeOf, type SubtaskOutcome } from './outcome.js';
import type { RoutedPlan, RoutedSubtask } from './plan.js';
import { reviewCycle } from './review.js';
import { changedBetween, snapshotWorkspace } from './workspace-snapshot.js';

/** What the executor needs of a Runner: prepare (resolve the alias, plan tools) and submit (admit to its lane). */
export interface SubtaskRunner {
  prepare(spec: TaskSpec, index: number): Promise<Prepared>;
  submit(task: PreparedTask, priority?: number): Promise<TaskResult>;
}

/** A subtask's work result as the log recorded it: what `--resume` continues from. */
export interface RecordedResult {
  outcome: SubtaskOutcome;
  learning?: Outcome;
}

export interface SubtaskServices {
  runner: SubtaskRunner;
  log: SwarmLog;
  swarmId: string;
  contextChars: number;
  maxRevisions: number;
  changed: ChangedFiles;
  run?: string;
  outcomes?: SubtaskOutcomes;
  /** Completed work results logged before a crash, by subtask id. */
  recorded?: ReadonlyMap<string, RecordedResult>;
  /** The workspace for snapshots around Bash-capable work, and the root-relative folders they leave out; absent: no snapshots. */
  workspace?: { root: string; ignored: string[] };
  results: TaskResult[];
  internalErrors: Error[];
  onShortened?: (id: string) => void;
}

/**
 * A bug of codex-flow is an `internal-error` kept for the caller (exit 70 once the report is
 * written); an I/O error (a full disk under the log) is the subtask's `error`.
 */
export async function runSubtaskSafely(
  subtask: RoutedSubtask,
  plan: RoutedPlan,
  services: SubtaskServices,
  outcomes: ReadonlyMap<string, SubtaskOutcome>,
): Promise<SubtaskOutcome> {
  try {
    return await runSubtask(subtask, plan, services, outcomes);
  } catch (thrown) {
    const error = thrown instanceof Error ? thrown : new Error(String(thrown));
    const bug: boolean = isProgrammingError(error);
    if (!bug) return { ...idleOutcome(subtask, 'failed', `codex-flow could not run it: ${error.message}`), stop_reason: 'error' };
    services.internalErrors.push(error);
    return { ...idleOutcome(subtask, 'failed', `internal error in codex-flow: ${error.message}`), stop_reason: 'internal-error' };
  }
}

async function runSubtask(
  subtask: RoutedSubtask,
  plan: RoutedPlan,
  services: SubtaskServices,
  outcomes: ReadonlyMap<string, SubtaskOutcome>,
): Promise<SubtaskOutcome> {
  const index = plan.subtasks.indexOf(subtask);
  const agent = subtask.assignment.agent;
  if (agent === null) return idleOutcome(subtask, 'failed', subtask.assignment.why.at(-1) ?? 'no agent');
  const context = subtaskContext(subtask, plan, services.swarmId, outcomes, services.contextChars);
  if (context.shortened) services.onShortened?.(subtask.id);
  const attempt = async (feedback?: string): Promise<SubtaskOutcome> => {
    const prompt = feedback ? `${context.prompt}\n\n${feedback}` : context.prompt;
    const prepared = await services.runner.prepare({ task: subtask.task, agent, files: subtask.files, prompt, id: subtask.id }, index);
    if (!prepared.ok) return idleOutcome(subtask, 'failed', prepared.diagnostic.message);
    const { assignment } = subtask;
    // A routed subtask's outcome names the router's decision, so learning credits that decision.
    if (assignment.route_id !== undefined)
      prepared.task.route = {
        route_id: assignment.route_id,
        score: assignment.score ?? 0,
        stages: assignment.stages ?? [],
        why: assignment.why,
        alternatives: assignment.alternatives ?? [],
      };
    services.outcomes?.claim(taskHash(prepared.task.target.definition.agent.id, prepared.task.task, prepared.task.files));
    if (!feedback) services.log.append({ event: 'subtask-started', id: subtask.id, agent, alias: prepared.task.target.alias });
    const runsBash = services.workspace !== undefined && prepared.task.tools.offered.some((tool) => tool.name === 'Bash');
    const before = runsBash ? await snapshotWorkspace(services.workspace!.root, services.workspace!.ignored) : undefined;
    const result = await services.runner.submit(prepared.task);
    const bashChanges = before
      ? changedBetween(before, await snapshotWorkspace(services.workspace!.root, services.workspace!.ignored))
      : [];
    services.results.push(result);
    const learning = outcomeOfTask(result, new Date().toISOString());
    const outcome = outcomeOf(subtask, result, union(services.changed.of(subtask.id), bashChanges), services.run);
    // Written before anything acts on the result: from here on, --resume continues instead of running the work again.
    services.log.append({
      event: 'subtask-result',
      id: subtask.id,
      revision: feedback ? 'revision' : 'first',
      outcome,
      ...(learning ? { learning } : {}),
    });
    services.outcomes?.attempt(subtask.id, learning);
    return outcome;
  };
  const kept = services.recorded?.get(subtask.id);
  if (kept) services.outcomes?.attempt(subtask.id, kept.learning);
  const first = kept ? kept.outcome : await attempt();
  if (!subtask.reviewer || first.state !== 'completed') return first;
  return reviewCycle(subtask, first, {
    runner: services.runner,
    log: services.log,
    swarmId: services.swarmId,
    maxRevisions: services.maxRevisions,
    rework: attempt,
    index,
    results: services.results,
  });
}

/** Records the subtask's one learning outcome; a store that fails costs the lesson, not the work. */
export async function learnFrom(outcome: SubtaskOutcome, services: Pick<SubtaskServices, 'outcomes' | 'log'>): Promise<void> {
  try {
    await services.outcomes?.settle(outcome.id, outcome.state === 'completed');
  } catch (error) {
    try {
      services.log.append({ event: 'learning-error', id: outcome.id, error: (error as Error).message });
    } catch {
      /* the log's own failure shows at the next state change */
    }
  }
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return b.length === 0 ? [...a] : [...new Set([...a, ...b])].sort();
}
