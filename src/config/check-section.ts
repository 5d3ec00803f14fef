/**
 * Checks one config section against its JSON Schema (ajv, draft 2020-12, every error) and turns
 * each schema error into a diagnostic at the offending key or value in the file, with a hint: the
 * closest known key for an unknown one, the closest allowed value for a bad enum, the expected
 * kind for a wrong type, or the schema's own `hint` annotation where it says more. Loaded only
 * when the file has a section (ajv is large).
 */
import Ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { diagnostic, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';
import { closest } from '../util/closest.js';
import type { RuleProblem, SectionSpec } from './sections.js';

/** Where a key (`key`) or its value (`value`) stands in the file, with its source line; undefined when unknown. */
export type Locate = (path: readonly string[], part: 'key' | 'value') => (SourceLocation & { sourceLine?: string }) | undefined;

const compiled = new WeakMap<object, ValidateFunction>();
// The package's CommonJS export is the class itself; its types describe it as `.default`.
const Ajv = Ajv2020 as unknown as typeof Ajv2020.default;
let ajv: InstanceType<typeof Ajv> | undefined;

function validatorOf(schema: object): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    // `verbose` hands each error its schema node, whose `hint` annotation then reaches the person.
    ajv ??= new Ajv({
      allErrors: true,
      strict: true,
      allowUnionTypes: true,
      verbose: true,
      keywords: [{ keyword: 'hint', schemaType: 'string' }],
    });
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

type Spec = Pick<SectionSpec, 'code' | 'codes' | 'severity'>;

/** The problems of `value` (the section `name`) against `schema`, ordered by their place in the file. */
export function checkSection(name: string, value: unknown, spec: Spec, schema: object, locate: Locate): Diagnostic[] {
  const validate = validatorOf(schema);
  if (validate(value)) return [];
  // `if` reports that its `then` failed: the `then` error itself says where and why.
  const out = (validate.errors ?? [])
    .filter((error) => error.keyword !== 'if')
    .map((error) => toDiagnostic(name, value, error, spec, schema, locate));
  return inFileOrder(out);
}

/** The problems found by a section's rules (sections.ts `rules`), each at the value it names. */
export function ruleDiagnostics(name: string, problems: readonly RuleProblem[], spec: Spec, locate: Locate): Diagnostic[] {
  return problems.map((problem) => {
    const location = locate([name, ...problem.path], 'value') ?? locate([name], 'key');
    return diagnostic(
      codeOf(spec, problem.path),
      problem.message,
      location && { file: location.file, line: location.line, column: location.column },
      {
        severity: spec.severity,
        ...(location?.sourceLine !== undefined ? { sourceLine: location.sourceLine } : {}),
        ...(problem.hint ? { hint: problem.hint } : {}),
      },
    );
  });
}

function codeOf(spec: Spec, path: readonly string[]): Spec['code'] {
  return (path[0] !== undefined ? spec.codes?.[path[0]] : undefined) ?? spec.code;
}

function inFileOrder(out: Diagnostic[]): Diagnostic[] {
  return out.sort((a, b) => (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0));
}

function toDiagnostic(name: string, value: unknown, error: ErrorObject, spec: Spec, schema: object, locate: Locate): Diagnostic {
  const path = [name, ...error.instancePath.split('/').slice(1).map(unescapePointer)];
  const where = path.join('.');
  const code = codeOf(spec, path.slice(1));
  const annotated = (error.parentSchema as { hint?: string } | undefined)?.hint;
  const extras = (location: ReturnType<Locate>, hint?: string) => ({
    severity: spec.severity,
    ...(location?.sourceLine !== undefined ? { sourceLine: location.sourceLine } : {}),
    ...(hint ? { hint } : {}),
  });
  const place = (location: ReturnType<Locate>) =>
    location ? { file: location.file, line: location.line, column: location.column } : undefined;
  if (error.keyword === 'additionalProperties') {
    const key = String(error.params.additionalProperty);
    const known = Object.keys(propertiesAt(schema, path.slice(1)));
    const guess = closest(key, known);
    const location = locate([...path, key], 'key');
    const hint = guess
      ? `did you mean \`${where}.${guess}\`?`
      : known.length > 0
        ? `known keys of \`${where}\`: ${known.join(', ')}`
        : undefined;
    const ignored = spec.severity === 'warning' ? '; ignored' : '';
    return diagnostic(code, `unknown key \`${where}.${key}\`${ignored}`, place(location), extras(location, hint));
  }
  // A missing node (a required key) is reported at the section's own key.
  const location = locate(path, 'value') ?? locate([name], 'key');
  if (error.keyword === 'enum') {
    // YAML's empty value is allowed where the default applies; it is not a value to suggest.
    const allowed = (error.params.allowedValues as unknown[]).filter((allowed) => allowed !== null).map(String);
    const given = path.slice(1).reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], value);
    const guess = typeof given === 'string' ? closest(given, allowed) : undefined;
    const hint = guess ? `did you mean \`${guess}\`?` : undefined;
    return diagnostic(code, `\`${where}\` must be one of: ${allowed.join(', ')}`, place(location), extras(location, hint));
  }
  if (error.keyword === 'type') {
    const kinds = String(error.params.type)
      .split(',')
      .filter((kind) => kind !== 'null');
    return diagnostic(
      code,
      `\`${where}\` must be ${kinds.join(' or ')}`,
      place(location),
      extras(location, annotated ?? `write ${kinds.map((kind) => KINDS[kind] ?? kind).join(' or ')} there`),
    );
  }
  return diagnostic(code, `\`${where}\` ${error.message ?? 'is invalid'}`, place(location), extras(location, annotated));
}

const KINDS: Record<string, string> = {
  array: 'a list (`[a, b]` or one `- item` a line)',
  object: 'a mapping (`key: value` lines indented below)',
  string: 'a text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
};

/** The declared properties of the schema object at `path` (through `then`, `properties`, a schema for any other key, and `items`). */
function propertiesAt(schema: object, path: readonly string[]): Record<string, unknown> {
  type Node = { then?: Node; properties?: Record<string, Node>; additionalProperties?: Node | boolean; items?: Node };
  const open = (node: Node): Node => node.then ?? node;
  let node = open(schema as Node);
  for (const key of path) {
    const any = typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined;
    const next = node.properties?.[key] ?? any ?? (/^\d+$/.test(key) ? node.items : undefined);
    if (!next || typeof next !== 'object') return {};
    node = open(next);
  }
  return node.properties ?? {};
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
