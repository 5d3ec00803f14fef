/**
 * A YAML writer for compiled definitions: plain JSON-like data (mappings with string keys,
 * sequences, strings, numbers, booleans, null) → block-style YAML 1.2.
 *
 * Naive approach: a general YAML library's stringify. It is slower here (it builds a document
 * tree first; bench/compile.ts), and a new library version that changes its formatting would make every
 * committed fleet "stale" with no change in content.
 * What this does: one recursive pass. A string is written plain when a YAML 1.2 core-schema
 * reader would read it back as the same string, as a literal block (`|`) when it is multi-line
 * text, and double-quoted (JSON escaping, which YAML accepts) otherwise.
 * Invariants: `parse(writeYaml(value))` deep-equals `value` (round-trip tests on the corpus and
 * fast-check); the output depends only on the value; LF only; ends with a newline.
 */

const INDENT = '  ';

/** Strings a core-schema reader would turn into something else, or misread as YAML syntax. */
const RESERVED =
  /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|[-+]?(?:\.inf|\.Inf|\.INF)|\.nan|\.NaN|\.NAN|<<)$/;
const NUMBER_LIKE = /^[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$|^0[xob][0-9a-fA-F_]+$|^[-+]?\d[\d_]*(?::[0-5]?\d)+(?:\.\d*)?$/;
/** Characters that may start a plain scalar in block context without changing its meaning. */
const SAFE_START = /^[^-?:,[\]{}#&*!|>'"%@`\s]|^[-?:][^\s,[\]{}]/;
const UNSAFE_INSIDE = /: |:$| #|[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]|^\s|\s$/;

function isPlainSafe(text: string): boolean {
  return text !== '' && SAFE_START.test(text) && !UNSAFE_INSIDE.test(text) && !RESERVED.test(text) && !NUMBER_LIKE.test(text);
}

/** Multi-line text that a literal block can carry exactly: no control characters but LF and TAB,
 * no trailing spaces on a line (they would survive, but editors strip them), no leading tab. */
function isBlockSafe(text: string): boolean {
  return (
    text.includes('\n') &&
    !/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\r]/.test(text) &&
    !/[ \t]\n|[ \t]$/.test(text) &&
    !/^\t|\n\t/.test(text)
  );
}

function scalar(value: unknown): string | undefined {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : JSON.stringify(String(value));
  if (typeof value === 'string') return isPlainSafe(value) ? value : undefined;
  return undefined;
}

function block(text: string, indent: string): string {
  const trailing = /\n+$/.exec(text)?.[0].length ?? 0;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const body = trailing > 1 ? text.slice(0, text.length - trailing + 1) + '\n'.repeat(trailing - 1) : text;
  const indicator = /^[ \n]/.test(text) ? String(INDENT.length) : '';
  const lines = (trailing > 0 ? body.slice(0, -1) : body).split('\n');
  return `|${indicator}${chomp}\n${lines.map((line) => (line === '' ? '' : indent + line)).join('\n')}`;
}

function string(text: string, indent: string): string {
  return scalar(text) ?? (isBlockSafe(text) ? block(text, indent) : JSON.stringify(text));
}

function isEmptyCollection(value: unknown): string | undefined {
  if (Array.isArray(value) && value.length === 0) return '[]';
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) return '{}';
  return undefined;
}

function key(name: string): string {
  return isPlainSafe(name) ? name : JSON.stringify(name);
}

function write(value: unknown, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      const inline = isEmptyCollection(item) ?? (typeof item === 'string' ? string(item, indent + INDENT) : scalar(item));
      if (inline !== undefined) {
        out.push(`${indent}- ${inline}`);
        continue;
      }
      const nested: string[] = [];
      write(item, indent + INDENT, nested);
      out.push(`${indent}- ${nested[0]!.slice(indent.length + INDENT.length)}`, ...nested.slice(1));
    }
    return;
  }
  for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
    if (item === undefined) continue;
    const inline = isEmptyCollection(item) ?? (typeof item === 'string' ? string(item, indent + INDENT) : scalar(item));
    if (inline !== undefined) {
      out.push(`${indent}${key(name)}: ${inline}`);
      continue;
    }
    out.push(`${indent}${key(name)}:`);
    write(item, indent + INDENT, out);
  }
}

/**
 * Writes a mapping as block-style YAML.
 *
 * @example writeYaml({ a: [1, 'b: c'] }) === 'a:\n  - 1\n  - "b: c"\n'
 */
export function writeYaml(value: Record<string, unknown>): string {
  const out: string[] = [];
  write(value, '', out);
  return out.length === 0 ? '{}\n' : `${out.join('\n')}\n`;
}
