import { describe, expect, it } from 'vitest';
import { explainLines } from '../../src/router/format.js';
import type { RouteCandidate } from '../../src/router/types.js';

function candidate(terms: RouteCandidate['terms']): RouteCandidate {
  return { id: 'a', score: 0, evidence: [], terms } as unknown as RouteCandidate;
}

describe('explainLines', () => {
  it('writes a negative term as a magnitude under the minus sign, so its arithmetic holds', () => {
    const lines = explainLines(candidate([{ name: 'reward', weight: 1, value: -0.132, contribution: -0.132, detail: 'learned reward' }]));
    expect(lines[0]).toBe('- reward     1.000 × 0.132 = 0.132  (learned reward)');
  });
  it('keeps a positive term as it is', () => {
    const lines = explainLines(candidate([{ name: 'regex', weight: 1, value: 0.9, contribution: 0.9, detail: 'priority 9' }]));
    expect(lines[0]).toBe('+ regex      1.000 × 0.900 = 0.900  (priority 9)');
  });
});
