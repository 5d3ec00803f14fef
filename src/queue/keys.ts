/**
 * Names in Redis. One BullMQ queue per alias (its global concurrency is the alias's
 * `max_parallel_tasks`, so the limit holds across all workers); a set of the aliases seen, so a
 * worker without `--aliases` and `queue stats` find every queue; per run a stream of the task
 * events workers send back, and the run's budget.
 */
import { hashBytes } from '../util/hash.js';

/** The BullMQ queue of an alias; BullMQ names must not hold ':' and aliases are free text. */
export function queueName(alias: string): string {
  return `alias-${alias.replace(/[^\w.-]/g, (char) => `~${char.codePointAt(0)!.toString(16)}`)}`;
}

export const aliasesKey = (prefix: string) => `${prefix}:aliases`;
export const runEventsKey = (prefix: string, runId: string) => `${prefix}:run:${runId}:events`;
export const budgetKey = (prefix: string, runId: string) => `${prefix}:run:${runId}:budget`;

/**
 * The job id of a task: the same run, task and occurrence give the same id, so submitting a run's
 * tasks again (a restarted submitter) adds nothing twice, while one task text given twice in a
 * run stays two jobs. BullMQ refuses ':' in custom ids.
 */
export function jobId(runId: string, taskHash: string, occurrence: number): string {
  const hex = (hash: string) => hash.replace(/^sha256:/, '');
  return `${hex(hashBytes(runId)).slice(0, 16)}-${hex(taskHash).slice(0, 24)}-${occurrence}`;
}
