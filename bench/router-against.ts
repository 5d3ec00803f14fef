/**
 * Route call, this checkout against another one, interleaved in one process: the 500-character,
 * 10-path cell of bench/router.ts (semantic off) at the fleet sizes given, the two routers timed in
 * alternating rounds of ROUND_CALLS calls so that load from other jobs on the shared cores hits
 * both alike (sequential runs of two versions are dominated by which one ran second). Both
 * routers must give the same JSON for every request first.
 * Run: npx tsx bench/router-against.ts --against /path/to/other/checkout [--agents 1000,10000]
 */
import { join } from 'node:path';
import { createRouter } from '../src/router/staged-router.js';
import { compiledCorpora, pathsOf, syntheticTable, taskOf } from './router-fleet.js';
import { option } from './support.js';

const against = option('--against');
if (!against) throw new Error('give --against /path/to/checkout (its src/router/staged-router.ts is imported)');
const sizes = (option('--agents') ?? '1000,10000').split(',').map(Number);
/** Calls per round and rounds per router: 30 rounds give a median that moves by a few per cent. */
const ROUND_CALLS = 2000;
const ROUNDS = 30;

const other = (await import(join(against, 'src/router/staged-router.ts'))) as { createRouter: typeof createRouter };
const corpora = compiledCorpora();
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
console.log('| agents | this checkout µs | other µs | other / this |\n|---:|---:|---:|---:|');
for (const size of sizes) {
  const table = syntheticTable(corpora, size);
  const routers = {
    this: createRouter({ triggers: table }, { options: { semantic: 'off' } }),
    other: other.createRouter({ triggers: table }, { options: { semantic: 'off' } }),
  };
  const tasks = [0, 1, 2, 3].map((seed) => taskOf(corpora, 500, seed * 13));
  const files = pathsOf(10);
  for (const task of tasks) {
    if (JSON.stringify(routers.this.route({ task, files })) !== JSON.stringify(routers.other.route({ task, files })))
      throw new Error(`the two checkouts route differently at ${size} agents`);
  }
  const samples: Record<keyof typeof routers, number[]> = { this: [], other: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of round % 2 === 0 ? (['this', 'other'] as const) : (['other', 'this'] as const)) {
      const router = routers[name];
      const started = performance.now();
      for (let i = 0; i < ROUND_CALLS; i++) router.route({ task: tasks[i & 3]!, files });
      samples[name].push(((performance.now() - started) * 1000) / ROUND_CALLS);
    }
  }
  const mine = median(samples.this);
  const theirs = median(samples.other);
  console.log(`| ${size} | ${mine.toFixed(1)} | ${theirs.toFixed(1)} | ${(theirs / mine).toFixed(2)}× |`);
}
