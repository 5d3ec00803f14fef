/**
 * The front-matter reader never throws, whatever the bytes: property tests with fast-check over
 * arbitrary text, YAML-ish text, binary junk, deep nesting and huge inputs. Every outcome is
 * either a definition or a diagnostic with a code and a location.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileBrief } from '../../src/compiler/compile-brief.js';
import { testOptions } from '../support/compile.js';

const options = testOptions();

function check(bytes: Uint8Array): void {
  const result = compileBrief(bytes, 'x.md', '.claude/agents/x.md', options);
  expect(result.brief !== undefined || result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  for (const d of result.diagnostics) {
    expect(d.code).toMatch(/^CF\d{4}$/);
    expect(d.location?.line).toBeGreaterThanOrEqual(1);
  }
}

const yamlish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '---',
        '-----',
        '...',
        'name: a',
        'description: b: c',
        'tools: [',
        'user: x',
        '  - y',
        'codex:',
        '  triggers: {',
        '"',
        "'",
        '|',
        '>-',
        '&a [*a, *a]',
        '*a',
        '? x',
        '\t',
        '#',
        '\\n',
        '\u0000',
        '\uFEFF',
        '\r',
      ),
      fc.string({ maxLength: 20 }),
    ),
    { maxLength: 40 },
  )
  .map((lines) => lines.join('\n'));

describe('the brief reader never throws', () => {
  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => check(Buffer.from(text))),
      { numRuns: 400 },
    );
  });

  it('on YAML-shaped noise inside fences', () => {
    fc.assert(
      fc.property(yamlish, fc.boolean(), (text, fenced) => check(Buffer.from(fenced ? `---\n${text}\n---\nbody` : text))),
      { numRuns: 600 },
    );
  });

  it('on binary junk', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => check(bytes)),
      { numRuns: 300 },
    );
  });

  it('on deep nesting, alias bombs and huge inputs', () => {
    const cases = [
      `---\nname: a\ndescription: b\ncodex: ${'['.repeat(50_000)}\n---\n`,
      `---\nname: a\ndescription: b\ncodex: ${'{a: '.repeat(5_000)}\n---\n`,
      `---\n${Array.from({ length: 200 }, (_, depth) => `${' '.repeat(depth)}k${depth}:`).join('\n')}\n---\n`,
      `---\nname: a\ndescription: b\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n---\n`,
      `---\nname: a\ndescription: ${'x'.repeat(70_000)}\n---\n`,
      `---\n${'name: a\n'.repeat(20_000)}---\n`,
    ];
    for (const text of cases) check(Buffer.from(text));
  });
});
