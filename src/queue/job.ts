/**
 * What travels through the queue: a job's data (everything a worker needs to prepare the task the
 * way the submitting run did) and its return value (the task's result and the outcomes the run's
 * learning store records). Both are plain JSON; `v` lets a worker refuse a job of another format
 * (CF8140): format 2 workers send a task's events batched (record-stream.ts), which a format 1
 * dispatcher would skip without a word, so neither side takes the other's jobs.
 */
import type { PreparedTask, TaskResult } from '../runner/execute-task.js';
import type { Outcome } from '../learn/outcome.js';
import { failedResult } from '../runner/task-result.js';

export const JOB_FORMAT = 2;

export interface TaskJob {
  v: number;
  run_id: string;
  index: number;
  id?: string;
  alias: string;
  agent: string;
  task: string;
  files: string[];
  prompt?: string;
  route?: PreparedTask['route'];
  /** The compiled fleet's content hash the run prepared the task against. */
  fleet_hash: string;
  /** The run's spending cap, reserved across workers in Redis (budget.ts). */
  budget_usd?: number;
  /** The stream the worker sends the task's record events to. */
  events: string;
  /**
   * `runtime.autonomy_level` as the dispatching run resolved it (tuned by `learning.autotune:
   * apply`): a worker resolves the alias with the tuning it read at start, which may be older.
   * Absent in jobs of older dispatchers.
   */
  autonomy_level?: number;
}

export interface TaskJobResult {
  result: TaskResult;
  outcomes: Outcome[];
}

export function jobOf(task: PreparedTask, run: { runId: string; fleetHash: string; events: string; budgetUsd?: number }): TaskJob {
  const job: TaskJob = {
    v: JOB_FORMAT,
    run_id: run.runId,
    index: task.index,
    alias: task.target.alias,
    agent: task.target.definition.agent.id,
    task: task.task,
    files: task.files,
    fleet_hash: run.fleetHash,
    events: run.events,
    autonomy_level: task.target.definition.runtime.autonomy_level,
  };
  if (task.id !== undefined) job.id = task.id;
  if (task.prompt !== undefined) job.prompt = task.prompt;
  if (task.route) job.route = task.route;
  if (run.budgetUsd !== undefined) job.budget_usd = run.budgetUsd;
  return job;
}

/**
 * The task a worker prepared, run at the lower of its own autonomy level and the job's, so an
 * autonomy the dispatcher's autotune lowered holds on a worker that started before it. A copy:
 * the worker's definition is shared by the tasks of its alias.
 */
export function withJobAutonomy(task: PreparedTask, job: Pick<TaskJob, 'autonomy_level'>): PreparedTask {
  const { definition } = task.target;
  if (job.autonomy_level === undefined || job.autonomy_level >= definition.runtime.autonomy_level) return task;
  const runtime = { ...definition.runtime, autonomy_level: Math.max(0, job.autonomy_level) };
  return { ...task, target: { ...task.target, definition: { ...definition, runtime } } };
}

/** Why a worker refuses a job of another format (CF8140), for the job's failed reason. */
export function jobFormatRefusal(jobId: string | undefined, format: unknown, worker: string): string {
  const shown = format === undefined ? 'none' : JSON.stringify(format);
  return `CF8140: job ${jobId} has format ${shown}; worker ${worker} reads format ${JOB_FORMAT} only: run the same codex-flow version on the dispatching machine and every worker`;
}

/** The result of a task whose job failed for good (the worker could not produce one). */
export function queueFailedResult(job: Pick<TaskJob, 'index' | 'agent' | 'alias' | 'id'>, hash: string, reason: string): TaskResult {
  return { ...failedResult(job.index, job.agent, job.alias, hash, 'invalid', reason, job.id), stop_reason: 'error' };
}
