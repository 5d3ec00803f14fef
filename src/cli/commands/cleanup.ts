/**
 * `codex-flow cleanup [--older-than 7d] [--keep N]`: prunes run records under `.runs/`, truncates
 * the JSONL logs and compacts the file memory store, then says what it removed. A thin shell over
 * `cleanup` (src/runner/cleanup.ts).
 */
import type { Command } from 'commander';
import { EXIT_OK, UsageError, type CommandIO } from '../io.js';
import { withCommonFlags, type CommonFlags } from '../options.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { jsonOut, printDiagnostics, reportFailure } from '../report.js';
import { DEFAULT_FLEET_DIR } from '../../fleet/complete-fleet.js';

export interface CleanupFlags extends CommonFlags {
  olderThan?: string;
  keep?: string;
}

export async function runCleanup(io: CommandIO, flags: CleanupFlags): Promise<number> {
  const { cleanup, parseAge } = await import('../../runner/cleanup.js');
  const olderThanMs = flags.olderThan === undefined ? undefined : parseAge(flags.olderThan);
  if (flags.olderThan !== undefined && olderThanMs === undefined)
    throw new UsageError(`--older-than needs a duration such as 7d, 12h or 30m, not "${flags.olderThan}"`);
  const keep = flags.keep === undefined ? undefined : Number(flags.keep);
  if (keep !== undefined && (!Number.isInteger(keep) || keep < 0)) throw new UsageError('--keep needs a whole number of runs to keep');
  const { loadConfig } = await import('../../config/config.js');
  const { resolveRunnerOptions } = await import('../../runner/options.js');
  const loaded = await loadConfig(io.cwd, flags.config);
  // Cleanup deletes by the config's retention settings: with a config it cannot read, it deletes nothing.
  if (hasErrors(loaded.diagnostics)) return reportFailure(io, 'cleanup', loaded.diagnostics, flags);
  const { options, diagnostics } = resolveRunnerOptions(loaded.config.runner ?? {}, io.env);
  const logFiles = await fleetLogFiles(io, (loaded.config.compiler as { out?: string } | undefined)?.out);
  const report = await cleanup(io.cwd, options, {
    logFiles,
    ...(olderThanMs !== undefined ? { olderThanMs } : {}),
    ...(keep !== undefined ? { keep } : {}),
  });
  const all = [...loaded.diagnostics, ...diagnostics];
  if (flags.json) {
    jsonOut(io, { ok: true, command: 'cleanup', ...report, diagnostics: all });
    return EXIT_OK;
  }
  printDiagnostics(io, all, flags);
  const lines = [
    `removed ${report.runs.removed.length} run(s) from ${options.runsDir}/, kept ${report.runs.kept}${report.runs.in_progress.length > 0 ? ` (${report.runs.in_progress.length} in progress left alone)` : ''}`,
  ];
  if (flags.verbose) for (const run of report.runs.removed) lines.push(`  - ${run}`);
  for (const log of report.logs) lines.push(`${log.file}: removed ${log.lines_removed} line(s), kept ${log.lines_kept}`);
  if (report.memory_lines_compacted > 0) lines.push(`memory: compacted ${report.memory_lines_compacted} dead line(s)`);
  io.stdout(`${lines.join('\n')}\n`);
  return EXIT_OK;
}

/** The `file:` log channels of the fleet's agents (the default ones live under .codex-flow/logs). */
async function fleetLogFiles(io: CommandIO, out: string | undefined): Promise<string[]> {
  const { isAbsolute, join } = await import('node:path');
  const { loadFleet } = await import('../../fleet/load.js');
  const dir = out ?? DEFAULT_FLEET_DIR;
  const { fleet } = loadFleet(isAbsolute(dir) ? dir : join(io.cwd, dir));
  const files = new Set<string>();
  for (const entry of fleet?.index.agents ?? []) {
    for (const channel of fleet?.definition(entry.id)?.observability.log_channels ?? [])
      if (channel.startsWith('file:') && channel.length > 5) files.add(channel.slice(5));
  }
  return [...files];
}

export function register(program: Command, io: CommandIO, setExit: (code: number) => void): void {
  withCommonFlags(
    program
      .command('cleanup')
      .description('prune run records under .runs/, truncate logs, compact file memory; says what it removed')
      .option('--older-than <age>', 'remove runs and log lines older than this (7d, 12h, 30m; default 7d when --keep is not given)')
      .option('--keep <n>', 'always keep the N newest runs'),
  ).action(async (flags: CleanupFlags) => setExit(await runCleanup(io, flags)));
}
