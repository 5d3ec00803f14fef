/**
 * Hand-offs reinforce the delegation priors: in the seeded simulation the planner's near-tied
 * choice moves to the agent whose hand-offs save time at equal success, the priors stay within
 * their bounds, and without reinforcement the router's top gets every hand-off.
 */
import { describe, expect, it } from 'vitest';
import { REINFORCE_WEIGHT, delegationPriors, handoffReinforcement } from '../../src/learn/delegation.js';
import { emptyHandoffs, judgeHandoff, tallyHandoff } from '../../src/learn/handoffs.js';
import { simulateHandoffs } from '../../src/swarm/simulate-handoffs.js';

describe('hand-off reinforcement (simulation, fixed seeds)', () => {
  for (const seed of [1, 2, 3, 7, 42]) {
    it(`seed ${seed}: the prior moves to the hand-off that saves time at equal success`, () => {
      const result = simulateHandoffs({ seed, rounds: 200 });
      expect(result.lateFastShare).toBe(1);
      expect(result.priors.fast).toBeGreaterThan(result.priors.slow);
      expect(result.meanMs).toBeLessThan(result.routerTopMeanMs * 0.9);
      for (const prior of Object.values(result.priors)) expect(Math.abs(prior)).toBeLessThanOrEqual(REINFORCE_WEIGHT / 2);
    });
  }

  it('is deterministic: the same seed gives the same figures', () => {
    expect(simulateHandoffs({ seed: 7, rounds: 120 })).toEqual(simulateHandoffs({ seed: 7, rounds: 120 }));
  });
});

describe('judging and tallying hand-offs', () => {
  it('better, equal and worse against the baseline; a failure is always worse', () => {
    const baseline = { retries: 1, ms: 1000 };
    expect(judgeHandoff({ ok: true, retries: 0, ms: 2000 }, baseline)).toBe('better');
    expect(judgeHandoff({ ok: true, retries: 1, ms: 850 }, baseline)).toBe('better');
    expect(judgeHandoff({ ok: true, retries: 1, ms: 1050 }, baseline)).toBe('equal');
    expect(judgeHandoff({ ok: true, retries: 1, ms: 1150 }, baseline)).toBe('worse');
    expect(judgeHandoff({ ok: true, retries: 2, ms: 500 }, baseline)).toBe('worse');
    expect(judgeHandoff({ ok: false, retries: 0, ms: 100 }, baseline)).toBe('worse');
  });

  it('the reinforcement is bounded however many hand-offs agree, and tallies feed the priors', () => {
    const data = emptyHandoffs();
    for (let i = 0; i < 1000; i++) tallyHandoff(data, { from: 'a', to: 'b', verdict: 'better', ms: 900, baselineMs: 1000 });
    const tally = data.pairs['a → b']!;
    expect(tally).toEqual({ handoffs: 1000, better: 1000, equal: 0, worse: 0, saved_ms: 100_000 });
    expect(handoffReinforcement(tally)).toBeLessThan(REINFORCE_WEIGHT / 2);
    expect(handoffReinforcement(tally)).toBeGreaterThan(REINFORCE_WEIGHT / 2 - 0.001);
    const priors = delegationPriors([{ agent: { id: 'a' }, triggers: { delegations: { prefers: ['b'], complements: [] } } }], data.pairs);
    expect(priors.prior('a', 'b')).toBeCloseTo(0.6 + handoffReinforcement(tally), 6);
    expect(priors.evidence('a', 'b')).toEqual(tally);
  });
});
