/**
 * Byte-identical output whatever the order briefs are read in, and on every re-run; the index
 * timestamp comes from SOURCE_DATE_EPOCH or is left out (test/cli/reproducible.test.ts runs two
 * fresh compiles as processes).
 */
import { describe, expect, it } from 'vitest';
import { compileSources } from '../../src/compiler/compile.js';
import { generatedAtFor } from '../../src/compiler/convert.js';
import { resolveCompilerOptions } from '../../src/compiler/options.js';
import { readBriefs } from '../../src/compiler/sources.js';
import { CORPUS } from '../support/corpus.js';
import { sharedCorpus, skipWithout } from '../support/requirements.js';
import { FIXED_TIME } from '../support/compile.js';

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let state = seed;
  for (let i = copy.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

describe.skipIf(skipWithout(sharedCorpus, 'compiling the corpus in shuffled orders'))('determinism', () => {
  it('compiles twice and in shuffled order to the same bytes', async () => {
    const options = resolveCompilerOptions(CORPUS, {}, { src: '.' });
    const sources = (await readBriefs(options)).filter((source) => source.path.includes('VoltAgent'));
    const first = compileSources(sources, options, () => FIXED_TIME);
    const again = compileSources(sources, options, () => FIXED_TIME);
    const reordered = compileSources(shuffled(sources, 7), options, () => FIXED_TIME);
    const reversed = compileSources([...sources].reverse(), options, () => FIXED_TIME);
    expect(first.files.size).toBeGreaterThan(150);
    for (const other of [again, reordered, reversed]) {
      expect([...other.files.keys()]).toEqual([...first.files.keys()]);
      for (const [path, content] of first.files) expect(other.files.get(path), path).toEqual(content);
      expect(other.diagnostics).toEqual(first.diagnostics);
    }
    for (const [path, bytes] of first.files) {
      if (typeof bytes !== 'string') {
        // The routing image: bytes, but no absolute path either.
        expect(Buffer.from(bytes).includes(CORPUS), path).toBe(false);
        continue;
      }
      const content = bytes;
      expect(content.endsWith('\n')).toBe(true);
      expect(content).not.toContain('\r');
      expect(content).not.toContain(CORPUS);
    }
  }, 120_000); // four compiles of 180 briefs, each building the routing image: 49 s at load average 10
});

describe('generatedAt', () => {
  it('is left out without SOURCE_DATE_EPOCH, whatever the clock or an earlier fleet says', () => {
    const options = resolveCompilerOptions('/p');
    expect(generatedAtFor(options)('sha256:aaa')).toBeUndefined();
    const files = compileSources([], options, generatedAtFor(options)).files;
    expect(JSON.parse(files.get('index.json') as string)).not.toHaveProperty('generatedAt');
  });

  it('honours SOURCE_DATE_EPOCH, in its place among the index keys', () => {
    const pinned = resolveCompilerOptions('/p', {}, {}, { SOURCE_DATE_EPOCH: '1700000000' });
    expect(generatedAtFor(pinned)('sha256:bbb')).toBe('2023-11-14T22:13:20.000Z');
    const index = JSON.parse(compileSources([], pinned, generatedAtFor(pinned)).files.get('index.json') as string);
    expect(Object.keys(index).slice(0, 5)).toEqual(['format', 'format_version', 'schema_version', 'generatedAt', 'hash']);
  });

  it('ignores a SOURCE_DATE_EPOCH that is not a non-negative integer', () => {
    for (const value of ['', 'soon', '-5'])
      expect(generatedAtFor(resolveCompilerOptions('/p', {}, {}, { SOURCE_DATE_EPOCH: value }))('h')).toBeUndefined();
  });
});
