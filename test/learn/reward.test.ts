/**
 * The reward: f(success, latency, cost, review) with latency and cost normalised per workload
 * tier, its config, how the learner records and folds it, and the simulation where two agents
 * succeed equally often and the loop must move traffic to the faster, cheaper one (fixed seeds).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Learning } from '../../src/learn/learner.js';
import { LearningConfigError, resolveLearningOptions } from '../../src/learn/options.js';
import { DEFAULT_REWARD, rewardOf } from '../../src/learn/reward.js';
import { simulateReward } from '../../src/learn/simulate-reward.js';
import { applyOutcome, emptyState } from '../../src/learn/state.js';

describe('rewardOf', () => {
  it('a failure is 0; a success with nothing measured is 1, as before rewards', () => {
    expect(rewardOf({ ok: false, latency_ms: 10 }, 'coding')).toBe(0);
    expect(rewardOf({ ok: true, latency_ms: -1 }, 'coding')).toBe(1);
  });

  it("at the tier's reference latency and cost a success scores 0.85; a fifth of both 0.95", () => {
    expect(rewardOf({ ok: true, latency_ms: 60_000, cost_usd: 0.05 }, 'coding')).toBeCloseTo(0.85, 6);
    expect(rewardOf({ ok: true, latency_ms: 12_000, cost_usd: 0.01 }, 'coding')).toBeCloseTo(1 - 0.15 / 6 - 0.15 / 6, 6);
  });

  it('normalises per tier: a minute is heavy for a librarian, light for a reasoning agent', () => {
    const minute = { ok: true, latency_ms: 60_000 };
    expect(rewardOf(minute, 'librarian')).toBeLessThan(rewardOf(minute, 'reasoning'));
  });

  it('a rejected review costs more than being slow and costly together', () => {
    expect(rewardOf({ ok: true, review: 'rejected' }, 'coding')).toBeCloseTo(0.7, 6);
    expect(rewardOf({ ok: true, review: 'changes-requested' }, 'coding')).toBeCloseTo(0.85, 6);
    expect(rewardOf({ ok: true, latency_ms: 1e9, cost_usd: 1e6 }, 'coding')).toBeGreaterThan(0.7);
  });
});

describe('learning.reward', () => {
  it('weights and references come from the config, the rest from the defaults', () => {
    const options = resolveLearningOptions({ reward: { latency: 0.3, cost_ref_usd: { coding: 0.5 } } });
    expect(options.reward).toMatchObject({ latency: 0.3, cost: DEFAULT_REWARD.cost, costRefUsd: { coding: 0.5, reasoning: 0.2 } });
  });

  it('weights over 1 in sum, unknown tiers and keys are refused with what to write', () => {
    expect(() => resolveLearningOptions({ reward: { latency: 0.5, cost: 0.5, review: 0.5 } })).toThrow(/at most 1/);
    expect(() => resolveLearningOptions({ reward: { latency_ref_ms: { wizard: 5 } } })).toThrow(LearningConfigError);
    expect(() => resolveLearningOptions({ reward: { speed: 1 } })).toThrow(/not a setting/);
  });
});

describe('recording and folding the reward', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it("the learner stores the reward of a measured success and the fold counts it as the bandit's success", () => {
    dir = mkdtempSync(join(tmpdir(), 'cf-reward-'));
    const learning = new Learning(dir, resolveLearningOptions({}));
    const base = { alias: 'a', retries: 0, tool_errors: 0, stop_reason: 'completed', task_hash: 'h', at: '2026-01-01T00:00:00.000Z' };
    learning.record({ ...base, agent: 'a', ok: true, latency_ms: 60_000, cost_usd: 0.05 }, 'coding');
    learning.record({ ...base, agent: 'a', ok: true, latency_ms: -1 }, 'coding');
    const lines = readFileSync(join(dir, '.codex-flow/outcomes.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines[0].reward).toBeCloseTo(0.85, 6);
    expect(lines[1].reward).toBeUndefined();
    const { state } = learning.load();
    expect(state.agents.get('a')).toMatchObject({ ok: 2, trials: 2 });
    expect(state.agents.get('a')!.successes).toBeCloseTo(1.85, 6);
    expect(state.agents.get('a')!.providers).toBeUndefined();
  });

  it('a stored reward out of range is clamped, not trusted', () => {
    const state = emptyState();
    applyOutcome(
      state,
      {
        agent: 'a',
        alias: 'a',
        ok: true,
        latency_ms: 1,
        retries: 0,
        tool_errors: 0,
        stop_reason: 'completed',
        task_hash: '',
        at: '2026-01-01T00:00:00.000Z',
        reward: 7,
      } as never,
      ['kw:x'],
      0.1,
    );
    expect(state.agents.get('a')!.successes).toBe(1);
  });
});

describe('reward simulation: equal success, different speed and price (seed 7, 2,000 tasks)', () => {
  const rewarded = simulateReward({ tasks: 2000, seed: 7, learnFrom: 'reward' });
  const successOnly = simulateReward({ tasks: 2000, seed: 7, learnFrom: 'success' });

  it('traffic moves to the faster, cheaper agent and stays there', () => {
    expect(rewarded.cheapShare.slice(5).every((share) => share > 0.8)).toBe(true);
    expect(rewarded.cheapShare.at(-1)).toBeGreaterThan(0.9);
  });

  it('learning from success alone cannot tell the two apart; the reward costs and waits less at the same success', () => {
    expect(successOnly.cheapShare.at(-1)).toBeLessThan(0.5);
    expect(rewarded.costUsd).toBeLessThan(successOnly.costUsd / 2);
    expect(rewarded.meanLatencyMs).toBeLessThan(successOnly.meanLatencyMs / 2);
    expect(Math.abs(rewarded.successes - successOnly.successes)).toBeLessThan(60);
    expect(rewarded.regret).toBeLessThan(successOnly.regret / 4);
  });

  it('is reproducible', () => {
    expect(simulateReward({ tasks: 300, seed: 3, learnFrom: 'reward' })).toEqual(
      simulateReward({ tasks: 300, seed: 3, learnFrom: 'reward' }),
    );
  });
});
