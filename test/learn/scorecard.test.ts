import { describe, expect, it } from 'vitest';
import { applyOutcome, emptyState } from '../../src/learn/state.js';
import { scorecards, weightChanges } from '../../src/learn/scorecard.js';
import { suggestTuning } from '../../src/learn/suggest.js';
import type { Outcome } from '../../src/learn/outcome.js';

function outcome(agent: string, i: number, ok: boolean, extra: Partial<Outcome> = {}): Outcome {
  return {
    agent,
    alias: agent,
    ok,
    latency_ms: 1000 + i,
    retries: 0,
    tool_errors: 0,
    stop_reason: ok ? 'completed' : 'error',
    task_hash: '',
    at: new Date(Date.UTC(2026, 0, 1) + i * 10_000).toISOString(),
    ...extra,
  };
}

describe('scorecards', () => {
  it('reports tasks, success, retries, percentiles, tool errors and a falling trend', () => {
    const state = emptyState();
    for (let i = 0; i < 30; i++)
      applyOutcome(state, outcome('debugger', i, i < 20, { retries: i % 2, tool_errors: i % 10 === 0 ? 1 : 0 }), ['w:1'], 0.1);
    applyOutcome(state, outcome('debugger', 31, false, { stop_reason: 'rejected' }), [], 0.1);
    const [card] = scorecards(state, new Map([['debugger', 0.7]]), 2);
    expect(card).toMatchObject({
      id: 'debugger',
      tasks: 30,
      successRate: 0.6667,
      retries: 0.5,
      toolErrors: 3,
      rejected: 1,
      trend: 'down',
      prior: 0.7,
    });
    expect(card!.latency!.p50).toBeGreaterThan(1000);
    expect(card!.latency!.p99).toBeGreaterThanOrEqual(card!.latency!.p95);
    expect(card!.learned).toBeLessThan(0.7);
    const [change] = weightChanges(state, new Map([['debugger', 0.7]]), 2, 5);
    expect(change).toMatchObject({ feature: 'w:1', agent: 'debugger' });
  });

  it('suggests less autonomy after failures and more parallelism when the queue rejects tasks', () => {
    const state = emptyState();
    for (let i = 0; i < 20; i++) applyOutcome(state, outcome('flaky', i, i % 2 === 0, { latency_ms: 30_000 }), [], 0.1);
    for (let i = 0; i < 20; i++) applyOutcome(state, outcome('busy', i, true, { latency_ms: 30_000 }), [], 0.1);
    for (let i = 0; i < 25; i++) applyOutcome(state, outcome('steady', i, true), [], 0.1);
    applyOutcome(state, outcome('flaky', 21, false, { stop_reason: 'rejected' }), [], 0.1);
    applyOutcome(state, outcome('busy', 21, false, { stop_reason: 'rejected' }), [], 0.1);
    const suggestions = suggestTuning(state, [
      { id: 'busy', autonomy_level: 2, max_parallel_tasks: 1 },
      { id: 'flaky', autonomy_level: 3, max_parallel_tasks: 1 },
      { id: 'steady', autonomy_level: 2, max_parallel_tasks: 1 },
    ]);
    expect(suggestions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ agent: 'flaky', setting: 'autonomy_level', current: 3, suggested: 2 }),
        expect.objectContaining({ agent: 'busy', setting: 'max_parallel_tasks', current: 1, suggested: 2 }),
        expect.objectContaining({ agent: 'steady', setting: 'autonomy_level', current: 2, suggested: 3 }),
      ]),
    );
    // Half its tasks fail, over the default 20 % threshold: more of it in parallel is more failures.
    expect(suggestions.find((s) => s.agent === 'flaky' && s.setting === 'max_parallel_tasks')).toBeUndefined();
  });
});
