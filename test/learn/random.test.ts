import { describe, expect, it } from 'vitest';
import { beta, createRandom, gamma } from '../../src/learn/random.js';

describe('seeded random source', () => {
  it('gives the same draws for the same seed and different ones for another', () => {
    const draw = (seed: number) =>
      Array.from(
        { length: 5 },
        (
          (r) => () =>
            r.next()
        )(createRandom(seed)),
      );
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(42).every((x) => x >= 0 && x < 1)).toBe(true);
  });
  it('draws Beta and Gamma with the right means', () => {
    const random = createRandom(7);
    const n = 4000;
    let b = 0;
    let g = 0;
    for (let i = 0; i < n; i++) {
      b += beta(random, 3, 1);
      g += gamma(random, 0.5);
    }
    expect(b / n).toBeCloseTo(0.75, 1);
    expect(g / n).toBeCloseTo(0.5, 1);
  });
});
