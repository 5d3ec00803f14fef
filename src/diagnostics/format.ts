/**
 * Diagnostics for people (file:line:col, code frame, hint), for machines (JSON) and for GitHub
 * Actions (workflow commands that annotate the pull request). Same data in all three.
 */
import type { Diagnostic } from './diagnostic.js';

/** Source lines longer than this are cut around the column, so frames stay one terminal line. */
const FRAME_WIDTH = 120;

function location(d: Diagnostic): string {
  if (!d.location) return 'codex-flow';
  return `${d.location.file}:${d.location.line}:${d.location.column}`;
}

function frame(d: Diagnostic): string[] {
  if (!d.location || d.sourceLine === undefined) return [];
  let text = d.sourceLine.replace(/\t/g, ' ');
  let column = d.location.column - 1;
  if (text.length > FRAME_WIDTH) {
    const start = Math.max(0, Math.min(column - FRAME_WIDTH / 2, text.length - FRAME_WIDTH));
    text = `${start > 0 ? '…' : ''}${text.slice(start, start + FRAME_WIDTH)}${start + FRAME_WIDTH < text.length ? '…' : ''}`;
    column = column - start + (start > 0 ? 1 : 0);
  }
  const gutter = String(d.location.line);
  const pad = ' '.repeat(gutter.length);
  return [` ${gutter} | ${text}`, ` ${pad} | ${' '.repeat(Math.max(0, column))}^`];
}

/**
 * One diagnostic as text, e.g.
 * `a.md:3:14: warning CF1111: message` + code frame + `hint: …`.
 *
 * @example formatDiagnostic(d)
 */
export function formatDiagnostic(d: Diagnostic): string {
  const lines = [`${location(d)}: ${d.severity} ${d.code}: ${d.message}`, ...frame(d)];
  for (const note of d.notes ?? []) lines.push(`  note: ${note}`);
  if (d.hint) lines.push(`  hint: ${d.hint}`);
  return `${lines.join('\n')}\n`;
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** A GitHub Actions workflow command (`::error file=…,line=…::…`). Info becomes `notice`. */
export function formatGitHub(d: Diagnostic): string {
  const command = d.severity === 'info' ? 'notice' : d.severity;
  const properties = [`title=${escapeProperty(d.code)}`];
  if (d.location) {
    properties.unshift(`file=${escapeProperty(d.location.file)}`, `line=${d.location.line}`, `col=${d.location.column}`);
  }
  const message = d.hint ? `${d.message}\n${d.hint}` : d.message;
  return `::${command} ${properties.join(',')}::${escapeData(message)}\n`;
}

export interface Counts {
  errors: number;
  warnings: number;
  infos: number;
}

export function countSeverities(diagnostics: readonly Diagnostic[]): Counts {
  const counts: Counts = { errors: 0, warnings: 0, infos: 0 };
  for (const d of diagnostics) {
    if (d.severity === 'error') counts.errors++;
    else if (d.severity === 'warning') counts.warnings++;
    else counts.infos++;
  }
  return counts;
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
