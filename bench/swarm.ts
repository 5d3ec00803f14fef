/**
 * Swarm overhead: what `runSwarm` adds per subtask beside a plain `Runner.runTasks` of the same
 * tasks, with an instant model (no I/O in the model, no run record, no memory, no log channels).
 * The swarm's own work is all in the difference: the DAG bookkeeping, dependency context,
 * the changed-files wrapper, one `events.jsonl` line before every state change (write(2) each),
 * and the report (two atomic files, one fsynced). Rounds alternate run / swarm so both see the
 * same machine load; the medians of the rounds are printed, with the difference per subtask.
 * The target: at most 1 ms per subtask (planning excluded).
 * Run: npx tsx bench/swarm.ts [--quick]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Runner } from '../src/runner/runner.js';
import { runSwarm } from '../src/swarm/swarm.js';
import { resolveSwarmOptions } from '../src/swarm/options.js';
import type { RoutedPlan } from '../src/swarm/plan.js';
import { agent, fleetOf, runnerOptions } from '../test/support/runner-fixtures.js';
import { instantModel } from './support.js';

const quick = process.argv.includes('--quick');
const SUBTASKS = quick ? 50 : 200;
const ROUNDS = quick ? 5 : 15;
const ALIASES = ['a', 'b', 'c'];

const fleet = fleetOf(
  ...ALIASES.map((alias) => agent(alias, { runtime: { concurrency: { max_parallel_tasks: 8, queue_strategy: 'fifo' } } })),
);
const options = runnerOptions({ queue: { max_queued: 1_000_000 } });
/** Every fifth subtask waits on the one before it: the DAG path is exercised, most run in parallel. */
const plan: RoutedPlan = {
  goal: 'bench',
  source: 'file',
  subtasks: Array.from({ length: SUBTASKS }, (_, i) => ({
    id: `t${i}`,
    task: `task ${i}`,
    files: [],
    acceptance: [],
    depends_on: i % 5 === 4 ? [`t${i - 1}`] : [],
    assignment: { agent: ALIASES[i % 3]!, source: 'plan' as const, why: [] },
  })),
};
const root = mkdtempSync(join(tmpdir(), 'cf-bench-swarm-'));
const init = { root, fleet, options, model: instantModel, memory: null, record: false, outcomes: { record: async () => {} } };

async function plainRun(): Promise<void> {
  const runner = await Runner.create(init);
  await runner.runTasks(plan.subtasks.map((subtask) => ({ agent: subtask.assignment.agent!, task: subtask.task, id: subtask.id })));
}

async function swarm(): Promise<void> {
  const { report } = await runSwarm(plan, { init, options: resolveSwarmOptions({ maxParallel: SUBTASKS }) });
  if (!report.ok) throw new Error('bench swarm failed');
}

async function time(fn: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const runs: number[] = [];
const swarms: number[] = [];
await plainRun();
await swarm();
for (let round = 0; round < ROUNDS; round++) {
  runs.push(await time(plainRun));
  swarms.push(await time(swarm));
}
rmSync(root, { recursive: true, force: true });
const run = median(runs);
const sw = median(swarms);
console.log(`${SUBTASKS} subtasks, ${ROUNDS} rounds (medians)`);
console.log(`  Runner.runTasks   ${run.toFixed(1)} ms  (${(run / SUBTASKS).toFixed(3)} ms/task)`);
console.log(`  runSwarm          ${sw.toFixed(1)} ms  (${(sw / SUBTASKS).toFixed(3)} ms/subtask)`);
console.log(`  swarm overhead    ${((sw - run) / SUBTASKS).toFixed(3)} ms/subtask (target ≤ 1 ms)`);
