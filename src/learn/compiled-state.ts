/**
 * The learned state as the hot path reads it: per feature a row of typed arrays (agents by dense
 * number, successes, trials), word features in an array indexed by bucket, rebuilt when the
 * state's revision moves.
 *
 * Naive approach: build the request's feature strings (featuresOf), then for each feature walk a
 * Map of Maps and sum into a Map of [s, n] pairs — on a 1,000-agent fleet with a busy state that
 * is several times the route itself. What we do: scan the task once (features.ts: WordCursor),
 * look word buckets up by index (no string per word), dedupe by stamping rows, and sum into
 * scratch Float64Arrays stamped per call. Nothing is allocated per word, row or agent.
 * Invariants: `collect` uses exactly the feature set `featuresOf` would give for the same request
 * (same order of preference, same MAX_FEATURES cap), each row cut to its MAX_ROW_AGENTS strongest
 * agents; scratch values are valid until the next call.
 */
import { FEATURE_BUCKETS, MAX_FEATURES, WordCursor, hashOf } from './features.js';
import { foldUnit } from '../router/text.js';
import type { LearnedState } from './state.js';

interface Row {
  /**
   * Interleaved per agent: [agent, successes, trials, credit] (one stream to read per row), where
   * credit = idf × the agent's share of the feature's successes: what the feature adds to its learned score.
   */
  cells: Float64Array;
  /** Specificity of the feature among the agents that succeeded with it (0: no success yet). */
  idf: number;
  seen: number;
}

const WORD_PREFIX = 'w:';

/**
 * Agents kept per feature row on the hot path: the 8 with the most evidence. A feature seen with
 * many agents is close to a stop word (its idf is low, and it is computed over all of them before
 * the cut); the cap bounds a route's work at MAX_FEATURES × 8 cells however busy the state. 8 vs
 * 32: the same dev-set curves to 0.3 points, forRequest 4.7 → 2.7 µs on bench/learn.ts's state.
 */
export const MAX_ROW_AGENTS = 8;

/**
 * Pseudo-successes added to a feature's total before taking an agent's share: one success
 * (weighted 1/√m, ~0.3) is then a share of ~0.25, not 1, so a word seen once does not decide.
 * 1 measured best of 0, 0.5, 1, 2 on the dev sets' held-out curves (docs/learning.md).
 */
export const CREDIT_SMOOTHING = 1;

export class CompiledState {
  private revision = -1;
  /** Bumped by every compile: bound models refresh their agent mapping when it moves. */
  compiledAt = 0;
  readonly number = new Map<string, number>();
  private rows = new Map<string, Row>();
  /** `ext:`/`dir:` rows by the FNV-1a hash of their key, so a path is looked up without building a string. */
  private pathRows = new Map<number, Row>();
  private readonly wordRows: Array<Row | undefined> = new Array<Row | undefined>(FEATURE_BUCKETS);
  /** Buckets set in `wordRows`, cleared one by one at the next compile (not 16,384 slots). */
  private wordBuckets: number[] = [];
  private readonly wordStamp = new Uint32Array(FEATURE_BUCKETS);
  /**
   * Per agent, interleaved: [Σ successes, Σ trials, Σ credit] over the request's features
   * (credit: the learned stage's score before normalizing). Valid where `stamp` is `generation`.
   */
  sums = new Float64Array(0);
  stamp = new Uint32Array(0);
  /** Agents with evidence in the last `collect`, in first-touch order (`touchedCount` of them). */
  touched = new Int32Array(0);
  touchedCount = 0;
  /** Features of the last request, known to the state or not: the learned score's denominator. */
  featureCount = 0;
  generation = 0;

  private readonly words = new WordCursor();

  constructor(private readonly state: LearnedState) {}

