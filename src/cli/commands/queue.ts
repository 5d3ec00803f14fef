/**
 * `codex-flow queue stats`: what the queue holds per alias (waiting, active, delayed, failed,
 * completed, the global limit) and the workers connected. Also the shared opening of the queue's
 * Redis for `queue` and `runs` (no queue configured is a usage error; Redis unreachable is CF8501
 * within seconds, exit 1).
 */
import type { Command } from 'commander';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError, type CommandIO } from '../io.js';
import { withCommonFlags, type CommonFlags } from '../options.js';
import { jsonOut, printDiagnostics } from '../report.js';
import type { Redis } from 'ioredis';
import type { QueueOptions } from '../../queue/options.js';

/** The project's queue options and a connection, or the exit code of why not (already reported). */
export async function openQueueClient(
  io: CommandIO,
  flags: CommonFlags,
  command: string,
): Promise<{ redis: Redis; options: QueueOptions } | number> {
  const { loadConfig } = await import('../../config/config.js');
  const { resolveQueueOptions } = await import('../../queue/options.js');
  const loaded = await loadConfig(io.cwd, flags.config);
  const { options, diagnostics } = resolveQueueOptions(loaded.config.queue, io.env);
  const errors = [...loaded.diagnostics, ...diagnostics].filter((entry) => entry.severity === 'error');
  if (errors.length > 0) return fail(io, flags, command, errors);
  if (!options)
    throw new UsageError('no queue is configured', 'set queue.url in codex-flow.config.yaml or CODEX_FLOW_QUEUE_URL (docs/queue.md)');
  const { connectQueueRedis, QueueUnreachableError } = await import('../../queue/connection.js');
  try {
    return { redis: await connectQueueRedis(options.url), options };
  } catch (error) {
    if (!(error instanceof QueueUnreachableError)) throw error;
    return fail(io, flags, command, [diagnostic('CF8501', error.message)]);
  }
}

function fail(io: CommandIO, flags: CommonFlags, command: string, diagnostics: ReturnType<typeof diagnostic>[]): number {
  if (flags.json) jsonOut(io, { ok: false, command, diagnostics });
  else printDiagnostics(io, diagnostics, flags);
  return EXIT_FINDINGS;
}

export async function runQueueStats(io: CommandIO, flags: CommonFlags): Promise<number> {
  const opened = await openQueueClient(io, flags, 'queue stats');
  if (typeof opened === 'number') return opened;
  const { queueStats, formatQueueStats } = await import('../../queue/stats.js');
  const { closeQuietly } = await import('../../queue/connection.js');
  try {
    const stats = await queueStats(opened.redis, opened.options.prefix);
    if (flags.json) jsonOut(io, { ok: true, command: 'queue stats', ...stats, diagnostics: [] });
    else io.stdout(formatQueueStats(stats));
    return EXIT_OK;
  } finally {
    await closeQuietly(opened.redis);
  }
}

export function register(program: Command, io: CommandIO, setExit: (code: number) => void): void {
  const queue = program.command('queue').description('the task queue (queue.url): what it holds and who works on it');
  withCommonFlags(
    queue
      .command('stats')
      .description('waiting, active, delayed, failed and completed jobs per alias, the global limits, the workers seen'),
  ).action(async (flags: CommonFlags) => setExit(await runQueueStats(io, flags)));
}
