/**
 * An alias's queue strategy as BullMQ job options: `fifo` is BullMQ's wait list, `lifo` its
 * `lifo` flag, `priority` its priority (BullMQ runs *lower* numbers first, 1 … 2^21, FIFO among
 * equals; ours runs higher first, so the number is mirrored around the middle of BullMQ's range).
 *
 * @example jobOptions('a1-…-0', 'priority', 5, options).priority; // 1048571
 */
import type { JobsOptions } from 'bullmq';
import type { QueueStrategy } from '../runner/task-queue.js';
import type { QueueOptions } from './options.js';

const PRIORITY_MIDDLE = 1_048_576;
const PRIORITY_MAX = 2_097_152;
/** Pause before another attempt of a job whose worker failed: a restarting Redis or worker is back by then. */
const RETRY_DELAY_MS = 1_000;
/** Completed jobs stay a day (their result answers a repeated submission) and at most this many. */
const KEEP_COMPLETED = { age: 86_400, count: 10_000 };

export function bullPriority(priority: number): number {
  return Math.min(PRIORITY_MAX, Math.max(1, PRIORITY_MIDDLE - Math.round(priority)));
}

export function jobOptions(id: string, strategy: QueueStrategy, priority: number, options: Pick<QueueOptions, 'attempts'>): JobsOptions {
  const base: JobsOptions = {
    jobId: id,
    attempts: options.attempts,
    backoff: { type: 'fixed', delay: RETRY_DELAY_MS },
    // Failed jobs are kept for `codex-flow runs failed` / `runs retry`.
    removeOnComplete: KEEP_COMPLETED,
    removeOnFail: false,
  };
  if (strategy === 'lifo') base.lifo = true;
  else if (strategy === 'priority') base.priority = bullPriority(priority);
  return base;
}