  /** Sums the evidence of the request's features per agent into the scratch buffers. */
  collect(task: string, paths: readonly string[], fired: readonly string[]): void {
    if (this.revision !== this.state.revision) this.compile();
    this.generation = (this.generation + 1) >>> 0 || (this.stamp.fill(0), this.wordStamp.fill(0), this.resetSeen(), 1);
    const generation = this.generation;
    this.touchedCount = 0;
    let count = 0;
    for (const key of fired) {
      if (count >= MAX_FEATURES) break;
      count++;
      this.add(this.rows.get(key));
    }
    if (count < MAX_FEATURES) {
      const words = this.words.reset(task);
      for (let hash = words.next(); hash >= 0 && count < MAX_FEATURES; hash = words.next()) {
        const bucket = hash % FEATURE_BUCKETS;
        if (this.wordStamp[bucket] === generation) continue;
        this.wordStamp[bucket] = generation;
        count++;
        this.add(this.wordRows[bucket]);
      }
    }
    this.pathCount = 0;
    for (const path of paths) {
      const dot = path.lastIndexOf('.');
      if (dot > path.lastIndexOf('/') && count < MAX_FEATURES && this.addOnce(hashRange(EXT_SEED, path, dot + 1, path.length))) count++;
      const slash = path.indexOf('/');
      if (slash > 0 && count < MAX_FEATURES && this.addOnce(hashRange(DIR_SEED, path, 0, slash))) count++;
    }
    this.featureCount = count;
  }

  /** [successes, trials] of an agent from the last `collect` (scratch: valid until the next call). */
  evidence(id: string): [number, number] | undefined {
    const agent = this.number.get(id);
    return agent === undefined || this.stamp[agent] !== this.generation ? undefined : [this.sums[agent * 3]!, this.sums[agent * 3 + 1]!];
  }

  /** [successes, trials] of an agent summed over `features` (for explanations: any time, from the current state). */
  evidenceOver(features: readonly string[], id: string): [number, number] | undefined {
    if (this.revision !== this.state.revision) this.compile();
    const agent = this.number.get(id);
    if (agent === undefined) return undefined;
    let successes = 0;
    let trials = 0;
    let found = false;
    for (const feature of features) {
      const cells = this.rows.get(feature)?.cells;
      for (let j = 0; cells && j < cells.length; j += 4) {
        if (cells[j] !== agent) continue;
        successes += cells[j + 1]!;
        trials += cells[j + 2]!;
        found = true;
      }
    }
    return found ? [successes, trials] : undefined;
  }

  /**
   * The feature of `features` that gives `id` the most learned credit, with its evidence
   * (for explanations: runs for shown candidates only, so it may allocate).
   */
  strongestFeature(features: readonly string[], id: string): { feature: string; credit: number; successes: number; trials: number } | undefined {
    const agent = this.number.get(id);
    if (agent === undefined) return undefined;
    let best: { feature: string; credit: number; successes: number; trials: number } | undefined;
    for (const feature of features) {
      const cells = this.rows.get(feature)?.cells;
      for (let j = 0; cells && j < cells.length; j += 4) {
        if (cells[j] !== agent || (best && best.credit >= cells[j + 3]!)) continue;
        best = { feature, credit: cells[j + 3]!, successes: cells[j + 1]!, trials: cells[j + 2]! };
      }
    }
    return best;
  }

  /** Hashes of the path features of this request (no string per path). */
  private readonly pathSeen = new Float64Array(MAX_FEATURES);
  private pathCount = 0;

  /** Path features repeat across paths ("dir:src" ten times): counted and summed once. */
  private addOnce(hash: number): boolean {
    for (let i = 0; i < this.pathCount; i++) if (this.pathSeen[i] === hash) return false;
    this.pathSeen[this.pathCount++] = hash;
    this.add(this.pathRows.get(hash));
    return true;
  }

