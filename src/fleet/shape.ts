/**
 * Shape checks of the two fleet files a reader parses, `index.json` and `triggers.json`, before
 * any field is used. `convert` writes them, but they are files in a repository: hand edits, merge
 * conflicts, an older or foreign tool. Without a check, `{}` reads as "undefined version undefined",
 * `null` as a valid empty fleet, and a string where a list belongs crashes the router with a
 * stack trace. Each problem is a diagnostic naming the field by its JSON path and what it holds.
 *
 * Hand-written on purpose: ajv and the schema cost more start-up than `route` can spend; one pass
 * over the fields is linear in the file and allocates nothing per well-shaped field.
 *
 * @example
 * const problems = indexShapeProblems(JSON.parse(text), 'codex/agents/index.json');
 * if (problems.length > 0) return { diagnostics: problems };
 */
import { isAbsolute, posix } from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { DEFINITION_SUFFIX, FLEET_FORMAT, INDEX_FILE, TRIGGERS_FILE } from './types.js';

/** Problems listed per file before "and N more": the first few say what happened, the rest is noise. */
const MAX_PROBLEMS_SHOWN = 5;

type Check = (value: unknown) => string | undefined;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const string: Check = (value) => (typeof value === 'string' ? undefined : 'a string');
const nonEmptyString: Check = (value) => (typeof value === 'string' && value.length > 0 ? undefined : 'a non-empty string');
const number: Check = (value) => (typeof value === 'number' && Number.isFinite(value) ? undefined : 'a number');
const strings: Check = (value) =>
  Array.isArray(value) && value.every((item) => typeof item === 'string') ? undefined : 'a list of strings';
const optional =
  (check: Check): Check =>
  (value) =>
    value === undefined ? undefined : check(value);

/**
 * A definition path as convert writes it: relative, forward slashes, inside the fleet folder, ending
 * in `.codex.yaml`. Anything else could make a reader open `/dev/zero` or a file outside the fleet.
 */
export function definitionPathProblem(path: string): string | undefined {
  if (isAbsolute(path) || path.startsWith('/') || path.includes('\\') || path.includes('\0'))
    return 'a relative path inside the fleet folder';
  const normalized = posix.normalize(path);
  if (normalized !== path || normalized === '..' || normalized.startsWith('../')) return 'a relative path inside the fleet folder';
  if (!path.endsWith(DEFINITION_SUFFIX)) return `a path ending in ${DEFINITION_SUFFIX}`;
  return undefined;
}

const definitionPath: Check = (value) =>
  typeof value === 'string' ? definitionPathProblem(value) : 'a relative path inside the fleet folder';

const INDEX_ENTRY: Record<string, Check> = {
  id: nonEmptyString,
  name: string,
  domain: string,
  subdomain: optional(string),
  tier: string,
  description: string,
  autonomy_level: number,
  max_parallel_tasks: number,
  keywords: strings,
  path: definitionPath,
  source: string,
  hash: string,
};
const REGEX_ENTRY: Record<string, Check> = { pattern: string, priority: number, agents: strings };
const AGENT_INFO: Record<string, Check> = { domain: string, subdomain: optional(string), tier: string, prior: number, topics: strings };

class Problems {
  readonly found: Array<{ path: string; expected: string; value: unknown }> = [];
  add(path: string, expected: string | undefined, value: unknown): void {
    if (expected !== undefined) this.found.push({ path, expected, value });
  }
  fields(object: Record<string, unknown>, prefix: string, checks: Record<string, Check>): void {
    for (const [key, check] of Object.entries(checks)) this.add(`${prefix}.${key}`, check(object[key]), object[key]);
  }
  listOf(value: unknown, path: string, checks: Record<string, Check>): void {
    if (!Array.isArray(value)) return this.add(path, 'a list', value);
    value.forEach((item, index) =>
      isObject(item) ? this.fields(item, `${path}[${index}]`, checks) : this.add(`${path}[${index}]`, 'an object', item),
    );
  }
  mapOf(value: unknown, path: string, each: Check | Record<string, Check>): void {
    if (value === undefined) return;
    if (!isObject(value)) return this.add(path, 'an object', value);
    for (const [key, item] of Object.entries(value)) {
      const at = `${path}[${JSON.stringify(key)}]`;
      if (typeof each === 'function') this.add(at, each(item), item);
      else if (isObject(item)) this.fields(item, at, each);
      else this.add(at, 'an object', item);
    }
  }
}

/** Problems of an `index.json` value; empty when a reader can use every field. */
export function indexShapeProblems(value: unknown, file: string): Diagnostic[] {
  const head = notAFleetFile(value, file, INDEX_FILE);
  if (head) return [head];
  const index = value as Record<string, unknown>;
  const problems = new Problems();
  problems.fields(index, '', { format_version: number, schema_version: number, hash: string, source_root: string });
  problems.listOf(index.agents, '.agents', INDEX_ENTRY);
  return report(problems, file);
}

/** Problems of a `triggers.json` value. Absent `agents`/`generalists`/maps are filled from the index later (complete-triggers.ts). */
export function triggersShapeProblems(value: unknown, file: string): Diagnostic[] {
  const head = notAFleetFile(value, file, TRIGGERS_FILE);
  if (head) return [head];
  const table = value as Record<string, unknown>;
  const problems = new Problems();
  problems.fields(table, '', { format_version: number, hash: string, generalists: optional(strings) });
  problems.mapOf(table.keywords, '.keywords', strings);
  if (table.regex !== undefined) problems.listOf(table.regex, '.regex', REGEX_ENTRY);
  problems.mapOf(table.file_patterns, '.file_patterns', strings);
  problems.mapOf(table.agents, '.agents', AGENT_INFO);
  return report(problems, file);
}

/** Not an object, or no `format` of ours: say what the file holds instead of reading fields of it. */
function notAFleetFile(value: unknown, file: string, name: string): Diagnostic | undefined {
  const at = { file, line: 1, column: 1 };
  if (!isObject(value))
    return diagnostic('CF5040', `${name} holds ${describe(value)}, not a fleet ${name === INDEX_FILE ? 'index' : 'routing table'}`, at);
  if (value.format === undefined)
    return diagnostic(
      'CF5040',
      `${name} has no "format": it is not a codex-flow fleet file (convert writes "format": "${FLEET_FORMAT}")`,
      at,
    );
  if (value.format !== FLEET_FORMAT)
    return diagnostic('CF5040', `${name} is of format ${describe(value.format)}, not "${FLEET_FORMAT}"`, at);
  return undefined;
}

function report(problems: Problems, file: string): Diagnostic[] {
  const { found } = problems;
  if (found.length === 0) return [];
  const name = file.split(/[\\/]/).pop()!;
  const lines = found.slice(0, MAX_PROBLEMS_SHOWN).map((p) => `\`${p.path.slice(1)}\` should be ${p.expected}, not ${describe(p.value)}`);
  const more = found.length > MAX_PROBLEMS_SHOWN ? ` (and ${found.length - MAX_PROBLEMS_SHOWN} more)` : '';
  return [
    diagnostic('CF5041', `${name} has ${found.length} wrong-shaped field(s)${more}: ${lines.join('; ')}`, { file, line: 1, column: 1 }),
  ];
}

/** A value as a person would name it in a message: `null`, `a number (5)`, `a string "x"`, … */
export function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length}`;
  if (typeof value === 'string') return `a string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 39)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value} (${String(value)})`;
}
