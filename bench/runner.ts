/**
 * Runner benchmark: what the per-alias scheduler costs per task, with an instant provider.
 *
 * In the same run, a batch of tasks spread over three aliases (limits 4 / 8 / 16, fifo / lifo /
 * priority) goes through:
 *   - `Promise.all (unbounded)`: no limits at all — the floor, and what a naive runner does;
 *   - `array-queue limiter`: the usual hand-written limiter, one array + shift() per alias;
 *   - `Scheduler`: src/runner/scheduler.ts (bounded queues, backpressure, stats);
 *   - `runTasks, instant model`: the whole runner path (alias resolution, tool plan, agent loop,
 *     telemetry line, outcome) with no I/O: no record, no memory, no log channels, a model that
 *     answers at once.
 * Prints per-task medians and tasks per second. Scheduler overhead = Scheduler − Promise.all.
 * The machine is shared: numbers move by ±20 % between runs; run it twice and compare.
 * Compare step: the per-task medians are compared with bench/baselines/runner.json (written by
 * `--save`); a path more than BASELINE_TOLERANCE slower than its stored value is flagged.
 * Run: npx tsx bench/runner.ts [--quick] [--save]
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Bench } from 'tinybench';
import { Runner } from '../src/runner/runner.js';
import { Scheduler, type LaneOptions } from '../src/runner/scheduler.js';
import { agent, fleetOf, runnerOptions } from '../test/support/runner-fixtures.js';
import { instantModel } from './support.js';
import { medianMs } from './task-stats.js';

const quick = process.argv.includes('--quick');
const TASKS = quick ? 300 : 1000;
const LANES: Record<string, LaneOptions> = {
  a: { limit: 4, strategy: 'fifo', maxQueued: 1_000_000 },
  b: { limit: 8, strategy: 'lifo', maxQueued: 1_000_000 },
  c: { limit: 16, strategy: 'priority', maxQueued: 1_000_000 },
};
const ALIASES = Object.keys(LANES);
const aliasOf = (i: number) => ALIASES[i % 3]!;
const instantJob = () => Promise.resolve(1);

async function unbounded(): Promise<void> {
  await Promise.all(Array.from({ length: TASKS }, () => instantJob()));
}

/** The limiter people write by hand: per alias a count and an array used as a queue. */
async function arrayQueue(): Promise<void> {
  const running = new Map<string, number>();
  const queues = new Map<string, Array<() => void>>();
  const run = (alias: string): Promise<number> =>
    new Promise((resolve) => {
      const start = () => {
        running.set(alias, (running.get(alias) ?? 0) + 1);
        instantJob().then((value) => {
          running.set(alias, running.get(alias)! - 1);
          queues.get(alias)?.shift()?.();
          resolve(value);
        });
      };
      if ((running.get(alias) ?? 0) < LANES[alias]!.limit) start();
      else {
        const queue = queues.get(alias) ?? [];
        queue.push(start);
        queues.set(alias, queue);
      }
    });
  await Promise.all(Array.from({ length: TASKS }, (_, i) => run(aliasOf(i))));
}

async function scheduler(): Promise<void> {
  const s = new Scheduler((alias) => LANES[alias]!);
  await Promise.all(
    Array.from({ length: TASKS }, (_, i) => {
      const admission = s.submit(aliasOf(i), instantJob, i & 7);
      return admission.accepted ? admission.done : undefined;
    }),
  );
}

const fleet = fleetOf(
  ...ALIASES.map((alias) =>
    agent(alias, { runtime: { concurrency: { max_parallel_tasks: LANES[alias]!.limit, queue_strategy: LANES[alias]!.strategy } } }),
  ),
);
const options = runnerOptions({ queue: { max_queued: 1_000_000 } });
const specs = Array.from({ length: TASKS }, (_, i) => ({ alias: aliasOf(i), task: `task ${i}` }));

async function fullRunner(): Promise<void> {
  const runner = await Runner.create({
    root: process.cwd(),
    fleet,
    options,
    model: instantModel,
    memory: null,
    record: false,
    outcomes: { record: async () => {} },
  });
  await runner.runTasks(specs);
}

const bench = new Bench({ time: quick ? 400 : 1500, warmupTime: 200 });
bench.add('Promise.all (unbounded)', unbounded);
bench.add('array-queue limiter', arrayQueue);
bench.add('Scheduler', scheduler);
bench.add('runTasks, instant model', fullRunner);
await bench.run();

/** A shared 2-core machine moves medians by ±20 %; past +50 % something real changed. */
const BASELINE_TOLERANCE = 0.5;
const BASELINE_FILE = new URL('./baselines/runner.json', import.meta.url);

const median = (name: string) => medianMs(bench.tasks, name);
const rows = ['| path | µs per task (median batch / tasks) | tasks per second |', '|---|---:|---:|'];
for (const task of bench.tasks) {
  const perTaskMs = median(task.name) / TASKS;
  rows.push(`| ${task.name} | ${(perTaskMs * 1000).toFixed(2)} | ${Math.round(1000 / perTaskMs).toLocaleString('en-US')} |`);
}
const overheadUs = ((median('Scheduler') - median('Promise.all (unbounded)')) / TASKS) * 1000;
console.log(`${TASKS} tasks over 3 aliases (limits 4/8/16), instant jobs; node ${process.version}\n`);
console.log(rows.join('\n'));
console.log(`\nscheduler overhead per task over unbounded Promise.all: ${overheadUs.toFixed(2)} µs (budget: 200 µs)`);

const current = Object.fromEntries(bench.tasks.map((task) => [task.name, Number(((median(task.name) / TASKS) * 1000).toFixed(3))]));
if (process.argv.includes('--save')) {
  mkdirSync(new URL('./baselines/', import.meta.url), { recursive: true });
  writeFileSync(BASELINE_FILE, `${JSON.stringify({ tasks: TASKS, node: process.version, us_per_task: current }, null, 2)}\n`);
  console.log(`baseline saved to bench/baselines/runner.json`);
} else if (existsSync(BASELINE_FILE)) {
  const baseline = JSON.parse(readFileSync(BASELINE_FILE, 'utf8')) as { us_per_task: Record<string, number> };
  console.log('\nvs baseline (bench/baselines/runner.json):');
  for (const [name, us] of Object.entries(current)) {
    const before = baseline.us_per_task[name];
    if (before === undefined) continue;
    const ratio = us / before;
    console.log(
      `  ${name}: ${before} → ${us} µs (${ratio.toFixed(2)}×)${ratio > 1 + BASELINE_TOLERANCE ? '  SLOWER than the baseline' : ''}`,
    );
  }
}
