/**
 * Two builds of codex-flow side by side on one learned state: the cost of learning on the route
 * path before and after a change, measured in one process so the load of a shared machine lands
 * on both alike (bench/learn.ts measures one build; its figures move ±3–5 points between runs).
 * Same fleet, requests and warm-up as bench/learn.ts (1,000 agents, 2,000 outcomes); rounds of
 * off / means / Thompson / off per build, interleaved; the median of the per-round ratios. First
 * checks that both builds give the same candidates (ids, scores, terms) on 400 other tasks. Last,
 * the runner's case: what the first route after one new outcome costs on top of the next one
 * (applied with the after build's `applyOutcome`, so its change journal sees it).
 * Run: npx tsx bench/learn-side-by-side.ts <dist before> <dist after> (e.g. a `git worktree` of
 * the base commit built with `npm run build`, and ./dist).
 */
import { resolve } from 'node:path';
import { compiledCorpora, pathsOf, syntheticTable, taskOf } from './router-fleet.js';
import { learnedState } from './learn-fixture.js';
import { benchOutcome } from './support.js';

const [before, after] = process.argv.slice(2).map((dir) => resolve(dir));
if (!before || !after) throw new Error('usage: npx tsx bench/learn-side-by-side.ts <dist before> <dist after>');
const ROUND = 300;
const ROUNDS = 60;

async function build(dir: string) {
  return {
    router: await import(`${dir}/router/staged-router.js`),
    model: await import(`${dir}/learn/model.js`),
    state: await import(`${dir}/learn/state.js`),
    features: await import(`${dir}/learn/features.js`),
  };
}

const builds = { before: await build(before), after: await build(after) };
const corpora = compiledCorpora();
const table = syntheticTable(corpora, 1000);
const tasks = Array.from({ length: 16 }, (_, seed) => taskOf(corpora, 500, seed * 13));
const files = pathsOf(10);
const first = builds.before;
const state = learnedState(corpora, table, files, 2000, first);

type Router = {
  route(request: { task: string; files: string[] }): {
    fired?: string[];
    candidates: Array<{ id: string; score: number; terms: Array<{ name: string; value: number; detail: string }> }>;
    considered: number;
  };
};
const routers: Record<string, Router> = {};
for (const [name, m] of Object.entries(builds)) {
  const priors = m.model.priorsFrom(table);
  routers[`off/${name}`] = m.router.createRouter({ triggers: table }, { options: { semantic: 'off' } });
  routers[`means/${name}`] = m.router.createRouter(
    { triggers: table },
    {
      options: { semantic: 'off', weights: { reward: 1 } },
      learned: m.model.createLearnedModel(state, priors, { explore: false, priorStrength: 2 }),
    },
  );
  routers[`thompson/${name}`] = m.router.createRouter(
    { triggers: table },
    {
      options: { semantic: 'off', weights: { reward: 1 } },
      learned: m.model.createLearnedModel(state, priors, { explore: true, seed: 1, priorStrength: 2 }),
    },
  );
}

const view = (router: Router, task: string) => {
  const result = router.route({ task, files });
  return JSON.stringify([
    result.considered,
    result.candidates.map((c) => [c.id, c.score, c.terms.map((t) => [t.name, t.value, t.detail])]),
  ]);
};
let differ = 0;
for (let i = 0; i < 400; i++) {
  const task = taskOf(corpora, 500, i * 11 + 5);
  for (const kind of ['off', 'means', 'thompson'])
    if (view(routers[`${kind}/before`]!, task) !== view(routers[`${kind}/after`]!, task)) differ++;
}
console.log(`same results: ${differ === 0 ? 'yes' : `no, ${differ} of 1200 differ`}`);

const time = (router: Router) => {
  const start = performance.now();
  for (let i = 0; i < ROUND; i++) router.route({ task: tasks[i & 15]!, files });
  return ((performance.now() - start) / ROUND) * 1000;
};
for (let i = 0; i < 5; i++) Object.values(routers).forEach(time);
const offs: Record<string, number[]> = { before: [], after: [] };
const ratios: Record<string, number[]> = {};
for (let round = 0; round < ROUNDS; round++) {
  for (const name of Object.keys(builds)) {
    const start = time(routers[`off/${name}`]!);
    const means = time(routers[`means/${name}`]!);
    const thompson = time(routers[`thompson/${name}`]!);
    const base = (start + time(routers[`off/${name}`]!)) / 2;
    offs[name]!.push(base);
    (ratios[`means/${name}`] ??= []).push(means / base);
    (ratios[`thompson/${name}`] ??= []).push(thompson / base);
  }
}
const median = (values: readonly number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
const pct = (values: readonly number[]) => `${((median(values) - 1) * 100).toFixed(1)} %`;
console.log('| build | learning off µs | overhead (means) | overhead (Thompson) |\n|---|---:|---:|---:|');
for (const name of Object.keys(builds))
  console.log(`| ${name} | ${median(offs[name]!).toFixed(1)} | +${pct(ratios[`means/${name}`]!)} | +${pct(ratios[`thompson/${name}`]!)} |`);

// One more outcome, then the first route (it brings the compiled state up to date) minus the next.
const last = builds.after;
const firstRoute: Record<string, number[]> = { before: [], after: [] };
for (let i = 0; i < 60; i++) {
  const task = taskOf(corpora, 500, 100_000 + i * 7);
  const result = routers['means/after']!.route({ task, files });
  const agent = result.candidates[0]?.id;
  if (!agent) continue;
  last.state.applyOutcome(
    state,
    benchOutcome(agent, i % 3 !== 0, 700, new Date(Date.UTC(2026, 1, 1) + i * 1000)),
    last.features.featuresOf(task, files, result.fired ?? []),
    0.1,
  );
  for (const name of Object.keys(builds)) {
    const router = routers[`means/${name}`]!;
    const start = performance.now();
    router.route({ task: tasks[i & 15]!, files });
    const second = performance.now();
    router.route({ task: tasks[i & 15]!, files });
    firstRoute[name]!.push(second - start - (performance.now() - second));
  }
}
console.log(
  `first route after a new outcome, extra ms (median of ${firstRoute.after!.length}): before ${median(firstRoute.before!).toFixed(2)}, after ${median(firstRoute.after!).toFixed(2)}`,
);
