/**
 * Delegation priors from `prefers` / `complements`, reinforced by hand-offs that cut retries or
 * time (the function the swarm planner can use; src/learn/delegation.ts).
 */
import { describe, expect, it } from 'vitest';
import { delegationPriors } from '../../src/learn/delegation.js';

const agent = (id: string, prefers: string[] = [], complements: string[] = []) => ({
  agent: { id },
  triggers: { delegations: { prefers, complements } },
});

describe('delegationPriors', () => {
  const fleet = [agent('planner', ['coder'], ['reviewer']), agent('coder', [], ['tester']), agent('reviewer'), agent('tester')];

  it('prefers beat complements; complements count both ways; undeclared pairs are 0', () => {
    const priors = delegationPriors(fleet);
    expect(priors.prior('planner', 'coder')).toBe(0.6);
    expect(priors.prior('reviewer', 'planner')).toBe(0.3);
    expect(priors.prior('tester', 'coder')).toBe(0.3);
    expect(priors.prior('coder', 'planner')).toBe(0);
    expect(priors.ranked('planner')).toEqual([
      { to: 'coder', prior: 0.6 },
      { to: 'reviewer', prior: 0.3 },
    ]);
  });

  it('hand-offs that cut retries or time raise the prior, others lower it, within ±0.2', () => {
    const priors = delegationPriors(fleet);
    for (let i = 0; i < 8; i++)
      priors.record({ from: 'planner', to: 'reviewer', retries: 0, baselineRetries: 1, ms: 500, baselineMs: 900 });
    for (let i = 0; i < 8; i++) priors.record({ from: 'planner', to: 'coder', retries: 2, baselineRetries: 1, ms: 500, baselineMs: 900 });
    expect(priors.prior('planner', 'reviewer')).toBeCloseTo(0.3 + 0.4 * 0.9 - 0.2, 6);
    expect(priors.prior('planner', 'coder')).toBeCloseTo(0.6 + 0.4 * 0.1 - 0.2, 6);
    expect(priors.ranked('planner').map((entry) => entry.to)).toEqual(['reviewer', 'coder']);
  });
});
