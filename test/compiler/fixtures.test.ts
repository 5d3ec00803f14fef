/**
 * Golden fixtures: one folder per quirk of real briefs under test/fixtures/compiler/<case>/, with
 * the brief and expected.json (whether it compiles, every diagnostic as [code, line, column]
 * except trigger inference's CF3xxx, and selected fields of the definition).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFiles, pick } from '../support/compile.js';

const root = join(import.meta.dirname, '../fixtures/compiler');

interface Expected {
  file: string;
  compiled: boolean;
  diagnostics: Array<[string, number, number]>;
  fields?: Record<string, unknown>;
  hint?: string;
}

describe('compiler fixtures', () => {
  for (const name of readdirSync(root).sort()) {
    const expected = JSON.parse(readFileSync(join(root, name, 'expected.json'), 'utf8')) as Expected;
    it(name, () => {
      const content = readFileSync(join(root, name, expected.file));
      const result = compileFiles({ [`fixtures/${expected.file}`]: content });
      const seen = result.diagnostics.filter((d) => !d.code.startsWith('CF3')).map((d) => [d.code, d.location?.line, d.location?.column]);
      expect(seen).toEqual(expected.diagnostics);
      for (const d of result.diagnostics) {
        expect(d.location?.file).toBe(`.claude/agents/fixtures/${expected.file}`);
        if (d.location && d.severity !== 'info') expect(d.sourceLine, `${d.code} has a code frame`).toBeDefined();
      }
      expect(result.definitions.length).toBe(expected.compiled ? 1 : 0);
      if (expected.hint) expect(result.diagnostics.map((d) => d.hint)).toContain(expected.hint);
      const definition = result.definitions[0];
      for (const [path, value] of Object.entries(expected.fields ?? {})) expect(pick(definition, path), path).toEqual(value);
    });
  }
});
