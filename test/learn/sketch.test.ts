import { describe, expect, it } from 'vitest';
import { LatencySketch, SKETCH_RELATIVE_ACCURACY } from '../../src/learn/sketch.js';
import { createRandom, normal } from '../../src/learn/random.js';

/** Exact quantile with the same rank rule as the sketch (lower of the two at q·(n − 1)). */
function exact(sorted: number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

describe('LatencySketch (DDSketch)', () => {
  it('stays within the relative error bound of exact percentiles on skewed latencies', () => {
    const random = createRandom(3);
    const values = Array.from({ length: 20_000 }, () => Math.exp(6 + 1.2 * normal(random)));
    const sketch = new LatencySketch();
    for (const v of values) sketch.add(v);
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of [0.01, 0.5, 0.9, 0.95, 0.99, 0.999]) {
      const truth = exact(sorted, q);
      expect(Math.abs(sketch.quantile(q) - truth) / truth).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY + 1e-9);
    }
    expect(sketch.count).toBe(values.length);
  });
  it('merges to the same sketch as adding everything to one, in any order, and round-trips through JSON', () => {
    const random = createRandom(9);
    const values = Array.from({ length: 1000 }, () => 1 + random.next() * 5000);
    const whole = new LatencySketch();
    const left = new LatencySketch();
    const right = new LatencySketch();
    values.forEach((v, i) => {
      whole.add(v);
      (i % 2 === 0 ? left : right).add(v);
    });
    right.merge(left);
    expect(right.toJSON()).toEqual(whole.toJSON());
    const copy = LatencySketch.from(JSON.parse(JSON.stringify(whole.toJSON())));
    expect(copy.quantile(0.95)).toBe(whole.quantile(0.95));
  });
  it('counts zero latencies, ignores non-finite ones, and is NaN when empty', () => {
    const sketch = new LatencySketch();
    expect(sketch.quantile(0.5)).toBeNaN();
    sketch.add(0);
    sketch.add(Number.NaN);
    sketch.add(100);
    expect(sketch.count).toBe(2);
    expect(sketch.quantile(0)).toBe(0);
    expect(sketch.quantile(1)).toBeCloseTo(100, -1);
  });
  it('keeps the stored form: the buckets of a learned-state.json written before the library swap read back to the same percentiles', () => {
    // Written by the hand-rolled DDSketch this file replaced, for 0, 0.0005, 1, 10, 10, 100, 812, 1000 and 3,600,000 ms.
    const stored = {
      zero: 2,
      buckets: [
        [0, 1],
        [116, 2],
        [231, 1],
        [335, 1],
        [346, 1],
        [755, 1],
      ] as Array<[number, number]>,
    };
    const fresh = new LatencySketch();
    for (const v of [0, 0.0005, 1, 10, 10, 100, 812, 1000, 3_600_000]) fresh.add(v);
    expect(fresh.toJSON()).toEqual(stored);
    const read = LatencySketch.from(stored);
    expect(read.count).toBe(9);
    expect(read.quantile(0.5)).toBeCloseTo(10.074696689511333, 9);
    expect(read.quantile(0.95)).toBeCloseTo(1002.42800852213, 9);
    expect(read.toJSON()).toEqual(stored);
  });
});
