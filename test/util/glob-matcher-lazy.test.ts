/**
 * A GlobMatcher builds its RE2 regex on its first test (glob-compile.ts): a router holds one per
 * glob of the fleet and a route tests only the few its paths' buckets name, so constructing them
 * must not load the native addon nor compile anything. Run in a fresh process, where nothing else
 * has loaded re2 yet.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const source = join(import.meta.dirname, '../../src/util/glob-compile.ts');

const probe = `
import { GlobMatcher } from ${JSON.stringify(source)};
import { createRequire } from 'node:module';
const cache = createRequire(import.meta.url).cache;
const re2Loaded = () => Object.keys(cache).some((path) => /[\\\\/]re2[\\\\/]/.test(path));
const matchers = [
  new GlobMatcher({ source: '^(?:[^/]*?\\\\.tsx)$', flags: '', negated: false }),
  new GlobMatcher({ source: '^(?:docs\\\\/[^/]*?)$', flags: '', negated: true }),
];
const before = re2Loaded();
const answers = [matchers[0].test('Checkout.tsx'), matchers[0].test('a.ts'), matchers[1].test('docs/a.md'), matchers[1].test('src/a.md'), matchers[0].test('../x.tsx'), matchers[1].test('./docs')];
process.stdout.write(JSON.stringify({ before, after: re2Loaded(), answers }));
`;

describe('GlobMatcher', () => {
  it('loads re2 and compiles its regex on the first test, not when it is made, and answers as before', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ before: false, after: true, answers: [true, false, false, true, false, true] });
  }, 90_000);
});
