/**
 * Diagnostics are values. Every pass returns them next to its result; only the public
 * boundary (the CLI, or a library call that cannot proceed) turns them into exit codes.
 *
 * @example
 * const d = diagnostic('CF1101', 'quote the description: it contains ": "', { file: 'a.md', line: 3, column: 14 });
 */
import { CODES, type CodeEntry, type DiagnosticCode } from './codes.js';

export type Severity = 'error' | 'warning' | 'info';

/** A position in a source file: 1-based line and column, as editors and GitHub show them. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

export interface Diagnostic {
  /** Stable code, e.g. `CF1101`; see codes.ts. */
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  location?: SourceLocation;
  /** The text of the source line at `location.line`, for the code frame. */
  sourceLine?: string;
  /** What to do about it, phrased as an instruction. */
  hint?: string;
  notes?: string[];
}

export interface DiagnosticExtras {
  sourceLine?: string;
  hint?: string;
  notes?: string[];
  severity?: Severity;
}

/** Builds a diagnostic with the code's default severity and hint unless overridden. */
export function diagnostic(code: DiagnosticCode, message: string, location?: SourceLocation, extras: DiagnosticExtras = {}): Diagnostic {
  const entry: CodeEntry = CODES[code];
  const result: Diagnostic = { code, severity: extras.severity ?? entry.severity, message };
  if (location) result.location = location;
  if (extras.sourceLine !== undefined) result.sourceLine = extras.sourceLine;
  const hint = extras.hint ?? entry.hint;
  if (hint) result.hint = hint;
  if (extras.notes && extras.notes.length > 0) result.notes = extras.notes;
  return result;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Stable order for output people diff: file, line, column, code, message. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  const fa = a.location?.file ?? '';
  const fb = b.location?.file ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  const la = a.location?.line ?? 0;
  const lb = b.location?.line ?? 0;
  if (la !== lb) return la - lb;
  const ca = a.location?.column ?? 0;
  const cb = b.location?.column ?? 0;
  if (ca !== cb) return ca - cb;
  if (a.severity !== b.severity) return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity];
  if (a.code !== b.code) return a.code < b.code ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

/** Counts per code, for summaries and for the corpus tests that pin outcomes. */
export function countByCode(diagnostics: readonly Diagnostic[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const d of diagnostics) counts[d.code] = (counts[d.code] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)));
}
