/**
 * Where learning's route time goes: the fleet, requests and learned state of bench/learn.ts, a
 * router without learning and one with it timed in alternating rounds under V8's sampling
 * profiler, then each function's self time in the learning rounds minus the same function's in
 * the plain rounds, as a share of the plain rounds' time. One process and interleaved rounds, so
 * machine load lands on both; rows are functions, so an indirect cost (a stage slowed by
 * learning's cache traffic, like the keyword scan) shows up beside learning's own functions.
 * Totals agree with bench/learn.ts to its noise; the rows say which part to work on.
 * Run: npx tsx bench/learn-profile.ts [--agents 1000] [--requests 4] [--mode means|thompson] [--seconds 20] [--rows 25]
 */
import { Session } from 'node:inspector/promises';
import { createRouter } from '../src/router/staged-router.js';
import { createLearnedModel, priorsFrom } from '../src/learn/model.js';
import { compiledCorpora, pathsOf, syntheticTable, taskOf } from './router-fleet.js';
import { learnedState } from './learn-fixture.js';
import { option } from './support.js';

const agents = Number(option('--agents', '1000'));
const pool = Number(option('--requests', '4'));
const explore = option('--mode', 'means') === 'thompson';
const seconds = Number(option('--seconds', '20'));
const ROUND = 300;

const corpora = compiledCorpora();
const table = syntheticTable(corpora, agents);
const tasks = Array.from({ length: 16 }, (_, i) => taskOf(corpora, 500, (i % pool) * 13));
const files = pathsOf(10);
const state = learnedState(corpora, table, files, 2000);
const priors = priorsFrom(table);
const learnedOptions = { semantic: 'off' as const, weights: { reward: 1 } };
const off = createRouter({ triggers: table }, { options: { semantic: 'off' } });
const learning = createRouter(
  { triggers: table },
  { options: learnedOptions, learned: createLearnedModel(state, priors, { explore, seed: 1, priorStrength: 2 }) },
);

// Named functions: the profile tells the rounds apart by them.
function plainRound(): void {
  for (let i = 0; i < ROUND; i++) off.route({ task: tasks[i & 15]!, files });
}
function learningRound(): void {
  for (let i = 0; i < ROUND; i++) learning.route({ task: tasks[i & 15]!, files });
}
for (let i = 0; i < 50; i++) {
  plainRound();
  learningRound();
}

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 50 });
await session.post('Profiler.start');
let plainMs = 0;
let learningMs = 0;
let rounds = 0;
for (const stop = performance.now() + seconds * 1000; performance.now() < stop; rounds++) {
  let start = performance.now();
  plainRound();
  plainMs += performance.now() - start;
  start = performance.now();
  learningRound();
  learningMs += performance.now() - start;
}
const { profile } = await session.post('Profiler.stop');

type Node = { id: number; callFrame: { functionName: string; url: string }; children?: number[] };
const nodes = new Map<number, Node>((profile.nodes as Node[]).map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of nodes.values()) for (const child of node.children ?? []) parent.set(child, node.id);
const self = { [plainRound.name]: new Map<string, number>(), [learningRound.name]: new Map<string, number>() };
const total = { [plainRound.name]: 0, [learningRound.name]: 0 };
for (const sample of profile.samples ?? []) {
  let round: string | undefined;
  for (let at: number | undefined = sample; at !== undefined && round === undefined; at = parent.get(at)) {
    const name = nodes.get(at)!.callFrame.functionName;
    if (name in self) round = name;
  }
  if (round === undefined) continue;
  const frame = nodes.get(sample)!.callFrame;
  const key = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-2).join('/')}`;
  self[round]!.set(key, (self[round]!.get(key) ?? 0) + 1);
  total[round]!++;
}
const plain = self[plainRound.name]!;
const learned = self[learningRound.name]!;
const base = total[plainRound.name]!;
const rows = [...new Set([...plain.keys(), ...learned.keys()])]
  .map((key) => ({ key, difference: (learned.get(key) ?? 0) - (plain.get(key) ?? 0) }))
  .sort((a, b) => Math.abs(b.difference) - Math.abs(a.difference) || (a.key < b.key ? -1 : 1))
  .slice(0, Number(option('--rows', '25')));
console.log(
  `${agents} agents, ${pool} requests, ${explore ? 'Thompson' : 'means'}: ${rounds} rounds of ${ROUND}; plain ${((plainMs / rounds / ROUND) * 1000).toFixed(1)} µs, learning ${((learningMs / rounds / ROUND) * 1000).toFixed(1)} µs (${((learningMs / plainMs - 1) * 100).toFixed(1)} %); samples ${base} / ${total[learningRound.name]}`,
);
console.log('| function | self time, learning − plain, % of plain |\n|---|---:|');
for (const { key, difference } of rows) console.log(`| ${key} | ${difference >= 0 ? '+' : ''}${((difference / base) * 100).toFixed(2)} |`);
