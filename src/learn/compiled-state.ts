/**
 * The learned state as the hot path reads it: per feature a row of typed arrays (agents by dense
 * number, successes, trials), word features in an array indexed by bucket, rebuilt when the
 * state's revision moves.
 *
 * Naive approach: build the request's feature strings (featuresOf), then for each feature walk a
 * Map of Maps and sum into a Map of [s, n] pairs — on a 1,000-agent fleet with a busy state that
 * is several times the route itself. What we do: scan the task once (features.ts: scanWords),
 * look word buckets up by index (no string per word), dedupe by stamping rows, and sum into
 * scratch Float64Arrays stamped per call. Nothing is allocated per word, row or agent.
 * Invariants: `collect` uses exactly the feature set `featuresOf` would give for the same request
 * (same order of preference, same MAX_FEATURES cap), each row cut to its MAX_ROW_AGENTS strongest
 * agents; scratch values are valid until the next call.
 */
import { FEATURE_BUCKETS, MAX_FEATURES, scanWords } from './features.js';
import type { LearnedState } from './state.js';

interface Row {
  agents: Int32Array;
  successes: Float64Array;
  trials: Float64Array;
  /** idf × the agent's share of the row's successes: what this feature adds to the agent's learned score. */
  credit: Float64Array;
  /** Specificity of the feature among the agents that succeeded with it (0: no success yet). */
  idf: number;
  seen: number;
}

const WORD_PREFIX = 'w:';

/**
 * Agents kept per feature row on the hot path: the 32 with the most evidence. A feature seen with
 * hundreds of agents is close to a stop word and its per-agent evidence is thin; the cap bounds a
 * route's work at MAX_FEATURES × 32 additions however busy the state (bench/learn.ts).
 */
export const MAX_ROW_AGENTS = 32;

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
  private readonly wordRows: Array<Row | undefined> = new Array<Row | undefined>(FEATURE_BUCKETS);
  /** Buckets set in `wordRows`, cleared one by one at the next compile (not 16,384 slots). */
  private wordBuckets: number[] = [];
  private readonly wordStamp = new Uint32Array(FEATURE_BUCKETS);
  successes = new Float64Array(0);
  trials = new Float64Array(0);
  /** Σ credit of the request's features per agent (the learned stage's score before normalizing). */
  credit = new Float64Array(0);
  stamp = new Uint32Array(0);
  /** Agents with evidence in the last `collect`, in first-touch order (`touchedCount` of them). */
  touched = new Int32Array(0);
  touchedCount = 0;
  /** Features of the last request, known to the state or not: the learned score's denominator. */
  featureCount = 0;
  generation = 0;

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
      scanWords(task, (hash) => {
        const bucket = hash % FEATURE_BUCKETS;
        if (this.wordStamp[bucket] !== generation) {
          this.wordStamp[bucket] = generation;
          count++;
          this.add(this.wordRows[bucket]);
        }
        return count < MAX_FEATURES;
      });
    }
    for (const path of paths) {
      const dot = path.lastIndexOf('.');
      if (dot > path.lastIndexOf('/') && count < MAX_FEATURES && this.addOnce(`ext:${path.slice(dot + 1).toLowerCase()}`)) count++;
      const slash = path.indexOf('/');
      if (slash > 0 && count < MAX_FEATURES && this.addOnce(`dir:${path.slice(0, slash).toLowerCase()}`)) count++;
    }
    this.featureCount = count;
  }

  /** [successes, trials] of an agent from the last `collect`. */
  evidence(id: string): [number, number] | undefined {
    const agent = this.number.get(id);
    return agent === undefined || this.stamp[agent] !== this.generation ? undefined : [this.successes[agent]!, this.trials[agent]!];
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
      const row = this.rows.get(feature);
      const j = row ? row.agents.indexOf(agent) : -1;
      if (j < 0 || (best && best.credit >= row!.credit[j]!)) continue;
      best = { feature, credit: row!.credit[j]!, successes: row!.successes[j]!, trials: row!.trials[j]! };
    }
    return best;
  }

  private pathSeen = new Set<string>();
  private pathGeneration = -1;

  /** Path features repeat across paths ("dir:src" ten times): counted and summed once. */
  private addOnce(key: string): boolean {
    if (this.pathGeneration !== this.generation) {
      this.pathGeneration = this.generation;
      this.pathSeen.clear();
    }
    if (this.pathSeen.has(key)) return false;
    this.pathSeen.add(key);
    this.add(this.rows.get(key));
    return true;
  }

  private add(row: Row | undefined): void {
    if (!row || row.seen === this.generation) return;
    row.seen = this.generation;
    const { stamp, successes, trials, credit, touched, generation } = this;
    for (let j = 0; j < row.agents.length; j++) {
      const agent = row.agents[j]!;
      if (stamp[agent] !== generation) {
        stamp[agent] = generation;
        successes[agent] = 0;
        trials[agent] = 0;
        credit[agent] = 0;
        touched[this.touchedCount++] = agent;
      }
      successes[agent]! += row.successes[j]!;
      trials[agent]! += row.trials[j]!;
      credit[agent]! += row.credit[j]!;
    }
  }

  private resetSeen(): void {
    for (const row of this.rows.values()) row.seen = 0;
  }

  private compile(): void {
    this.revision = this.state.revision;
    this.compiledAt++;
    this.rows = new Map();
    for (const bucket of this.wordBuckets) this.wordRows[bucket] = undefined;
    this.wordBuckets = [];
    const succeeded = new Set<string>();
    for (const row of this.state.weights.values()) for (const [id, cell] of row) if (cell[0] > 0) succeeded.add(id);
    for (const [feature, all] of this.state.weights) {
      const cells = all.size <= MAX_ROW_AGENTS ? [...all] : strongest(all);
      const row: Row = { agents: new Int32Array(cells.length), successes: new Float64Array(cells.length), trials: new Float64Array(cells.length), credit: new Float64Array(cells.length), idf: 0, seen: 0 };
      let j = 0;
      let total = 0;
      let owners = 0;
      for (const [id, cell] of cells) {
        let agent = this.number.get(id);
        if (agent === undefined) this.number.set(id, (agent = this.number.size));
        row.agents[j] = agent;
        row.successes[j] = cell[0];
        row.trials[j++] = cell[1];
        total += cell[0];
        if (cell[0] > 0) owners++;
      }
      if (total > 0) {
        row.idf = featureIdf(owners, succeeded.size);
        for (let c = 0; c < cells.length; c++) row.credit[c] = (row.idf * row.successes[c]!) / (total + CREDIT_SMOOTHING);
      }
      this.rows.set(feature, row);
      if (feature.startsWith(WORD_PREFIX)) {
        const bucket = Number(feature.slice(WORD_PREFIX.length));
        this.wordRows[bucket] = row;
        this.wordBuckets.push(bucket);
      }
    }
    if (this.stamp.length < this.number.size) {
      const size = Math.max(16, this.number.size * 2);
      this.successes = new Float64Array(size);
      this.trials = new Float64Array(size);
      this.credit = new Float64Array(size);
      this.stamp = new Uint32Array(size);
      this.touched = new Int32Array(size);
    }
  }
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
