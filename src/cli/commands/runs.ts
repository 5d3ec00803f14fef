/**
 * `codex-flow runs failed` lists the queue's jobs that failed for good (retries spent, or refused);
 * `codex-flow runs retry <job-id>` puts one back in its alias queue with its attempts reset.
 */
import type { Command } from 'commander';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { EXIT_FINDINGS, EXIT_OK, type CommandIO } from '../io.js';
import { withCommonFlags, type CommonFlags } from '../options.js';
import { jsonOut, printDiagnostics } from '../report.js';
import { openQueueClient } from './queue.js';

export async function runRunsFailed(io: CommandIO, flags: CommonFlags): Promise<number> {
  const opened = await openQueueClient(io, flags, 'runs failed');
  if (typeof opened === 'number') return opened;
  const { listFailed } = await import('../../queue/failed.js');
  const { closeQuietly } = await import('../../queue/connection.js');
  try {
    const failed = await listFailed(opened.redis, opened.options.prefix);
    if (flags.json) jsonOut(io, { ok: true, command: 'runs failed', failed, diagnostics: [] });
    else if (failed.length === 0) io.stdout('no failed jobs\n');
    else
      for (const job of failed)
        io.stdout(
          `${job.id}  ${job.alias}  run ${job.run_id} task ${job.task_index + 1}  ${job.attempts} attempt(s)  ${job.failed_at ?? ''}\n  ${job.reason.split('\n')[0]}\n`,
        );
    return EXIT_OK;
  } finally {
    await closeQuietly(opened.redis);
  }
}

export async function runRunsRetry(io: CommandIO, id: string, flags: CommonFlags): Promise<number> {
  const opened = await openQueueClient(io, flags, 'runs retry');
  if (typeof opened === 'number') return opened;
  const { retryFailed } = await import('../../queue/failed.js');
  const { closeQuietly } = await import('../../queue/connection.js');
  try {
    const outcome = await retryFailed(opened.redis, opened.options.prefix, id);
    if (!outcome.retried) {
      const missing = diagnostic('CF8504', `no failed job with id ${id}`);
      if (flags.json) jsonOut(io, { ok: false, command: 'runs retry', diagnostics: [missing] });
      else printDiagnostics(io, [missing], flags);
      return EXIT_FINDINGS;
    }
    if (flags.json) jsonOut(io, { ok: true, command: 'runs retry', id, alias: outcome.alias, diagnostics: [] });
    else io.stdout(`queued ${id} again on ${outcome.alias}\n`);
    return EXIT_OK;
  } finally {
    await closeQuietly(opened.redis);
  }
}

export function register(program: Command, io: CommandIO, setExit: (code: number) => void): void {
  const runs = program.command('runs').description('runs through the queue: failed jobs, and retrying them');
  withCommonFlags(runs.command('failed').description('jobs that failed for good: retries spent, or refused (a missing fleet)')).action(
    async (flags: CommonFlags) => setExit(await runRunsFailed(io, flags)),
  );
  withCommonFlags(runs.command('retry <job-id>').description('put a failed job back in its queue, attempts reset')).action(
    async (id: string, flags: CommonFlags) => setExit(await runRunsRetry(io, id, flags)),
  );
}
