/**
 * Line-level repairs of front-matter that a strict YAML parser rejects but whose intent is plain.
 *
 * Naive approach: quote the first `: ` you see, or join lines, moving every later position.
 * What this does: splits the block into top-level entries (a `key:` at column 0 starts one; a
 * column-0 `user:`/`assistant:` line or a non-key line continues the previous one), and rewrites
 * each plain-scalar entry that needs it as one double-quoted scalar spread over the same lines.
 * YAML folds a double-quoted scalar's line breaks exactly as it folds a plain one, so the value
 * is what the author meant.
 * Invariants: the output has the same number of lines as the input; entries that need no repair
 * are left byte for byte; pure.
 */
import type { DiagnosticCode } from '../diagnostics/codes.js';

/** Keys that, at column 0 of a front-matter, are continuation lines of an example, not keys. */
export const CONTINUATION_KEYS = new Set(['user', 'assistant', 'human', 'ai', 'commentary', 'context', 'example', 'examples']);

export interface Repair {
  key: string;
  /** Line (0-based, within the YAML) and column (1-based) of what needed the repair. */
  line: number;
  column: number;
  code: DiagnosticCode;
  message: string;
}

interface Entry {
  key: string;
  first: number;
  last: number;
  value: string;
}

const TOP_KEY = /^([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+(.*))?$/;
/** Values that start like this are not plain scalars and are never rewritten. */
const NOT_PLAIN = /^["'|>[{&*!#%@`]/;

function entriesOf(lines: string[]): Entry[] {
  const entries: Entry[] = [];
  lines.forEach((line, index) => {
    const match = TOP_KEY.exec(line);
    const isKey = match !== null && !CONTINUATION_KEYS.has(match[1]!.toLowerCase());
    if (isKey) entries.push({ key: match[1]!, first: index, last: index, value: (match[2] ?? '').trimEnd() });
    else if (line.startsWith('#')) return;
    else if (entries.length > 0) entries[entries.length - 1]!.last = index;
  });
  return entries;
}

function quote(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

interface Problem {
  kind: 'colon' | 'column0';
  line: number;
  column: number;
}

function colonAt(line: string, from: number): number {
  const index = line.indexOf(': ', from);
  return index < 0 ? -1 : index + 1;
}

function continuationProblem(lines: string[], entry: Entry): Problem | undefined {
  const firstLine = lines[entry.first]!;
  const valueStart = firstLine.indexOf(':') + 1;
  let problem: Problem | undefined =
    colonAt(firstLine, valueStart) > 0 ? { kind: 'colon', line: entry.first, column: colonAt(firstLine, valueStart) } : undefined;
  for (let i = entry.first + 1; i <= entry.last; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    if (!/^[ \t]/.test(line)) return { kind: 'column0', line: i, column: 1 };
    if (!problem && colonAt(line, 0) > 0) problem = { kind: 'colon', line: i, column: colonAt(line, 0) };
  }
  return problem;
}

/**
 * Returns the repaired YAML and what was repaired; no repairs means nothing was recognisable.
 *
 * @example repairFrontMatter('description: Triggers on: a, b').yaml === 'description: "Triggers on: a, b"'
 */
export function repairFrontMatter(yaml: string): { yaml: string; repairs: Repair[] } {
  const lines = yaml.split('\n');
  const repairs: Repair[] = [];
  for (const entry of entriesOf(lines)) {
    if (entry.value === '' || NOT_PLAIN.test(entry.value)) continue;
    const problem = continuationProblem(lines, entry);
    if (!problem) continue;
    let last = entry.last;
    while (last > entry.first && lines[last]!.trim() === '') last--;
    const prefix = lines[entry.first]!.slice(0, lines[entry.first]!.indexOf(':') + 1);
    // Column-0 continuations are dialogue lines (`user:` / `assistant:`): keep their line breaks
    // with an escaped break (`\` at the end, `\n` at the start) instead of folding them to spaces.
    const keepBreak = (index: number) => problem.kind === 'column0' && index <= last && /^[^ \t]/.test(lines[index]!);
    const end = (index: number) => (index === last ? '"' : keepBreak(index + 1) ? '\\' : '');
    lines[entry.first] = `${prefix} "${quote(entry.value)}${end(entry.first)}`;
    for (let i = entry.first + 1; i <= last; i++) {
      const text = lines[i]!.trim();
      if (text === '') {
        lines[i] = '';
        continue;
      }
      lines[i] = `  ${keepBreak(i) ? '\\n' : ''}${quote(text)}${end(i)}`;
    }
    repairs.push(
      problem.kind === 'colon'
        ? {
            key: entry.key,
            line: problem.line,
            column: problem.column,
            code: 'CF1111',
            message: `\`${entry.key}\` is an unquoted value containing ": "; read as one string`,
          }
        : {
            key: entry.key,
            line: problem.line,
            column: problem.column,
            code: 'CF1112',
            message: `\`${entry.key}\` continues on lines starting at column 0 (like \`user:\`); read them as part of the value`,
          },
    );
  }
  return { yaml: lines.join('\n'), repairs };
}
