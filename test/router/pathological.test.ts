/**
 * Inputs that break naive routers: huge tasks, thousands of paths, lone surrogates, NUL bytes,
 * catastrophic regexes, keywords that are substrings of everything. The router must answer,
 * within its caps, and say what it cut.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRouter } from '../../src/router/staged-router.js';
import { MAX_PATHS, MAX_TASK_CHARS } from '../../src/router/limits.js';
import { tableOf } from './support/tables.js';

const router = createRouter(
  {
    triggers: tableOf({
      everywhere: { keywords: ['e', 'a'] },
      redos: {
        regex: [
          { pattern: '(a+)+$', priority: 1 },
          { pattern: '(x|xx)+y', priority: 1 },
        ],
      },
      globs: { files: ['**/*', '**/.*', '!**/*.md'] },
      emoji: { keywords: ['🚀 launch'] },
      helper: { tier: 'generalist' },
    }),
  },
  { options: { semantic: 'off', top: 10 } },
);

describe('pathological requests', () => {
  it('cuts a huge task and reports it', () => {
    const result = router.route({ task: 'a '.repeat(MAX_TASK_CHARS * 2) });
    expect(result.diagnostics.map((d) => d.code)).toEqual(['CF6001']);
    expect(result.candidates.map((c) => c.id)).toContain('everywhere');
  });

  it('caps thousands of changed paths', () => {
    const files = Array.from({ length: MAX_PATHS + 500 }, (_, i) => `src/f${i}.ts`);
    const result = router.route({ files });
    expect(result.diagnostics[0]).toMatchObject({ code: 'CF6002' });
    expect(result.candidates[0]!.id).toBe('globs');
  });

  it('routes changed files named after Object.prototype members (regression: constructor, __proto__ threw)', () => {
    const topical = createRouter(
      { triggers: tableOf({ py: { keywords: ['api'], topics: ['python'] } }) },
      { options: { semantic: 'off' } },
    );
    const result = topical.route({ task: 'api', files: ['src/constructor', 'lib/x.__proto__', '__proto__', 'a.constructor', 'main.py'] });
    expect(result.candidates.map((c) => c.id)).toEqual(['py']);
    expect(result.candidates[0]!.terms.find((t) => t.name === 'affinity')!.value).toBe(1);
  });

  it('survives catastrophic-regex inputs (RE2 is linear)', () => {
    const result = router.route({ task: `${'x'.repeat(5000)}!${'a'.repeat(5000)}!` });
    expect(result.candidates.map((c) => c.id)).not.toContain('redos');
  });

  it('never throws on arbitrary strings: lone surrogates, NUL, emoji, control characters', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.array(fc.string({ unit: 'binary', maxLength: 40 }), { maxLength: 5 }),
        (task, files) => {
          const result = router.route({ task, files });
          expect(result.candidates.length > 0 || result.fallback !== undefined).toBe(true);
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });

  it('matches a keyword that starts with an emoji (astral characters keep offsets)', () => {
    const result = router.route({ task: 'ready for the 🚀 launch?' });
    const evidence = result.candidates.find((c) => c.id === 'emoji')!.evidence[0]!;
    expect(evidence).toMatchObject({ stage: 'keyword', text: '🚀 launch', start: 14, end: 23 });
  });

  it('an empty request is answered by the generalist tier with a reason', () => {
    const result = router.route({});
    expect(result.fallback?.reason).toMatch(/empty request/);
    expect(result.candidates.map((c) => c.id)).toEqual(['helper']);
  });
});

describe('regressions', () => {
  it('"go" does not fire on "goes" (plural rule for short keywords)', () => {
    const go = createRouter({ triggers: tableOf({ golang: { keywords: ['go'] } }) }, { options: { semantic: 'off' } });
    expect(go.route({ task: 'the request goes out' }).candidates.filter((c) => c.stages.length > 0)).toEqual([]);
  });
});