  private add(row: Row | undefined): void {
    if (!row || row.seen === this.generation) return;
    row.seen = this.generation;
    const { stamp, sums, touched, generation } = this;
    const cells = row.cells;
    for (let j = 0; j < cells.length; j += 4) {
      const agent = cells[j]!;
      const at = agent * 3;
      if (stamp[agent] !== generation) {
        stamp[agent] = generation;
        sums[at] = cells[j + 1]!;
        sums[at + 1] = cells[j + 2]!;
        sums[at + 2] = cells[j + 3]!;
        touched[this.touchedCount++] = agent;
        continue;
      }
      sums[at]! += cells[j + 1]!;
      sums[at + 1]! += cells[j + 2]!;
      sums[at + 2]! += cells[j + 3]!;
    }
  }

  private resetSeen(): void {
    for (const row of this.rows.values()) row.seen = 0;
  }

  private compile(): void {
    this.revision = this.state.revision;
    this.compiledAt++;
    this.rows = new Map();
    this.pathRows = new Map();
    for (const bucket of this.wordBuckets) this.wordRows[bucket] = undefined;
    this.wordBuckets = [];
    const succeeded = new Set<string>();
    for (const row of this.state.weights.values()) for (const [id, cell] of row) if (cell[0] > 0) succeeded.add(id);
    for (const [feature, all] of this.state.weights) {
      const cells = all.size <= MAX_ROW_AGENTS ? [...all] : strongest(all);
      const row: Row = { cells: new Float64Array(cells.length * 4), idf: 0, seen: 0 };
      let j = 0;
      // idf and shares over every agent of the feature, not only the cells kept.
      let total = 0;
      let owners = 0;
      for (const cell of all.values()) {
        total += cell[0];
        if (cell[0] > 0) owners++;
      }
      for (const [id, cell] of cells) {
        let agent = this.number.get(id);
        if (agent === undefined) this.number.set(id, (agent = this.number.size));
        row.cells[j] = agent;
        row.cells[j + 1] = cell[0];
        row.cells[j + 2] = cell[1];
        j += 4;
      }
      if (total > 0) {
        row.idf = featureIdf(owners, succeeded.size);
        // Net evidence: an agent's failures with the feature cancel its successes (see `credit`).
        for (let c = 0; c < row.cells.length; c += 4) row.cells[c + 3] = (row.idf * (2 * row.cells[c + 1]! - row.cells[c + 2]!)) / (total + CREDIT_SMOOTHING);
      }
      this.rows.set(feature, row);
      if (feature.startsWith('ext:') || feature.startsWith('dir:')) this.pathRows.set(hashOf(feature), row);
      if (feature.startsWith(WORD_PREFIX)) {
        const bucket = Number(feature.slice(WORD_PREFIX.length));
        this.wordRows[bucket] = row;
        this.wordBuckets.push(bucket);
      }
    }
    if (this.stamp.length < this.number.size) {
      const size = Math.max(16, this.number.size * 2);
      this.sums = new Float64Array(size * 3);
      this.stamp = new Uint32Array(size);
      this.touched = new Int32Array(size);
    }
  }
}

const EXT_SEED = hashOf('ext:');
const DIR_SEED = hashOf('dir:');

/** Continues `hashOf` from `seed` over text[start, end): equals hashOf(prefix + slice) for the prefix `seed` hashed. */
function hashRange(seed: number, text: string, start: number, end: number): number {
  let hash = seed;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ foldUnit(text.charCodeAt(i)), 0x01000193) >>> 0;
  return hash;
}

/**
 * How much a feature says about which agent to pick: 1 when one agent succeeded with it, falling
 * with the log of the number of agents that did (the router's trigger specificity, score.ts), so
 * "code" seen with thirty agents adds little and "segfault" seen with one adds a whole unit.
 */
export function featureIdf(owners: number, agents: number): number {
  if (owners <= 0) return 0;
  if (agents <= 1) return 1;
  return Math.log(1 + agents / owners) / Math.log(1 + agents);
}

/** The MAX_ROW_AGENTS cells with the most trials (ties: agent id), in a stable order. */
function strongest(cells: Map<string, [number, number]>): Array<[string, [number, number]]> {
  return [...cells].sort(([a, x], [b, y]) => y[1] - x[1] || (a < b ? -1 : 1)).slice(0, MAX_ROW_AGENTS);
}
