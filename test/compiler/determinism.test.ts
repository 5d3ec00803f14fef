/**
 * Byte-identical output whatever the order briefs are read in, and on every re-run; the index
 * timestamp moves only when the content hash does, or comes from SOURCE_DATE_EPOCH.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileSources } from '../../src/compiler/compile.js';
import { generatedAtFor } from '../../src/compiler/convert.js';
import { resolveCompilerOptions } from '../../src/compiler/options.js';
import { readBriefs } from '../../src/compiler/sources.js';
import type { FleetIndex } from '../../src/fleet/types.js';
import { CORPUS } from '../support/corpus.js';
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

describe.skipIf(!existsSync(CORPUS))('determinism', () => {
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
  });
});

describe('generatedAt', () => {
  const options = resolveCompilerOptions('/p');
  const now = () => new Date('2026-05-05T05:05:05.000Z');
  const previous = { hash: 'sha256:aaa', generatedAt: '2025-01-01T00:00:00.000Z' } as FleetIndex;

  it('keeps the previous timestamp while the content hash is unchanged', () => {
    expect(generatedAtFor(previous, options, now)('sha256:aaa')).toBe('2025-01-01T00:00:00.000Z');
  });

  it('moves when the content hash moves', () => {
    expect(generatedAtFor(previous, options, now)('sha256:bbb')).toBe('2026-05-05T05:05:05.000Z');
  });

  it('honours SOURCE_DATE_EPOCH', () => {
    const pinned = resolveCompilerOptions('/p', {}, {}, { SOURCE_DATE_EPOCH: '1700000000' });
    expect(generatedAtFor(previous, pinned, now)('sha256:bbb')).toBe('2023-11-14T22:13:20.000Z');
  });
});
