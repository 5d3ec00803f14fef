/**
 * Per-call score accumulation: one slot per agent for each term of
 * S = μ·mention + α·keyword + β·regex + φ·files + γ·affinity + δ·R + σ·semantic − penalties.
 *
 * Naive approach: a Map from agent id to an object of terms, built and thrown away per call.
 * What we do: preallocated Float64Arrays indexed by dense agent number, a generation stamp so a
 * call "clears" only the agents it touches, and a touched list to rank. Specificity (how few
 * agents share a trigger) is computed once per trigger at build time.
 * Invariants: values of an agent not touched in this generation are meaningless and never read;
 * ranking order is total (score, then agent number = id order), hence deterministic.
 */

/** Bits of `stages`: which stages found an agent. */
export const STAGE_FILES = 1;
export const STAGE_KEYWORD = 2;
export const STAGE_REGEX = 4;
export const STAGE_SEMANTIC = 8;

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
  const words = phrase.split(/\s+/).filter(Boolean).length;
  return Math.min(2, 1 + 0.5 * Math.max(0, words - 1));
}

export class ScoreBoard {
  readonly keyword: Float64Array;
  readonly mention: Float64Array;
  readonly regex: Float64Array;
  readonly files: Float64Array;
  readonly affinity: Float64Array;
  readonly semantic: Float64Array;
  readonly reward: Float64Array;
  readonly penalty: Float64Array;
  readonly total: Float64Array;
  readonly stages: Uint8Array;
  readonly touched: Int32Array;
  touchedCount = 0;
  private readonly stamp: Uint32Array;
  private generation = 0;
  private readonly byScore: (a: number, b: number) => number;

  constructor(agentCount: number) {
    this.keyword = new Float64Array(agentCount);
    this.mention = new Float64Array(agentCount);
    this.regex = new Float64Array(agentCount);
    this.files = new Float64Array(agentCount);
    this.affinity = new Float64Array(agentCount);
    this.semantic = new Float64Array(agentCount);
    this.reward = new Float64Array(agentCount);
    this.penalty = new Float64Array(agentCount);
    this.total = new Float64Array(agentCount);
    this.stages = new Uint8Array(agentCount);
    this.touched = new Int32Array(agentCount);
    this.stamp = new Uint32Array(agentCount);
    const total = this.total;
    this.byScore = (a, b) => total[b]! - total[a]! || a - b;
  }

  reset(): void {
    this.touchedCount = 0;
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) {
      this.stamp.fill(0);
      this.generation = 1;
    }
  }

  /** Makes `agent` part of this call, zeroing its slots the first time. */
  touch(agent: number, stage: number): void {
    if (this.stamp[agent] !== this.generation) {
      this.stamp[agent] = this.generation;
      this.keyword[agent] = 0;
      this.mention[agent] = 0;
      this.regex[agent] = 0;
      this.files[agent] = 0;
      this.affinity[agent] = 0;
      this.semantic[agent] = 0;
      this.reward[agent] = 0;
      this.penalty[agent] = 0;
      this.total[agent] = 0;
      this.stages[agent] = 0;
      this.touched[this.touchedCount++] = agent;
    }
    this.stages[agent]! |= stage;
  }

  isTouched(agent: number): boolean {
    return this.stamp[agent] === this.generation;
  }

  /** Removes touched agents for which `drop` is true (disabled agents), keeping order. */
  filter(keep: (agent: number) => boolean): void {
    let kept = 0;
    for (let i = 0; i < this.touchedCount; i++) {
      const agent = this.touched[i]!;
      if (keep(agent)) this.touched[kept++] = agent;
    }
    this.touchedCount = kept;
  }

  /**
   * Orders the touched agents best first (score descending, then agent number = id order) and
   * returns the first `limit`. A small limit uses partial selection — O(touched × limit) instead
   * of a full sort, which dominated a 1,000-agent route call.
   */
  rank(limit = this.touchedCount): Int32Array {
    const count = this.touchedCount;
    const touched = this.touched;
    if (limit * 8 >= count) return touched.subarray(0, count).sort(this.byScore).subarray(0, Math.min(limit, count));
    for (let i = 0; i < limit; i++) {
      let best = i;
      for (let j = i + 1; j < count; j++) if (this.byScore(touched[j]!, touched[best]!) < 0) best = j;
      const swap = touched[i]!;
      touched[i] = touched[best]!;
      touched[best] = swap;
    }
    return touched.subarray(0, limit);
  }
}
