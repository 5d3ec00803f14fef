/**
 * Jobs that failed for good (their retries spent, or refused: a missing fleet, an unknown alias),
 * across every alias queue: `codex-flow runs failed` lists them, `codex-flow runs retry <id>` puts
 * one back in its queue with its attempts reset.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { aliasesKey } from './keys.js';
import type { TaskJob } from './job.js';

/** Failed jobs listed per alias: the newest, enough to act on; `runs failed --json` gives the same. */
const LIST_LIMIT = 1_000;

export interface FailedJob {
  id: string;
  alias: string;
  run_id: string;
  task_index: number;
  task: string;
  reason: string;
  attempts: number;
  failed_at: string | null;
}

async function eachQueue<T>(redis: Redis, prefix: string, visit: (queue: Queue, alias: string) => Promise<T>): Promise<T[]> {
  const known = await redis.hgetall(aliasesKey(prefix));
  const out: T[] = [];
  for (const alias of Object.keys(known).sort()) {
    const queue = new Queue(known[alias]!, { connection: redis, prefix });
    try {
      out.push(await visit(queue, alias));
    } finally {
      await queue.close();
    }
  }
  return out;
}

export async function listFailed(redis: Redis, prefix: string): Promise<FailedJob[]> {
  const lists = await eachQueue(redis, prefix, async (queue, alias) => {
    const jobs = await queue.getFailed(0, LIST_LIMIT - 1);
    return jobs.map((job): FailedJob => {
      const data = job.data as TaskJob;
      return {
        id: String(job.id),
        alias,
        run_id: data.run_id,
        task_index: data.index,
        task: data.task,
        reason: job.failedReason ?? '',
        attempts: job.attemptsMade,
        failed_at: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
      };
    });
  });
  return lists.flat().sort((a, b) => (b.failed_at ?? '').localeCompare(a.failed_at ?? '') || a.id.localeCompare(b.id));
}

/** Puts a failed job back in its queue; false when no alias queue holds a failed job of that id. */
export async function retryFailed(redis: Redis, prefix: string, id: string): Promise<{ retried: boolean; alias?: string }> {
  const found = await eachQueue(redis, prefix, async (queue, alias) => {
    const job = await queue.getJob(id);
    if (!job || !(await job.isFailed())) return undefined;
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    return alias;
  });
  const alias = found.find((entry) => entry !== undefined);
  return alias ? { retried: true, alias } : { retried: false };
}
