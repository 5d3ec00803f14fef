/**
 * `learning.autotune: apply`: tuning that acts under caps, logged with reasons, reversible, and
 * read by the runner; the simulated overloaded alias (fixed seed) fails less once tuned.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveLearningOptions, LearningConfigError } from '../../src/learn/options.js';
import { applyOutcome, emptyState, type LearnedState } from '../../src/learn/state.js';
import { applyTuning, readTuning, resetTuning, TUNING_FILE, tunedSettings } from '../../src/learn/tuning.js';
import { tryLockSync } from '../../src/util/file-lock.js';
import { LOCK_FILE } from '../../src/learn/store.js';
import { simulateAutotune } from '../../src/learn/simulate-tuning.js';
import { AliasResolver } from '../../src/runner/aliases.js';
import { agent, fleetOf, runnerOptions } from '../support/runner-fixtures.js';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';

const AGENT = { id: 'busy', autonomy_level: 3, max_parallel_tasks: 8, failure_rate_pct: 20 };

function stateWith(results: boolean[], start = Date.parse('2026-01-01T00:00:00Z')): LearnedState {
  const state = emptyState();
  results.forEach((ok, i) =>
    applyOutcome(
      state,
      {
        agent: 'busy',
        alias: 'busy',
        ok,
        latency_ms: 2000,
        retries: 0,
        tool_errors: 0,
        stop_reason: ok ? 'completed' : 'timeout',
        task_hash: `t${i}`,
        at: new Date(start + i * 1000).toISOString(),
      },
      [],
      0.1,
    ),
  );
  return state;
}

const dir = () => mkdtempSync(join(tmpdir(), 'cf-tuning-'));

describe('learning.autotune', () => {
  it('is validated: off | suggest | apply, suggest by default', () => {
    expect(resolveLearningOptions({}).autotune).toBe('suggest');
    expect(resolveLearningOptions({ autotune: 'apply' }).autotune).toBe('apply');
    expect(() => resolveLearningOptions({ autotune: 'always' })).toThrow(LearningConfigError);
    expect(() => resolveLearningOptions({ autotune: 'always' })).toThrow(/learning.autotune must be one of off, suggest, apply/);
  });

  it('lowers autonomy and halves parallelism after failures, logs each change with its reason, and never raises past the compiled values', async () => {
    const folder = dir();
    const failing = stateWith(Array.from({ length: 12 }, (_, i) => i % 2 === 0));
    const first = (await applyTuning(folder, failing, [AGENT], 0.1))!;
    expect(first.changes.map((c) => [c.setting, c.from, c.to])).toEqual([
      ['autonomy_level', 3, 2],
      ['max_parallel_tasks', 8, 4],
    ]);
    expect(first.changes.every((c) => c.reason.length > 10)).toBe(true);
    expect(first.tuned.get('busy')).toEqual({ autonomy_level: 2, max_parallel_tasks: 4 });
    // No new evidence, no new change.
    expect((await applyTuning(folder, failing, [AGENT], 0.1))!.changes).toEqual([]);
    // Forty successes later: autonomy rises one level, back to the compiled 3 and no further.
    const healed = stateWith([...Array.from({ length: 12 }, (_, i) => i % 2 === 0), ...Array(40).fill(true)]);
    const second = (await applyTuning(folder, healed, [AGENT], 0.1))!;
    expect(second.changes.find((c) => c.setting === 'autonomy_level')).toMatchObject({ from: 2, to: 3 });
    const longer = stateWith([...Array.from({ length: 12 }, (_, i) => i % 2 === 0), ...Array(80).fill(true)]);
    const third = (await applyTuning(folder, longer, [AGENT], 0.1))!;
    expect(third.tuned.get('busy')!.autonomy_level ?? 3).toBeLessThanOrEqual(3);
    expect(third.tuned.get('busy')!.max_parallel_tasks ?? 8).toBeLessThanOrEqual(8);
    const file = JSON.parse(readFileSync(join(folder, TUNING_FILE), 'utf8'));
    expect(file.log.length).toBe(first.changes.length + second.changes.length + third.changes.length);
  });

  it('never raises parallelism for an agent whose failure rate is above its threshold', async () => {
    const folder = dir();
    // 25 % failures, spread out, with queue rejections asking for more: above the 20 % threshold.
    const state = stateWith(Array.from({ length: 40 }, (_, i) => i % 4 !== 0));
    state.agents.get('busy')!.rejected = 5;
    const changes = (await applyTuning(folder, state, [{ ...AGENT, max_parallel_tasks: 2 }], 0.1))!.changes;
    const parallel = changes.filter((c) => c.setting === 'max_parallel_tasks');
    expect(parallel.every((c) => c.to <= c.from)).toBe(true);
    expect(parallel).toEqual([expect.objectContaining({ from: 2, to: 1 })]);
  });

  it('stats --reset-tuning undoes it for one agent or all, and logs the reset', async () => {
    const folder = dir();
    await applyTuning(folder, stateWith(Array.from({ length: 12 }, (_, i) => i % 2 === 0)), [AGENT], 0.1);
    expect(await resetTuning(folder, 'other')).toEqual([]);
    const undone = (await resetTuning(folder, 'busy'))!;
    expect(undone.map((c) => c.setting).sort()).toEqual(['autonomy_level', 'max_parallel_tasks']);
    const { data } = readTuning(folder);
    expect(tunedSettings(data).size).toBe(0);
    expect(data.log.at(-1)!.reason).toContain('reset');
  });

  it('a reset is not undone by the next run on the same outcomes: the agent waits for new tasks', async () => {
    const folder = dir();
    const state = stateWith(Array.from({ length: 12 }, (_, i) => i % 2 === 0));
    expect((await applyTuning(folder, state, [AGENT], 0.1))!.changes.length).toBeGreaterThan(0);
    await resetTuning(folder);
    const again = (await applyTuning(folder, state, [AGENT], 0.1))!;
    expect(again.changes).toEqual([]);
    expect(again.tuned.size).toBe(0);
  });

  it('keeps a tuning file that does not load aside instead of overwriting it', async () => {
    const folder = dir();
    writeFileSync(join(folder, TUNING_FILE), '{ not json');
    const applied = (await applyTuning(folder, stateWith(Array.from({ length: 12 }, (_, i) => i % 2 === 0)), [AGENT], 0.1))!;
    expect(applied.problem).toBeDefined();
    expect(readTuning(folder).problem).toBeUndefined();
    expect(existsSync(join(folder, TUNING_FILE))).toBe(true);
  });

  it('a tuning file with null agents or null entries is set aside as not loading, never a crash', () => {
    const folder = dir();
    writeFileSync(join(folder, TUNING_FILE), JSON.stringify({ format: 'codex-flow/tuning', version: 1, agents: null, log: [] }));
    expect(readTuning(folder).problem).toBeDefined();
    writeFileSync(
      join(folder, TUNING_FILE),
      JSON.stringify({ format: 'codex-flow/tuning', version: 1, agents: { a: null, b: { autonomy_level: 1 } }, log: [null] }),
    );
    const read = readTuning(folder);
    expect(read.problem).toBeUndefined();
    expect(tunedSettings(read.data)).toEqual(new Map([['b', { autonomy_level: 1 }]]));
    expect(read.data.log).toEqual([]);
  });

  it('waiting for a busy learning lock leaves the event loop free (a server keeps answering)', async () => {
    const folder = dir();
    const held = tryLockSync(join(folder, LOCK_FILE))!;
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const applying = applyTuning(folder, stateWith([false, false, false]), [AGENT], 0.1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    held.release();
    const applied = await applying;
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(5);
    expect(applied).toBeDefined();
  });

  it('the runner applies tuned values under the configured ones: lane limit and autonomy', async () => {
    const fleet = fleetOf(
      agent('busy', { runtime: { autonomy_level: 3, concurrency: { max_parallel_tasks: 8, queue_strategy: 'fifo' } } }),
    );
    const tuned = new Map([['busy', { autonomy_level: 1, max_parallel_tasks: 2 }]]);
    const target = new AliasResolver(fleet, runnerOptions(), tuned).resolve('busy');
    expect(target.ok && target.target.lane.limit).toBe(2);
    expect(target.ok && target.target.definition.runtime.autonomy_level).toBe(1);
    // A tuned value above the configured one is never applied.
    const above = new AliasResolver(fleet, runnerOptions(), new Map([['busy', { max_parallel_tasks: 50, autonomy_level: 4 }]])).resolve(
      'busy',
    );
    expect(above.ok && above.target.lane.limit).toBe(8);
    expect(above.ok && above.target.definition.runtime.autonomy_level).toBe(3);
  });

  it('on a simulated overloaded alias (seed 7) fails less with apply than off, and ends at or below its capacity', async () => {
    const off = simulateAutotune({ seed: 7, rounds: 10, autotune: 'off' });
    const apply = simulateAutotune({ seed: 7, rounds: 10, autotune: 'apply' });
    expect(off.failureRate).toBeCloseTo(0.465, 3);
    expect(apply.failureRate).toBeCloseTo(0.16, 3);
    expect(apply.rounds.at(-1)!.parallel).toBeLessThanOrEqual(2);
    expect(apply.rounds.every((round) => round.parallel <= 8 && round.autonomy <= 3)).toBe(true);
  });

  it('stats shows the tuned values and the log (text and --json), and --reset-tuning --agent undoes one agent', async () => {
    const root = dir();
    cpSync(join(import.meta.dirname, '../fixtures/fleets/small'), join(root, 'codex/agents'), { recursive: true });
    const failing = (id: string) => {
      const state = stateWith(Array.from({ length: 12 }, (_, i) => i % 2 === 0));
      state.agents.set(id, state.agents.get('busy')!);
      return state;
    };
    await applyTuning(join(root, '.codex-flow'), failing('backend-developer'), [{ ...AGENT, id: 'backend-developer' }], 0.1);
    await applyTuning(join(root, '.codex-flow'), failing('frontend-developer'), [{ ...AGENT, id: 'frontend-developer' }], 0.1);
    const json = memoryIO(root, { CI: 'true' });
    expect(await main(['stats', '--json'], json)).toBe(0);
    const { tuning } = JSON.parse(json.out());
    expect(tuning.tuned['backend-developer']).toEqual({ autonomy_level: 2, max_parallel_tasks: 4 });
    expect(tuning.log).toHaveLength(4);
    const text = memoryIO(root, { CI: 'true' });
    expect(await main(['stats'], text)).toBe(0);
    expect(text.out()).toMatch(/backend-developer: autonomy_level 3 → 2 \(recent failures or interventions at \d+ %/);
    const reset = memoryIO(root, { CI: 'true' });
    expect(await main(['stats', '--reset-tuning', '--agent', 'backend-developer', '--json'], reset)).toBe(0);
    const after = JSON.parse(reset.out()).tuning;
    expect(after.reset).toHaveLength(2);
    // The log says where each setting went back to: the compiled value of the fleet.
    expect(after.reset.find((c: { setting: string }) => c.setting === 'max_parallel_tasks')).toMatchObject({ from: 4, to: 2 });
    expect(after.tuned).toEqual({});
    expect([...tunedSettings(readTuning(join(root, '.codex-flow')).data).keys()]).toEqual(['frontend-developer']);
  });
});
