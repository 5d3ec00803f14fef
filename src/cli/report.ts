/**
 * Printing diagnostics the way the caller wants them: text for people (info hidden unless
 * verbose), and GitHub annotations in addition when running in GitHub Actions. JSON output is
 * assembled by each command, which embeds the same diagnostics.
 */
import { countByCode, type Diagnostic } from '../diagnostics/diagnostic.js';
import { countSeverities, formatDiagnostic, formatGitHub, plural } from '../diagnostics/format.js';
import { EXIT_FINDINGS, type CommandIO } from './io.js';

export interface ReportOptions {
  verbose?: boolean;
}

export function printDiagnostics(io: CommandIO, diagnostics: readonly Diagnostic[], options: ReportOptions = {}): void {
  const github = io.env.GITHUB_ACTIONS === 'true';
  for (const d of diagnostics) {
    if (github && d.severity !== 'info') io.stdout(formatGitHub(d));
    if (d.severity === 'info' && !options.verbose) continue;
    io.stderr(formatDiagnostic(d));
  }
}

/** "0 errors, 3 warnings, 20 notes (CF2011 ×20; --verbose shows notes)". */
export function summarize(diagnostics: readonly Diagnostic[], verbose = false): string {
  const counts = countSeverities(diagnostics);
  const parts = [plural(counts.errors, 'error'), plural(counts.warnings, 'warning'), plural(counts.infos, 'note')];
  const byCode = Object.entries(countByCode(diagnostics)).map(([code, count]) => `${code}×${count}`);
  const tail = byCode.length > 0 ? ` [${byCode.join(' ')}]` : '';
  return `${parts.join(', ')}${tail}${counts.infos > 0 && !verbose ? ' (--verbose shows notes)' : ''}`;
}

export function jsonOut(io: CommandIO, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Ends a command that cannot start (a config it cannot read, a fleet it cannot load): the
 * diagnostics as text on stderr, or under --json as the one JSON object every command prints.
 */
export function reportFailure(
  io: CommandIO,
  command: string,
  diagnostics: readonly Diagnostic[],
  options: ReportOptions & { json?: boolean } = {},
  extra: Record<string, unknown> = {},
): number {
  if (options.json) jsonOut(io, { ok: false, command, ...extra, diagnostics });
  else printDiagnostics(io, diagnostics, options);
  return EXIT_FINDINGS;
}
