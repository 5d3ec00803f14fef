/**
 * One source of truth: the shipped JSON Schema file is what the TypeBox definition produces, it
 * is draft 2020-12, rejects unknown keys everywhere, and accepts what the compiler emits.
 */
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { SCHEMA_PATH, schemaText } from '../../scripts/write-schema.js';
import { compileFiles } from '../support/compile.js';

type Node = { type?: string; properties?: Record<string, Node>; additionalProperties?: unknown; items?: Node; anyOf?: Node[] };

function objectsWithoutStrictness(node: Node, path: string, out: string[]): string[] {
  if (node.type === 'object' && node.properties && node.additionalProperties !== false) out.push(path);
  for (const [key, child] of Object.entries(node.properties ?? {})) objectsWithoutStrictness(child, `${path}.${key}`, out);
  if (node.items) objectsWithoutStrictness(node.items, `${path}[]`, out);
  return out;
}

describe('definition schema', () => {
  it('the shipped file is current (run `npm run schema` if not)', () => {
    expect(readFileSync(SCHEMA_PATH, 'utf8')).toBe(schemaText());
  });

  it('is draft 2020-12 and rejects unknown keys in every object', () => {
    const schema = JSON.parse(schemaText());
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(objectsWithoutStrictness(schema, '$', [])).toEqual([]);
  });

  it('accepts a compiled definition and rejects an unknown key', () => {
    const Ajv = Ajv2020 as unknown as typeof Ajv2020.default;
    const validate = new Ajv({ strict: true }).compile(JSON.parse(schemaText()));
    const [definition] = compileFiles({ 'a.md': '---\nname: a\ndescription: Writes Rust.\ntools: Read\n---\nBody\n' }).definitions;
    expect(validate(definition)).toBe(true);
    expect(validate({ ...definition, surprise: true })).toBe(false);
  });
});
