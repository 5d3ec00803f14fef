/**
 * A self-referential YAML alias (`a: &a [*a]`) in one brief overflowed the stack and nothing
 * compiled (issue 16): that brief is an error at the alias, the others compile.
 */
import { describe, expect, it } from 'vitest';
import { compileFiles } from '../support/compile.js';

function brief(name: string, extra = ''): string {
  return `---\nname: ${name}\ndescription: Reviews ${name} changes for tests\n${extra}---\nYou review ${name} code.\n`;
}

describe('a self-referential YAML alias', () => {
  for (const [label, line, column] of [
    ['a: &a [*a]\n', 4, 8],
    ['b: &x {c: [*x]}\n', 4, 12],
    ['d: &r\n  e: *r\n', 5, 6],
  ] as const) {
    it(`${JSON.stringify(label.trim())} is CF1056 at the alias and the other briefs compile`, () => {
      const result = compileFiles({ 'loop.md': brief('loop', label), 'good.md': brief('good') });
      const cycle = result.diagnostics.find((d) => d.code === 'CF1056');
      expect(cycle?.location).toEqual({ file: '.claude/agents/loop.md', line, column });
      expect(result.definitions.map((d) => d.agent.id)).toEqual(['good']);
    });
  }

  it('an alias to a sibling value is still fine', () => {
    const result = compileFiles({ 'ok.md': brief('ok', 'x: &a [1]\ny: [*a, *a]\n') });
    expect(result.diagnostics.map((d) => d.code)).not.toContain('CF1056');
    expect(result.definitions.map((d) => d.agent.id)).toEqual(['ok']);
  });
});
