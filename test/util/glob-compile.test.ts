/**
 * Globs on RE2 (src/util/glob-compile.ts): the same answers as picomatch on normalized paths
 * (property test over a glob grammar with stars, globstars, classes, braces, extglobs and
 * negation), linear time on the red-team patterns that took V8 minutes, and the patterns that
 * have no linear-time form refused with the reason.
 */
import fc from 'fast-check';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { compileGlob, compileGlobSource, MAX_GLOB_LENGTH, MAX_GLOB_WILDCARDS } from '../../src/util/glob-compile.js';
import { GlobStage } from '../../src/router/stages/files/glob-stage.js';
import type { HitBuffers } from '../../src/router/types.js';
import { emptyHitBuffers } from '../support/hit-buffers.js';

const segmentPart = fc.constantFrom(
  '*',
  '?',
  'a',
  'b',
  '.',
  'x',
  'ts',
  '{a,b}',
  '{ts,md}',
  '[ab]',
  '[!a]',
  '@(a|b)',
  '+(a)',
  '*(b)',
  '?(x)',
  '.env',
);
const globSegment = fc.oneof(
  fc.constant('**'),
  fc.array(segmentPart, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('')),
);
const glob = fc
  .tuple(fc.boolean(), fc.array(globSegment, { minLength: 1, maxLength: 4 }))
  .map(([negate, segments]) => `${negate ? '!' : ''}${segments.join('/')}`);
const pathSegment = fc.constantFrom('a', 'b', 'x', 'ab', 'ba', 'a.ts', 'b.md', '.env', '.a', 'x.ts', 'aab', 'bx.ts', '.github');
const path = fc.array(pathSegment, { minLength: 1, maxLength: 5 }).map((segments) => segments.join('/'));

describe('compileGlob agrees with picomatch on normalized paths', () => {
  it('a star segment ending the glob is never empty after a ** that reached the end (regression: */**/* matched a)', () => {
    const glob = compileGlob('*/**/*');
    expect(glob.ok).toBe(true);
    if (!glob.ok) return;
    expect(['a', 'a/b', 'a/b/c'].map((path) => glob.matcher.test(path))).toEqual([false, true, true]);
  });

  it('over generated globs and paths', () => {
    fc.assert(
      fc.property(glob, fc.array(path, { minLength: 1, maxLength: 6 }), (pattern, paths) => {
        const compiled = compileGlob(pattern);
        fc.pre(compiled.ok);
        const oracle = picomatch(pattern, { dot: true });
        for (const candidate of paths) {
          expect([pattern, candidate, compiled.ok && compiled.matcher.test(candidate)]).toEqual([pattern, candidate, oracle(candidate)]);
        }
      }),
      { numRuns: 600 },
    );
  });

  it('on the globs the sample fleet and the catalog use', () => {
    const globs = [
      '**/*.ts',
      '*.{ts,tsx}',
      'src/**',
      '!**/*.md',
      '**/Dockerfile',
      '**/Dockerfile.*',
      'docs/**/*.md',
      '**/.env*',
      '**/*_test.go',
      'tsconfig*.json',
      '**/test/**',
      'infra/*.tf',
      '.github/workflows/*.yml',
    ];
    const paths = [
      'src/a.ts',
      'src/app/x.tsx',
      'README.md',
      'docs/guide/intro.md',
      'Dockerfile',
      'deploy/Dockerfile.prod',
      '.env.local',
      'cmd/x_test.go',
      'tsconfig.base.json',
      'pkg/test/a.go',
      'infra/main.tf',
      '.github/workflows/ci.yml',
      'src',
    ];
    for (const pattern of globs) {
      const compiled = compileGlob(pattern);
      expect(compiled.ok).toBe(true);
      const oracle = picomatch(pattern, { dot: true });
      for (const candidate of paths)
        expect([pattern, candidate, compiled.ok && compiled.matcher.test(candidate)]).toEqual([pattern, candidate, oracle(candidate)]);
    }
  });

  it('a path with a . or .. segment matches no wildcard glob (a negated glob: every one)', () => {
    const star = compileGlob('**/*.ts');
    const negated = compileGlob('!**/*.ts');
    expect(star.ok && star.matcher.test('../outside.ts')).toBe(false);
    expect(negated.ok && negated.matcher.test('../outside.ts')).toBe(true);
  });
});

describe('globs that locked up route and the runner run in linear time', () => {
  // Each took V8 from 50 s to over 120 s per test; RE2 answers in microseconds.
  it('@(a+)+b against a 33-character name', () => {
    const compiled = compileGlob('@(a+)+b');
    expect(compiled.ok).toBe(true);
    expect(compiled.ok && compiled.matcher.test('a'.repeat(33))).toBe(false);
  }, 5_000);

  it('**/*x*x…*y against a 40-character path', () => {
    const compiled = compileGlob(`**/${'*x'.repeat(12)}*y`);
    expect(compiled.ok).toBe(true);
    expect(compiled.ok && compiled.matcher.test('x'.repeat(40))).toBe(false);
  }, 5_000);
});

describe('the glob stage (route) on the red-team globs', () => {
  it('matches a 33-character name and a 40-character path against them without stalling', () => {
    const stage = new GlobStage();
    stage.add('@(a+)+b', [0]);
    stage.add(`**/${'*x'.repeat(12)}*y`, [0]);
    stage.add('**/*.ts', [0]);
    expect(stage.build()).toEqual([]);
    const hits: HitBuffers = emptyHitBuffers({ fileSlots: 64 });
    stage.match(['a'.repeat(33), `src/${'x'.repeat(40)}`, 'src/a.ts'], hits);
    expect(Array.from(hits.fileHits.subarray(0, hits.fileCount * 2))).toEqual([2, 2]);
  }, 5_000);
});

describe('globs without a linear-time form are refused with the reason', () => {
  it('a negated extglob needs lookahead', () => {
    expect(compileGlobSource('!(a|b).ts')).toMatchObject({ ok: false, reason: expect.stringContaining('negated extglob') });
  });

  it('length and wildcard caps', () => {
    expect(compileGlobSource('a'.repeat(MAX_GLOB_LENGTH + 1))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('MAX_GLOB_LENGTH'),
    });
    expect(compileGlobSource('*a'.repeat(MAX_GLOB_WILDCARDS + 1))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('MAX_GLOB_WILDCARDS'),
    });
  });

  it('a syntax error is reported, not thrown', () => {
    expect(compileGlobSource('src/[a-')).toMatchObject({ ok: false });
    expect(compileGlobSource('')).toMatchObject({ ok: false, reason: 'empty glob' });
  });
});
