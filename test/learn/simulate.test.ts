import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/learn/simulate.js';

describe('bandit simulation (hidden success rates, fixed seed)', () => {
  const tasks = 3000;
  const thompson = simulate({ policy: 'thompson', tasks, seed: 7 });

  it('Thompson sampling: regret grows sublinearly', () => {
    const at = (t: number) => thompson.regretCurve[t - 1]!;
    const rate = (from: number, to: number) => (at(to) - (from === 0 ? 0 : at(from))) / (to - from);
    // Regret per task falls as it learns: the last half pays a fifth of what the first 375 tasks did.
    expect(rate(1500, 3000)).toBeLessThan(rate(0, 375) / 5);
    expect(rate(1500, 3000)).toBeLessThan(rate(750, 1500) * 1.5);
    expect(at(3000)).toBeLessThan(60);
  });

  it('traffic shifts to the best agent of each context within 300 tasks and stays there', () => {
    expect(thompson.shiftedAt).toBeGreaterThanOrEqual(0);
    expect(thompson.shiftedAt).toBeLessThanOrEqual(300);
    expect(thompson.bestShare.at(-1)).toBeGreaterThan(0.9);
  });

  it('beats the ε-greedy baseline on the same stream', () => {
    expect(thompson.regret).toBeLessThan(simulate({ policy: 'epsilon-greedy', tasks, seed: 7 }).regret);
    expect(simulate({ policy: 'linucb', tasks, seed: 7 }).bestShare.at(-1)).toBeGreaterThan(0.9);
  });

  it('is reproducible', () => {
    expect(simulate({ policy: 'thompson', tasks: 200, seed: 3 })).toEqual(simulate({ policy: 'thompson', tasks: 200, seed: 3 }));
  });
});
