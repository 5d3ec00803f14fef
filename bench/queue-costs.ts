/**
 * The per-task costs that the in-process scheduler and the queue both pay, one at a time, in CPU
 * time of this process (steadier than the wall time on a shared machine than bench/queue.ts's
 * whole runs): a task's memory context (read the agent's namespace after each task wrote to it)
 * and the run's learning append (outcomes recorded one at a time, and eight at a time as tasks
 * finishing together).
 * Run: npx tsx bench/queue-costs.ts [tasks]   (default 300; run it on two trees to compare)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileMemoryStore } from '../src/runner/memory/file-store.js';
import { LearningOutcomeSink } from '../src/learn/record.js';
import type { Outcome } from '../src/learn/outcome.js';

const TASKS = Number(process.argv[2] ?? 300);
const ROUNDS = 5;

async function cpuOf(work: () => Promise<void>): Promise<number> {
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

const outcome = (i: number): Outcome => ({
  agent: 'api-designer',
  alias: 'b',
  ok: true,
  latency_ms: 5,
  retries: 0,
  tool_errors: 0,
  stop_reason: 'completed',
  task_hash: `sha256:${i}`,
  at: new Date().toISOString(),
});

async function round(): Promise<{ memory: number; single: number; grouped: number }> {
  const root = mkdtempSync(join(tmpdir(), 'cf-queue-costs-'));
  try {
    const store = new FileMemoryStore(join(root, 'memory'));
    const memory = await cpuOf(async () => {
      for (let i = 0; i < TASKS; i++) {
        await store.list('agent/api-designer', 8);
        await store.put({
          namespace: 'agent/api-designer',
          key: `sha256:${i}`,
          value: { task: `task ${i}`, ok: true, summary: 'x'.repeat(200) },
          written_at: Date.now(),
          expires_at: null,
          author: 'api-designer',
        });
      }
    });
    const single = await cpuOf(async () => {
      const sink = new LearningOutcomeSink(join(root, 'single'));
      for (let i = 0; i < TASKS; i++) await sink.record(outcome(i));
    });
    const grouped = await cpuOf(async () => {
      const sink = new LearningOutcomeSink(join(root, 'grouped'));
      for (let i = 0; i < TASKS; i += 8) await Promise.all(Array.from({ length: 8 }, (_, j) => sink.record(outcome(i + j))));
    });
    return { memory, single, grouped };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await round(); // warm
const rounds: Array<Awaited<ReturnType<typeof round>>> = [];
for (let i = 0; i < ROUNDS; i++) rounds.push(await round());
const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const per = (key: 'memory' | 'single' | 'grouped') => (median(rounds.map((r) => r[key])) / TASKS).toFixed(3);
console.log(`${TASKS} tasks, median of ${ROUNDS} rounds, CPU ms per task:`);
console.log(`  memory context (list 8 after each put)   ${per('memory')}`);
console.log(`  learning append, one at a time           ${per('single')}`);
console.log(`  learning append, eight finishing at once ${per('grouped')}`);
