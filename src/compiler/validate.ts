/**
 * validate: a candidate definition → a valid AgentDefinition or diagnostics that point at the
 * brief. The JSON Schema (draft 2020-12, unknown keys rejected) is compiled once. Schema errors
 * are mapped back from ajv's `instancePath` to where the brief set the field: inside `codex:`
 * when the field came from there, else the front-matter key it was derived from.
 * Also checks what a schema cannot: regexes compile in RE2 (the router's engine), globs are
 * globs with a linear-time RE2 form (glob-compile.ts), and trigger counts stay under the limits.
 */
import Ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { definitionJsonSchema, type AgentDefinition } from '../schema/definition.js';
import { compileGlobSource } from '../util/glob-compile.js';
import { checkRegexPattern } from '../router/regex-check.js';
import { closest } from '../util/closest.js';
import type { Assembled } from './assemble.js';
import { MAX_FILE_PATTERNS_PER_AGENT, MAX_KEYWORDS_PER_AGENT, MAX_REGEX_PER_AGENT } from './limits.js';
import type { NormalizedBrief } from './normalize.js';

let compiled: ValidateFunction | undefined;

/** The schema validator, compiled on first use and shared by every brief and by `validate`. */
export function definitionValidator(): ValidateFunction {
  if (!compiled) {
    const Ajv = Ajv2020 as unknown as typeof Ajv2020.default;
    compiled = new Ajv({ allErrors: true, strict: true, verbose: true }).compile(definitionJsonSchema());
  }
  return compiled;
}

/** Front-matter keys that inferred fields come from, for errors in fields the brief did not set. */
const DERIVED_FROM: Array<[string, string[]]> = [
  ['agent.name', ['name']],
  ['agent.id', ['name']],
  ['agent.description', ['description']],
  ['agent.model', ['model']],
  ['agent.color', ['color']],
  ['capabilities.detail.tools', ['tools']],
];

function sourcePath(error: ErrorObject, assembled: Assembled): (string | number)[] {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  // An unknown key is reported on its parent object; point at the key itself.
  if (error.keyword === 'additionalProperties') segments.push(String(error.params.additionalProperty));
  const dotted = segments.join('.');
  for (let length = segments.length; length > 0; length--) {
    if (assembled.explicitPaths.has(segments.slice(0, length).join('.'))) return ['codex', ...segments];
  }
  for (const [prefix, key] of DERIVED_FROM) if (dotted === prefix || dotted.startsWith(`${prefix}.`)) return key;
  return [];
}

function schemaMessage(error: ErrorObject): { code: 'CF4001' | 'CF4002'; message: string; hint?: string } {
  const where = error.instancePath.split('/').slice(1).join('.') || 'definition';
  if (error.keyword === 'additionalProperties') {
    const key = String(error.params.additionalProperty);
    const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
    const suggestion = closest(key, allowed);
    return {
      code: 'CF4002',
      message: `unknown key \`${key}\` in \`${where}\``,
      hint: suggestion ? `did you mean \`${suggestion}\`?` : `allowed keys: ${allowed.join(', ')}`,
    };
  }
  if (error.keyword === 'enum' || error.keyword === 'const' || error.keyword === 'anyOf') {
    return { code: 'CF4001', message: `\`${where}\` ${error.message ?? 'is not an allowed value'}` };
  }
  return { code: 'CF4001', message: `\`${where}\` ${error.message ?? 'is invalid'}` };
}

function triggerChecks(
  definition: Record<string, unknown>,
  at: (path: (string | number)[]) => Parameters<typeof diagnostic>[2],
  push: (d: Diagnostic) => void,
): void {
  const triggers = definition.triggers as AgentDefinition['triggers'] | undefined;
  if (!triggers || typeof triggers !== 'object') return;
  const caps: Array<[string, unknown[] | undefined, number]> = [
    ['keywords', triggers.keywords, MAX_KEYWORDS_PER_AGENT],
    ['regex', triggers.regex, MAX_REGEX_PER_AGENT],
    ['file_patterns', triggers.file_patterns, MAX_FILE_PATTERNS_PER_AGENT],
  ];
  for (const [name, list, limit] of caps) {
    if (Array.isArray(list) && list.length > limit)
      push(diagnostic('CF4011', `${list.length} ${name} triggers; the limit is ${limit}`, at(['codex', 'triggers', name])));
  }
  (Array.isArray(triggers.regex) ? triggers.regex : []).forEach((entry, index) => {
    if (typeof entry?.pattern !== 'string') return;
    const error = checkRegexPattern(entry.pattern);
    if (error)
      push(diagnostic('CF4010', `regex \`${entry.pattern}\` does not compile in RE2: ${error}`, at(['codex', 'triggers', 'regex', index])));
  });
  (Array.isArray(triggers.file_patterns) ? triggers.file_patterns : []).forEach((glob, index) => {
    if (typeof glob !== 'string') return;
    const problem = glob.startsWith('/')
      ? 'globs are relative to the repository root; remove the leading /'
      : glob.includes('\\')
        ? 'use forward slashes in globs'
        : undefined;
    const where = at(['codex', 'triggers', 'file_patterns', index]);
    if (problem) return push(diagnostic('CF4012', `file pattern \`${glob}\`: ${problem}`, where));
    const compiled = compileGlobSource(glob);
    if (!compiled.ok)
      push(diagnostic(compiled.kind === 'syntax' ? 'CF4012' : 'CF4050', `file pattern \`${glob}\`: ${compiled.reason}`, where));
  });
}

/**
 * Validates one assembled definition against the schema and the router's engines.
 *
 * @example validateDefinition(assembled, brief).definition?.agent.id
 */
export function validateDefinition(
  assembled: Assembled,
  brief: NormalizedBrief,
): { definition?: AgentDefinition; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const at = (path: (string | number)[]) => brief.locate(path);
  const push = (d: Diagnostic) => {
    if (d.location) d.sourceLine = brief.lines[d.location.line - 1] ?? '';
    diagnostics.push(d);
  };
  const validate = definitionValidator();
  if (!validate(assembled.candidate)) {
    const seen = new Set<string>();
    for (const error of validate.errors ?? []) {
      const { code, message, hint } = schemaMessage(error);
      if (seen.has(message)) continue;
      seen.add(message);
      push(diagnostic(code, message, at(sourcePath(error, assembled)), hint ? { hint } : {}));
    }
  }
  triggerChecks(assembled.candidate, at, push);
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  return { definition: assembled.candidate as AgentDefinition, diagnostics };
}
