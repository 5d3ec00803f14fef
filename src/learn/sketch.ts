/**
 * Latency percentiles without keeping every sample: a DDSketch (Masson, Rim & Lee, VLDB 2019),
 * through Datadog's own implementation (`@datadog/sketches-js`).
 *
 * Naive approach: keep every latency and sort on demand — memory grows with traffic forever.
 * What we do: a value x > 0 goes to bucket ⌈log_γ x⌉ with γ = (1 + a)/(1 − a); a bucket's
 * representative 2γ^i/(γ + 1) is within relative error `a` of every value in it, so any
 * quantile is within `a` of the exact one. Merging two sketches adds counts (order never matters,
 * which keeps the learning fold deterministic under compaction).
 * This file only adapts the library to the learned state: it keeps the stored form (`SketchData`,
 * sparse sorted [bucket, count] pairs, readable by every earlier learned-state.json), treats
 * sub-microsecond values as zero, and skips non-finite values and non-positive weights (the
 * library throws on those).
 * Invariants: `count` = zero bucket + Σ buckets; the buckets span at most MAX_BUCKETS keys (the
 * lowest collapse into one, so only the fastest percentiles lose accuracy, and only past 2,048
 * buckets ≈ 18 orders of magnitude at 1 %).
 */
import { LogCollapsingLowestDenseDDSketch } from '@datadog/sketches-js';

/**
 * 1 % relative error: p95 of 812 ms is reported within ±8 ms, finer than run-to-run noise, and
 * 1 ms to 1 hour fits in ~760 buckets.
 */
export const SKETCH_RELATIVE_ACCURACY = 0.01;

/** Hard cap on the bucket span per sketch: bounds the learned-state file whatever the latencies. */
export const MAX_BUCKETS = 2048;

/** Values at or below this (ms) count as zero: sub-microsecond latencies are clock noise. */
const MIN_VALUE = 1e-3;

/** The serialized form (sorted [bucket, count] pairs), as stored in learned-state.json. */
export interface SketchData {
  zero: number;
  buckets: Array<[number, number]>;
}

export class LatencySketch {
  private readonly sketch = new LogCollapsingLowestDenseDDSketch({
    relativeAccuracy: SKETCH_RELATIVE_ACCURACY,
    binLimit: MAX_BUCKETS,
  });

  /** How many values were added (the zero bucket included). */
  get count(): number {
    return this.sketch.count;
  }

  /**
   * Adds one value (a latency in ms).
   *
   * @example const sketch = new LatencySketch(); sketch.add(120); sketch.quantile(0.5) // ≈ 120
   */
  add(value: number, weight = 1): void {
    if (!Number.isFinite(value) || !(weight > 0)) return;
    this.sketch.accept(value <= MIN_VALUE ? 0 : value, weight);
  }

  /** The q-quantile (0 ≤ q ≤ 1), within the relative accuracy; NaN when empty. */
  quantile(q: number): number {
    return this.sketch.getValueAtQuantile(Math.max(0, Math.min(1, q)));
  }

  /** Adds another sketch's counts to this one. */
  merge(other: LatencySketch): void {
    this.sketch.merge(other.sketch);
  }

  toJSON(): SketchData {
    const { bins, offset } = this.sketch.store;
    const buckets: Array<[number, number]> = [];
    bins.forEach((count, index) => {
      if (count > 0) buckets.push([index + offset, count]);
    });
    return { zero: this.sketch.zeroCount, buckets };
  }

  static from(data: SketchData | undefined): LatencySketch {
    const sketch = new LatencySketch();
    if (!data) return sketch;
    const inner = sketch.sketch;
    inner.zeroCount = data.zero;
    inner.count = data.zero;
    for (const [index, count] of data.buckets) {
      if (!(count > 0)) continue;
      inner.store.add(index, count);
      inner.count += count;
    }
    return sketch;
  }
}
