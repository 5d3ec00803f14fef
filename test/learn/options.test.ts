import { describe, expect, it } from 'vitest';
import { LearningConfigError, resolveLearningOptions } from '../../src/learn/options.js';

describe('resolveLearningOptions', () => {
  it('explores locally and not in CI; the config and flags override', () => {
    expect(resolveLearningOptions({}, {}).explore).toBe(true);
    expect(resolveLearningOptions({}, { CI: 'true' }).explore).toBe(false);
    expect(resolveLearningOptions({}, { CI: 'false' }).explore).toBe(true);
    expect(resolveLearningOptions({ explore: true }, { CI: '1' }).explore).toBe(true);
  });
  it('rejects bad values, naming each', () => {
    expect(() => resolveLearningOptions({ mode: 'sometimes', prior_strength: -1, decay: 2 })).toThrow(LearningConfigError);
    expect(() => resolveLearningOptions({ mode: 'sometimes', prior_strength: -1 })).toThrow(/learning\.mode.*learning\.prior_strength/);
  });
});
