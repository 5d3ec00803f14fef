/**
 * What learning adds to a route call: the same fleet and requests as bench/router.ts (fleets built
 * from the corpora, its four 500-character tasks, 10 changed paths, semantic stage off; and a
 * wider pool of sixteen such tasks), routed without a learned model, with one on posterior means
 * (explore off, the CI default) and with Thompson sampling (explore on), in one run, interleaved
 * in rounds (the overhead is the median of the per-round ratios to the learning-off rounds around
 * them; the µs cells are the median off round times that ratio). The learned state holds outcomes
 * for the same kind of tasks (every route of a 2,000-request warm-up gets feedback), so the model
 * has real work to do; the measured routers have routed the timed requests only (learn-fixture.ts).
 * Run: npm run build && npx tsx bench/learn.ts [--quick]
 */
import { createRouter } from '../src/router/staged-router.js';
import { createLearnedModel, priorsFrom } from '../src/learn/model.js';
import { compiledCorpora, pathsOf, syntheticTable, taskOf } from './router-fleet.js';
import { learnedState } from './learn-fixture.js';

/** Routes per timed round: long enough for the clock (~10 ms), short enough to interleave finely. */
const ROUND = 300;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const quick = process.argv.includes('--quick');
const corpora = compiledCorpora();
const rows = [
  '| agents | outcomes learned | requests | learning off µs | on, means µs | on, Thompson µs | overhead (means) | overhead (Thompson) | learned features |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
];
// Requests routed in turn: bench/router.ts's four (its route time is the one the learning target is
// stated against), and a pool of sixteen, whose working set (automaton rows, scores, the learned
// rows) outgrows the 2 MiB L2 of this machine, so learning's memory traffic also slows the scan.
// Outcomes learned before measuring: a few days (200) and a few weeks (2,000) of a busy team.
const cases: Array<[agents: number, outcomes: number, requests: number]> = quick
  ? [
      [1000, 2000, 4],
      [1000, 2000, 16],
    ]
  : [
      [100, 2000, 4],
      [1000, 200, 4],
      [1000, 2000, 4],
      [1000, 2000, 16],
      [10000, 2000, 4],
    ];
for (const [size, warmUp, pool] of cases) {
  const table = syntheticTable(corpora, size);
  const tasks = Array.from({ length: 16 }, (_, i) => taskOf(corpora, 500, (i % pool) * 13));
  const files = pathsOf(10);
  const state = learnedState(corpora, table, files, warmUp);
  const priors = priorsFrom(table);
  const off = createRouter({ triggers: table }, { options: { semantic: 'off' } });
  const means = createRouter(
    { triggers: table },
    {
      options: { semantic: 'off', weights: { reward: 1 } },
      learned: createLearnedModel(state, priors, { explore: false, priorStrength: 2 }),
    },
  );
  const thompson = createRouter(
    { triggers: table },
    {
      options: { semantic: 'off', weights: { reward: 1 } },
      learned: createLearnedModel(state, priors, { explore: true, seed: 1, priorStrength: 2 }),
    },
  );
  // Rounds of ROUND routes, off / means / Thompson / off, and the median of the per-round ratios:
  // tinybench runs each task for its whole time budget one after the other, so on a shared machine
  // the load of other jobs lands on one task and not the next (cells moved ±20 points between runs).
  const time = (router: typeof off) => {
    const start = performance.now();
    for (let i = 0; i < ROUND; i++) router.route({ task: tasks[i & 15]!, files });
    return ((performance.now() - start) / ROUND) * 1000;
  };
  for (let i = 0; i < 5; i++) [off, means, thompson].forEach(time);
  const offs: number[] = [];
  const ratios: [number[], number[]] = [[], []];
  for (let round = 0; round < (quick ? 60 : 40); round++) {
    const before = time(off);
    const b = time(means);
    const c = time(thompson);
    const base = (before + time(off)) / 2;
    offs.push(base);
    ratios[0].push(b / base);
    ratios[1].push(c / base);
  }
  const a = median(offs);
  const [mb, mc] = [median(ratios[0]), median(ratios[1])];
  const pct = (ratio: number) => `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(1)} %`;
  rows.push(
    `| ${size} | ${warmUp} | ${pool} | ${a.toFixed(1)} | ${(a * mb).toFixed(1)} | ${(a * mc).toFixed(1)} | ${pct(mb)} | ${pct(mc)} | ${state.weights.size} |`,
  );
  console.error(rows[rows.length - 1]);
}
console.log(rows.join('\n'));
