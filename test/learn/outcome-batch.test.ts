/**
 * The run's learning append: outcomes of tasks that finish together are appended with one write
 * (one announcement, one descriptor) instead of one each, each `record` resolving once its line is
 * in the log; the learning folder removed between appends is made again; compaction still runs
 * when the log passes its threshold.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Learning } from '../../src/learn/learner.js';
import { resolveLearningOptions } from '../../src/learn/options.js';
import { LearningOutcomeSink } from '../../src/learn/record.js';
import type { Outcome } from '../../src/learn/outcome.js';

const roots: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'cf-outcome-batch-'));
  roots.push(root);
  return root;
}

const outcome = (i: number): Outcome => ({
  agent: 'alpha',
  alias: 'default',
  ok: true,
  latency_ms: 10 + i,
  retries: 0,
  tool_errors: 0,
  stop_reason: 'completed',
  task_hash: `t${i}`,
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
});

const lines = (file: string) => readFileSync(file, 'utf8').trim().split('\n');

describe("the run's learning append", () => {
  it('outcomes recorded together take one append; each record resolves with its line in the log', async () => {
    const root = project();
    const sink = new LearningOutcomeSink(root);
    const appends = vi.spyOn(Learning.prototype, 'recordAll');
    await Promise.all(Array.from({ length: 6 }, (_, i) => sink.record(outcome(i))));
    expect(appends).toHaveBeenCalledTimes(1);
    const file = new Learning(root, resolveLearningOptions()).outcomesFile;
    expect(lines(file).map((line) => JSON.parse(line).task_hash)).toEqual(['t0', 't1', 't2', 't3', 't4', 't5']);
    await sink.record(outcome(6));
    expect(lines(file)).toHaveLength(7);
    expect(appends).toHaveBeenCalledTimes(2);
    expect(readdirSync(join(root, '.codex-flow', 'appending'))).toEqual([]); // every announcement taken back
  });

  it('a learning folder removed between appends is made again, the record not lost', async () => {
    const root = project();
    const sink = new LearningOutcomeSink(root);
    await sink.record(outcome(0));
    rmSync(join(root, '.codex-flow'), { recursive: true, force: true });
    await sink.record(outcome(1));
    const file = new Learning(root, resolveLearningOptions()).outcomesFile;
    expect(lines(file).map((line) => JSON.parse(line).task_hash)).toEqual(['t1']);
  });

  it('a batch that passes the threshold compacts the log into the snapshot', async () => {
    const root = project();
    const options = { ...resolveLearningOptions(), compactAfterBytes: 600 };
    const sink = new LearningOutcomeSink(root, options);
    await Promise.all(Array.from({ length: 8 }, (_, i) => sink.record(outcome(i))));
    const learning = new Learning(root, options);
    expect(existsSync(learning.outcomesFile)).toBe(false);
    expect(learning.load().state.outcomes).toBe(8);
  });
});
