/**
 * What the queue holds, per alias (waiting, active, delayed, failed, completed, the global limit)
 * and which workers are connected — `codex-flow queue stats`, and the same numbers for the
 * server's /metrics (`queueStats`).
 *
 * @example
 * const stats = await queueStats(redis, 'codex-flow');
 * stats.aliases[0]; // { alias: 'reviewer', waiting: 3, active: 2, delayed: 0, failed: 0, completed: 40, limit: 2, workers: 3 }
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { aliasesKey } from './keys.js';

export interface AliasQueueStats {
  alias: string;
  queue: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
  /** The alias's global concurrency (max_parallel_tasks across all workers), null when unset. */
  limit: number | null;
  /** Workers connected to this alias's queue now. */
  workers: number;
}

export interface QueueStats {
  aliases: AliasQueueStats[];
  /** Every worker seen on any alias queue now: its name and the aliases it serves. */
  workers: Array<{ name: string; aliases: string[] }>;
}

export async function queueStats(redis: Redis, prefix: string): Promise<QueueStats> {
  const known = await redis.hgetall(aliasesKey(prefix));
  const aliases: AliasQueueStats[] = [];
  const workers = new Map<string, Set<string>>();
  for (const alias of Object.keys(known).sort()) {
    const queue = new Queue(known[alias]!, { connection: redis, prefix });
    try {
      const [counts, limit, seen] = await Promise.all([
        queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed'),
        queue.getGlobalConcurrency(),
        queue.getWorkers(),
      ]);
      for (const worker of seen) {
        const name = worker.rawname ?? worker.name ?? worker.id ?? 'unknown';
        // BullMQ names a worker's connection <prefix>:<queue-base64>:w:<name>.
        const short = String(name).split(':w:').pop()!;
        (workers.get(short) ?? workers.set(short, new Set()).get(short)!).add(alias);
      }
      aliases.push({
        alias,
        queue: known[alias]!,
        waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        failed: counts.failed ?? 0,
        completed: counts.completed ?? 0,
        limit: limit === null || limit === undefined ? null : Number(limit),
        workers: new Set(
          seen.map((w) =>
            String(w.rawname ?? w.name ?? w.id)
              .split(':w:')
              .pop(),
          ),
        ).size,
      });
    } finally {
      await queue.close();
    }
  }
  return {
    aliases,
    workers: [...workers.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, served]) => ({ name, aliases: [...served].sort() })),
  };
}

/** The stats as text: one line per alias, then the workers. */
export function formatQueueStats(stats: QueueStats): string {
  if (stats.aliases.length === 0) return 'no alias queue yet: no run has used the queue\n';
  const rows = [
    ['alias', 'waiting', 'active', 'delayed', 'failed', 'completed', 'limit', 'workers'],
    ...stats.aliases.map((a) => [a.alias, a.waiting, a.active, a.delayed, a.failed, a.completed, a.limit ?? '-', a.workers].map(String)),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const lines = rows.map((row) =>
    row
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ')
      .trimEnd(),
  );
  const seen =
    stats.workers.length === 0
      ? 'workers seen: none'
      : `workers seen: ${stats.workers.length}\n${stats.workers.map((w) => `  ${w.name}  (${w.aliases.join(', ')})`).join('\n')}`;
  return `${lines.join('\n')}\n${seen}\n`;
}

/**
 * The stats from a URL: connects (CF8501 within seconds when Redis does not answer), reads, closes.
 * What the server's /metrics calls with the project's resolved queue options.
 *
 * @example const stats = await readQueueStats({ url: 'redis://127.0.0.1:6379/0', prefix: 'codex-flow' });
 */
export async function readQueueStats(options: { url: string; prefix: string }): Promise<QueueStats> {
  const { connectQueueRedis, closeQuietly } = await import('./connection.js');
  const redis = await connectQueueRedis(options.url);
  try {
    return await queueStats(redis, options.prefix);
  } finally {
    await closeQuietly(redis);
  }
}
