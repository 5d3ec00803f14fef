/**
 * The policy choice, measured: Thompson sampling (the learned model as shipped), LinUCB and
 * ε-greedy on the same seeded streams of the simulation world (src/learn/simulate.ts).
 * Prints cumulative regret at 500 / 1,000 / 2,000 / 4,000 tasks and when traffic shifted to the
 * best agent, the mean over five seeds. Run: npx tsx bench/learn-sim.ts
 */
import { simulate, type PolicyName } from '../src/learn/simulate.js';

const SEEDS = [1, 2, 3, 4, 5];
const rows = [
  '| policy | regret @500 | @1,000 | @2,000 | @4,000 | traffic shifted by (tasks, worst seed) | best-agent share, last 100 | ms |',
  '|---|---:|---:|---:|---:|---:|---:|---:|',
];
for (const policy of ['thompson', 'linucb', 'epsilon-greedy'] as PolicyName[]) {
  const started = performance.now();
  const runs = SEEDS.map((seed) => simulate({ policy, tasks: 4000, seed }));
  const ms = (performance.now() - started) / SEEDS.length;
  const mean = (f: (r: (typeof runs)[number]) => number) => runs.reduce((s, r) => s + f(r), 0) / runs.length;
  const at = (t: number) => mean((r) => r.regretCurve[t - 1]!).toFixed(1);
  const shifted = Math.max(...runs.map((r) => (r.shiftedAt < 0 ? Infinity : r.shiftedAt)));
  rows.push(
    `| ${policy} | ${at(500)} | ${at(1000)} | ${at(2000)} | ${at(4000)} | ${shifted} | ${mean((r) => r.bestShare.at(-1)!).toFixed(2)} | ${ms.toFixed(0)} |`,
  );
}
console.log(rows.join('\n'));
