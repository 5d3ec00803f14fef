/**
 * `codex-flow convert [--src] [--out] [--check] [--watch]`: compile briefs into the fleet.
 * Exit 0 when every brief compiled (warnings allowed), 1 on any error or, with --check, any
 * stale/missing/extra file, 2 on usage errors.
 */
import { isAbsolute, join } from 'node:path';
import type { Command } from 'commander';
import { countByCode, hasErrors } from '../../diagnostics/diagnostic.js';
import { EXIT_FINDINGS, EXIT_OK, type CommandIO } from '../io.js';
import { compilerContext, withCommonFlags, type CommonFlags } from '../options.js';
import { jsonOut, printDiagnostics, reportFailure, summarize } from '../report.js';
import { DEFAULT_FLEET_DIR } from '../../fleet/complete-fleet.js';

interface ConvertFlags extends CommonFlags {
  src?: string;
  out?: string;
  check?: boolean;
  watch?: boolean;
}

export async function runConvert(io: CommandIO, flags: ConvertFlags): Promise<number> {
  const { loaded, options } = await compilerContext(io, flags);
  if (hasErrors(loaded.diagnostics)) return reportFailure(io, flags.check ? 'convert --check' : 'convert', loaded.diagnostics, flags);
  if (flags.watch) {
    const { watchFleet } = await import('../watch.js');
    return watchFleet(io, options, flags);
  }
  const { convertFleet } = await import('../../compiler/convert.js');
  const result = await convertFleet(options, { check: flags.check ?? false });
  const diagnostics = [...loaded.diagnostics, ...result.diagnostics];
  const failed = hasErrors(diagnostics);
  if (!failed && !flags.check) await warmStaleCheck(io, isAbsolute(options.out) ? options.out : join(options.root, options.out));
  if (flags.json) {
    jsonOut(io, {
      ok: !failed,
      command: flags.check ? 'convert --check' : 'convert',
      src: options.src,
      out: options.out,
      stats: result.stats,
      written: result.written,
      ...(result.diff ? { diff: result.diff } : {}),
      counts: countByCode(diagnostics),
      diagnostics,
    });
    return failed ? EXIT_FINDINGS : EXIT_OK;
  }
  printDiagnostics(io, diagnostics, flags);
  const { stats } = result;
  const what = `${stats.compiled} of ${stats.briefs} briefs`;
  if (flags.check) {
    const diff = result.diff!;
    const changes = diff.stale.length + diff.missing.length + diff.extra.length;
    io.stdout(
      changes === 0
        ? `${options.out} is up to date (${what} compile)\n`
        : `${options.out} is stale: ${diff.stale.length} changed, ${diff.missing.length} missing, ${diff.extra.length} extra; run \`codex-flow convert\`\n`,
    );
  } else {
    // Nothing written after an error is "nothing published", never "up to date" (there may be no fleet at all).
    const unpublished = !result.written && (failed || result.diagnostics.some((entry) => entry.code === 'CF5050'));
    io.stdout(
      `compiled ${what}${unpublished ? '; nothing published' : ` into ${options.out}${result.written ? '' : ' (already up to date, nothing written)'}`}\n`,
    );
  }
  io.stdout(`${summarize(diagnostics, flags.verbose)}\n`);
  return failed ? EXIT_FINDINGS : EXIT_OK;
}

/**
 * Runs the stale check of the fleet just written, from the folder a route runs it from, so that
 * its hash cache and (size, mtime) signature are in place: the first route after a compile then
 * answers from the signature instead of hashing every brief. It is the route's own check, so a
 * brief edited while this compile ran is found stale here and nothing is recorded for it.
 */
async function warmStaleCheck(io: CommandIO, fleetDir: string): Promise<void> {
  const { loadFleetWithImage } = await import('../../fleet/load-image.js');
  const head = loadFleetWithImage(fleetDir)?.image.head;
  if (!head) return;
  const { checkFreshness } = await import('../../fleet/freshness.js');
  const { BRIEF_HASHES_FILE, LEXICAL_CACHE_DIR } = await import('./route.js');
  checkFreshness({ hash: head.hash, agents: head.entries }, io.cwd, join(io.cwd, LEXICAL_CACHE_DIR, BRIEF_HASHES_FILE));
}

export function register(program: Command, io: CommandIO, setExit: (code: number) => void): void {
  withCommonFlags(
    program
      .command('convert')
      .description('compile .claude/agents/**/*.md briefs into codex/agents (definitions, index.json, triggers.json)')
      .option('--src <dir>', 'brief folder (default .claude/agents)')
      .option('--out <dir>', `output folder (default ${DEFAULT_FLEET_DIR})`)
      .option('--check', 'write nothing; exit 1 if the output is stale, missing or has extra files')
      .option('--watch', 'recompile incrementally when a brief changes'),
  ).action(async (flags: ConvertFlags) => setExit(await runConvert(io, flags)));
}
