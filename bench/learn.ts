/**
 * What learning adds to a route call: the same fleet and requests as bench/router.ts (fleets built
 * from the corpora, 500-character tasks, 10 changed paths, semantic stage off), routed without a
 * learned model, with one on posterior means (explore off, the CI default) and with Thompson
 * sampling (explore on), in one run. The learned state holds outcomes for the same kind of tasks
 * (every route of a 2,000-request warm-up gets feedback), so the model has real work to do.
 * Run: npm run build && npx tsx bench/learn.ts [--quick]
 */
import { Bench } from 'tinybench';
import { createRouter } from '../src/router/staged-router.js';
import { createLearnedModel, priorsFrom } from '../src/learn/model.js';
import { applyOutcome, emptyState } from '../src/learn/state.js';
import { featuresOf } from '../src/learn/features.js';
import { compiledCorpora, pathsOf, syntheticTable, taskOf } from './router-fleet.js';
import { medianMs } from './task-stats.js';

/** Feedback given before measuring: a few days (200) and a few weeks (2,000) of a busy team. */
const WARM_UPS = [200, 2000];

const quick = process.argv.includes('--quick');
const corpora = compiledCorpora();
const rows = ['| agents | outcomes learned | learning off µs | on, means µs | on, Thompson µs | overhead (means) | overhead (Thompson) | learned features |', '|---:|---:|---:|---:|---:|---:|---:|---:|'];
for (const [size, warmUp] of quick ? [[1000, 2000]] : [[100, 2000], [1000, 200], [1000, 2000], [10000, 2000]]) {
  const table = syntheticTable(corpora, size!);
  const tasks = Array.from({ length: 16 }, (_, seed) => taskOf(corpora, 500, seed * 13));
  const files = pathsOf(10);
  const state = emptyState();
  const priors = priorsFrom(table);
  const off = createRouter({ triggers: table }, { options: { semantic: 'off' } });
  const means = createRouter({ triggers: table }, { options: { semantic: 'off', weights: { reward: 1 } }, learned: createLearnedModel(state, priors, { explore: false, priorStrength: 2 }) });
  const thompson = createRouter({ triggers: table }, { options: { semantic: 'off', weights: { reward: 1 } }, learned: createLearnedModel(state, priors, { explore: true, seed: 1, priorStrength: 2 }) });
  for (let i = 0; i < warmUp!; i++) {
    const task = taskOf(corpora, 500, i * 7 + 3);
    const result = means.route({ task, files });
    const agent = result.candidates[i % 3]?.id ?? result.candidates[0]?.id;
    if (!agent) continue;
    applyOutcome(state, { agent, alias: agent, ok: i % 4 !== 0, latency_ms: 500 + (i % 100) * 10, retries: 0, tool_errors: 0, stop_reason: 'completed', task_hash: '', at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString() }, featuresOf(task, files, result.fired ?? []), 0.1);
  }
  let i = 0;
  const bench = new Bench({ time: quick ? 300 : 400, warmupTime: 50 });
  // Interleaved so that load from other jobs on the machine hits all three alike.
  bench.add('off', () => { off.route({ task: tasks[i++ & 15]!, files }); });
  bench.add('means', () => { means.route({ task: tasks[i++ & 15]!, files }); });
  bench.add('thompson', () => { thompson.route({ task: tasks[i++ & 15]!, files }); });
  await bench.run();
  const [a, b, c] = ['off', 'means', 'thompson'].map((name) => medianMs(bench.tasks, name) * 1000) as [number, number, number];
  const pct = (x: number) => `${x >= a ? '+' : ''}${(((x - a) / a) * 100).toFixed(1)} %`;
  rows.push(`| ${size} | ${warmUp} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${c.toFixed(1)} | ${pct(b)} | ${pct(c)} | ${state.weights.size} |`);
  console.error(rows[rows.length - 1]);
}
console.log(rows.join('\n'));
