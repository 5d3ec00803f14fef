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

interface Row { agents: Int32Array; successes: Float64Array; trials: Float64Array; seen: number }

const WORD_PREFIX = 'w:';

/**
 * Agents kept per feature row on the hot path: the 32 with the most evidence. A feature seen with
 * hundreds of agents is close to a stop word and its per-agent evidence is thin; the cap bounds a
 * route's work at MAX_FEATURES × 32 additions however busy the state (bench/learn.ts).
 */
export const MAX_ROW_AGENTS = 32;

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
  stamp = new Uint32Array(0);
  generation = 0;

  constructor(private readonly state: LearnedState) {}

  /** Sums the evidence of the request's features per agent into the scratch buffers. */
  collect(task: string, paths: readonly string[], fired: readonly string[]): void {
    if (this.revision !== this.state.revision) this.compile();
    this.generation = (this.generation + 1) >>> 0 || (this.stamp.fill(0), this.wordStamp.fill(0), this.resetSeen(), 1);
    const generation = this.generation;
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
  }

  /** [successes, trials] of an agent from the last `collect`. */
  evidence(id: string): [number, number] | undefined {
    const agent = this.number.get(id);
    return agent === undefined || this.stamp[agent] !== this.generation ? undefined : [this.successes[agent]!, this.trials[agent]!];
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
    const { stamp, successes, trials, generation } = this;
    for (let j = 0; j < row.agents.length; j++) {
      const agent = row.agents[j]!;
      if (stamp[agent] !== generation) {
        stamp[agent] = generation;
        successes[agent] = 0;
        trials[agent] = 0;
      }
      successes[agent]! += row.successes[j]!;
      trials[agent]! += row.trials[j]!;
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
    for (const [feature, all] of this.state.weights) {
      const cells = all.size <= MAX_ROW_AGENTS ? [...all] : strongest(all);
      const row: Row = { agents: new Int32Array(cells.length), successes: new Float64Array(cells.length), trials: new Float64Array(cells.length), seen: 0 };
      let j = 0;
      for (const [id, cell] of cells) {
        let agent = this.number.get(id);
        if (agent === undefined) this.number.set(id, (agent = this.number.size));
        row.agents[j] = agent;
        row.successes[j] = cell[0];
        row.trials[j++] = cell[1];
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
      this.stamp = new Uint32Array(size);
    }
  }
}

/** The MAX_ROW_AGENTS cells with the most trials (ties: agent id), in a stable order. */
function strongest(cells: Map<string, [number, number]>): Array<[string, [number, number]]> {
  return [...cells].sort(([a, x], [b, y]) => y[1] - x[1] || (a < b ? -1 : 1)).slice(0, MAX_ROW_AGENTS);
}
