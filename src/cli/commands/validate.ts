/**
 * `codex-flow validate [dir]`: check a compiled fleet on disk (schema, index ↔ files ↔ triggers,
 * duplicate ids, dangling delegations). Exit 1 on any error.
 */
import { isAbsolute, join, relative } from 'node:path';
import type { Command } from 'commander';
import { countByCode, hasErrors } from '../../diagnostics/diagnostic.js';
import { EXIT_FINDINGS, EXIT_OK, type CommandIO } from '../io.js';
import { compilerContext, withCommonFlags, type CommonFlags } from '../options.js';
import { jsonOut, printDiagnostics, reportFailure, summarize } from '../report.js';
import { DEFAULT_FLEET_DIR } from '../../fleet/complete-fleet.js';

export async function runValidate(io: CommandIO, dir: string | undefined, flags: CommonFlags): Promise<number> {
  const { loaded, options } = await compilerContext(io, flags);
  if (hasErrors(loaded.diagnostics)) return reportFailure(io, 'validate', loaded.diagnostics, flags);
  const out = dir ?? options.out;
  const outDir = isAbsolute(out) ? out : join(io.cwd, out);
  const shown = isAbsolute(out) ? relative(io.cwd, out) || '.' : out;
  const { validateFleet } = await import('../../compiler/validate-fleet.js');
  const result = await validateFleet(outDir, shown);
  const failed = hasErrors(result.diagnostics);
  if (flags.json) {
    jsonOut(io, {
      ok: !failed,
      command: 'validate',
      fleet: shown,
      agents: result.agents,
      counts: countByCode(result.diagnostics),
      diagnostics: result.diagnostics,
    });
  } else {
    printDiagnostics(io, result.diagnostics, flags);
    io.stdout(`${failed ? 'invalid' : 'valid'}: ${shown} (${result.agents} agents); ${summarize(result.diagnostics, flags.verbose)}\n`);
  }
  return failed ? EXIT_FINDINGS : EXIT_OK;
}

export function register(program: Command, io: CommandIO, setExit: (code: number) => void): void {
  withCommonFlags(
    program
      .command('validate [dir]')
      .description(`check a compiled fleet (default ${DEFAULT_FLEET_DIR}): schema, index, triggers, ids, delegations`),
  ).action(async (dir: string | undefined, flags: CommonFlags) => setExit(await runValidate(io, dir, flags)));
}
