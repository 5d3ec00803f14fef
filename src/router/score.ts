/**
 * Per-call score accumulation: one slot per agent for each term of
 * S = μ·mention + α·keyword + β·regex + φ·files + γ·affinity + δ·R + σ·semantic + λ·learned − penalties.
 *
 * Naive approach: a Map from agent id to an object of terms, built and thrown away per call.
 * What we do: preallocated Float64Arrays indexed by dense agent number, a generation stamp so a
 * call "clears" only the agents it touches, and a touched list to rank. Specificity (how few
 * agents share a trigger) is computed once per trigger at build time.
 * Invariants: values of an agent not touched in this generation are meaningless and never read;
 * ranking order is total (score, then agent number = id order), hence deterministic.
 */

/**
 * How specific a trigger is, in (0, 1]: 1 when one agent owns it, falling with the log of the
 * number of owners (an IDF normalized by the fleet size), so "api" shared by 80 agents counts
 * far less than "graphql resolver" owned by one.
 *
 * @example specificity(1, 1000) === 1
 */
export function specificity(owners: number, fleetSize: number): number {
  if (owners <= 0 || fleetSize <= 1) return 1;
  return Math.log(1 + fleetSize / owners) / Math.log(1 + fleetSize);
}

/**
 * Multi-word keywords are stronger evidence than single words ("graphql resolver" vs "resolver"):
 * half a keyword more per extra word, capped at double.
 */
export function phraseBonus(phrase: string): number {
  // Words = runs of non-space units (what `split(/\s+/)` counts), without a regex per phrase.
  let words = 0;
  let inWord = false;
  for (let i = 0; i < phrase.length; i++) {
    const unit = phrase.charCodeAt(i);
    const space = unit === 32 || (unit < 128 ? unit >= 9 && unit <= 13 : SPACE.test(phrase[i]!));
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return Math.min(2, 1 + 0.5 * Math.max(0, words - 1));
}

const SPACE = /\s/;

/** Slots of one agent's row in `ScoreBoard.values` (one row per agent keeps a touch to one cache line or two). */
export const TERM_MENTION = 0;
export const TERM_KEYWORD = 1;
export const TERM_REGEX = 2;
export const TERM_FILES = 3;
export const TERM_AFFINITY = 4;
export const TERM_SEMANTIC = 5;
export const TERM_REWARD = 6;
export const TERM_PENALTY = 7;
export const TERM_TOTAL = 8;
export const TERM_LEARNED = 9;
/** Terms of the built-in stages per row; ScoreBoard.touch zeroes them with this many unrolled stores: change both together. */
export const STRIDE = 10;

/**
 * Whether agent `a` (total `totalA`) ranks before `b`: exactly `byScore(a, b) < 0`, where a zero
 * or NaN difference of totals falls back to id order.
 */
function ranksBefore(a: number, totalA: number, b: number, totalB: number): boolean {
  const difference = totalB - totalA;
  return difference < 0 || (!(difference > 0) && a < b);
}

export class ScoreBoard {
  /** Row-major: values[agent * stride + TERM_x]. */
  readonly values: Float64Array;
  /** Slots per row: STRIDE, plus one per slot a stage registered from outside asked for. */
  readonly stride: number;
  /** Bits of the stages that found each agent (bit i: the i-th stage the router runs). */
  readonly stages: Uint32Array;
  readonly touched: Int32Array;
  touchedCount = 0;
  private readonly stamp: Uint32Array;
  private generation = 0;
  private readonly byScore: (a: number, b: number) => number;
  private top = new Int32Array(16);
  /** Totals of `top`, beside it: the insertion loop compares plain numbers, not rows. */
  private topTotals = new Float64Array(16);

  constructor(agentCount: number, stride = STRIDE) {
    this.stride = stride;
    this.values = new Float64Array(agentCount * stride);
    this.stages = new Uint32Array(agentCount);
    this.touched = new Int32Array(agentCount);
    this.stamp = new Uint32Array(agentCount);
    const values = this.values;
    this.byScore = (a, b) => values[b * stride + TERM_TOTAL]! - values[a * stride + TERM_TOTAL]! || a - b;
  }

  reset(): void {
    this.touchedCount = 0;
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) {
      this.stamp.fill(0);
      this.generation = 1;
    }
  }

  /** Makes `agent` part of this call, zeroing its row the first time; returns the row's offset. */
  touch(agent: number, stage: number): number {
    const row = agent * this.stride;
    if (this.stamp[agent] !== this.generation) {
      this.stamp[agent] = this.generation;
      // Unrolled, one store per term (STRIDE of them): touch runs for every owner of every hit,
      // and a loop is slower than the stores.
      const values = this.values;
      values[row] = 0;
      values[row + 1] = 0;
      values[row + 2] = 0;
      values[row + 3] = 0;
      values[row + 4] = 0;
      values[row + 5] = 0;
      values[row + 6] = 0;
      values[row + 7] = 0;
      values[row + 8] = 0;
      values[row + 9] = 0;
      for (let slot = STRIDE; slot < this.stride; slot++) values[row + slot] = 0;
      this.stages[agent] = 0;
      this.touched[this.touchedCount++] = agent;
    }
    this.stages[agent]! |= stage;
    return row;
  }

  isTouched(agent: number): boolean {
    return this.stamp[agent] === this.generation;
  }

  /** One term of one agent (for explanations; the hot path indexes `values` directly). */
  get(agent: number, term: number): number {
    return this.values[agent * this.stride + term]!;
  }

  /**
   * The best `limit` touched agents, best first (score descending, then agent number = id order).
   * A small limit keeps a sorted buffer of the best so far: one comparison for most agents,
   * instead of sorting thousands of candidates to show five. No limit: everything, sorted.
   */
  rank(limit = this.touchedCount): Int32Array {
    return this.rankAmong(this.touched, this.touchedCount, limit);
  }

  /**
   * `rank` over the first `count` agents of `touched` (touched ones; a list known to hold the top
   * `limit`, such as the router's near-top list when R was drawn only for those). May reorder
   * `touched`; the result is a view of it or of a buffer of the board, valid until the next call.
   */
  rankAmong(touched: Int32Array, count: number, limit: number): Int32Array {
    // Sorting calls the comparator from native code (~n log n calls, each a boundary crossing):
    // only for a long top list; a top of up to 32 goes through the insertion buffer below.
    if (limit > 32 && limit * 8 >= count) return touched.subarray(0, count).sort(this.byScore).subarray(0, Math.min(limit, count));
    if (this.top.length < limit) {
      this.top = new Int32Array(limit);
      this.topTotals = new Float64Array(limit);
    }
    const { top, topTotals, values, stride } = this;
    let filled = 0;
    for (let i = 0; i < count; i++) {
      const agent = touched[i]!;
      const total = values[agent * stride + TERM_TOTAL]!;
      if (filled === limit && !ranksBefore(agent, total, top[limit - 1]!, topTotals[limit - 1]!)) continue;
      let at = filled < limit ? filled++ : limit - 1;
      while (at > 0 && ranksBefore(agent, total, top[at - 1]!, topTotals[at - 1]!)) {
        top[at] = top[at - 1]!;
        topTotals[at] = topTotals[at - 1]!;
        at--;
      }
      top[at] = agent;
      topTotals[at] = total;
    }
    return top.subarray(0, filled);
  }
}
