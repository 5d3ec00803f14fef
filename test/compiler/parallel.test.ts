/**
 * Compiling on several threads gives the same fleet as one thread: every output byte and every
 * diagnostic, on the real corpus (both collections as one fleet, so duplicate ids across the
 * collections and the chunk borders are exercised too).
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileSources } from '../../src/compiler/compile.js';
import { resolveCompilerOptions } from '../../src/compiler/options.js';
import { compileInParallel, compileThreads, PARALLEL_MIN_BRIEFS } from '../../src/compiler/parallel.js';
import { readBriefs } from '../../src/compiler/sources.js';
import { FIXED_TIME } from '../support/compile.js';
import { CORPUS } from '../support/corpus.js';

describe('parallel compile', () => {
  it('uses one thread for small fleets', () => {
    expect(compileThreads(PARALLEL_MIN_BRIEFS - 1)).toBe(1);
  });

  it.skipIf(!existsSync(CORPUS))('matches the single-threaded compile exactly', async () => {
    const options = resolveCompilerOptions(CORPUS, {}, { src: '.' });
    const sources = await readBriefs(options);
    const single = compileSources(sources, options, () => FIXED_TIME);
    const parallel = await compileInParallel([...sources].reverse(), options, () => FIXED_TIME, 3);
    expect(single.diagnostics.some((d) => d.code === 'CF5001')).toBe(true);
    expect(parallel.diagnostics).toEqual(single.diagnostics);
    expect([...parallel.files.keys()]).toEqual([...single.files.keys()]);
    for (const [path, content] of single.files) expect(parallel.files.get(path), path).toBe(content);
    expect(parallel.stats).toEqual(single.stats);
  }, 60_000);
});
