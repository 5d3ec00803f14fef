/**
 * The learned state as the hot path reads it: every feature row's cells (successes, trials,
 * credit as float32, agent by dense number as an int32: 16 bytes, four cells to a cache line) in
 * one arena, each row's cells contiguous, word features found by bucket through an Int32Array
 * that holds the row's cell span itself, brought up to date when the state's revision moves (the
 * rows an outcome changed are rewritten; anything else recompiles). A hot path and a compiler in
 * one file, longer than most: the layout and the code that writes it must change together.
 *
 * Naive approach: build the request's feature strings (featuresOf), then for each feature walk a
 * Map of Maps and sum into a Map of [s, n] pairs — on a 1,000-agent fleet with a busy state that
 * is several times the route itself. What we do: scan the task once (features.ts: WordCursor),
 * look word buckets up by index (no string per word), queue each feature's cell range, then sum
 * the ranges branch-free into one scratch array (zeroed for the previous request's agents, so no
 * stamp is needed). Nothing is allocated per word, row or agent, and a route touches few cache lines: one arena
 * instead of a typed array (header + store) per row, words deduplicated in a MAX_FEATURES-slot list
 * instead of a 64 KiB stamp array, no per-row stamp (the request's features are distinct rows).
 * Invariants: `collect` uses exactly the feature set `featuresOf` would give for the same request
 * (same order of preference, same MAX_FEATURES cap), each row cut to its MAX_ROW_AGENTS strongest
 * agents; every row is summed in feature order, cells in row order, in float64 over the cells'
 * float32 values (the state's doubles rounded once at compile: sums within ~1e-7 relative of the
 * state's, and the same for the same state on every run); scratch values are valid until the
 * next call.
 */
import { FEATURE_BUCKETS, MAX_FEATURES, WordCursor, hashOf } from './features.js';
import { foldUnit } from '../util/fold.js';
import { changedSince, type LearnedState } from './state.js';

const WORD_PREFIX = 'w:';

/**
 * Agents kept per feature row on the hot path: the 8 with the most evidence. A feature seen with
 * many agents is close to a stop word (its idf is low, and it is computed over all of them before
 * the cut); the cap bounds a route's work at MAX_FEATURES × 8 cells however busy the state, and
 * learns as well as a larger cap on the dev sets (docs/learning.md).
 */
export const MAX_ROW_AGENTS = 8;

/**
 * Pseudo-successes added to a feature's total before taking an agent's share: one success
 * (weighted 1/√m, ~0.3) is then a share of ~0.25, not 1, so a word seen once does not decide.
 * 1 is the best of the values tried on the dev sets' held-out curves (docs/learning.md).
 */
export const CREDIT_SMOOTHING = 1;

/**
 * Float32 slots per cell in the arena: [successes, trials, credit, agent]; the agent is an int32
 * in the last slot, read through an Int32Array view of the same buffer (index j + AGENT_SLOT for
 * the cell at index j), so the index into `sums` needs no float-to-int conversion. Float32, not
 * float64: a route reads up to MAX_FEATURES × 8 cells scattered over as many rows, and the arena
 * is cold (the router's own tables evict it), so half the bytes is about half the cache misses;
 * see docs/learning.md.
 */
const CELL = 4;
const AGENT_SLOT = 3;

/**
 * A row's cells as one int32: (first cell << SPAN_BITS) | cell count, 0 for no row. One read
 * gives the range (no row number, no rowStart lookup); MAX_ROW_AGENTS must fit in SPAN_BITS.
 */
const SPAN_BITS = 4;
const SPAN_MASK = (1 << SPAN_BITS) - 1;
if (MAX_ROW_AGENTS > SPAN_MASK) throw new Error('MAX_ROW_AGENTS must fit in SPAN_BITS');

/**
 * Float64 slots per agent in `sums`: [Σ successes, Σ trials, Σ credit, prior] (32 bytes: two
 * agents a cache line, never one across two). The prior is set once and never zeroed.
 */
export const SUM = 4;

/**
 * Least trials a compiled cell holds: a cell has trials > 0 (every outcome adds 1/√m), but one
 * decayed past float32's range would round to 0, and a 0 Σ trials is how `sumRanges` tells an
 * agent's first cell of the request. 1e-30 moves no sum that is printed or compared.
 */
const TRIALS_FLOOR = 1e-30;

export class CompiledState {
  private revision = -1;
  /** Bumped by every compile or patch: bound models refresh their agent mapping and span caches when it moves. */
  compiledAt = 0;
  /** Full compiles so far (the rest of `compiledAt`'s moves were patches): for tests and benches. */
  fullCompiles = 0;
  readonly number = new Map<string, number>();
  /** Feature key → row number. */
  private rows = new Map<string, number>();
  /** `ext:`/`dir:` row numbers by the FNV-1a hash of their key, so a path is looked up without building a string. */
  private pathRows = new Map<number, number>();
  /** Word bucket → its row's span (see SPAN_BITS; 0: no row). */
  private readonly wordSpan = new Int32Array(FEATURE_BUCKETS);
  /** Buckets set in `wordSpan`, cleared one by one at the next compile (not 16,384 slots). */
  private wordBuckets: number[] = [];
  /**
   * Every row's cells, each row contiguous: [successes, trials, credit, agent] per cell. Append
   * only: a row an outcome changed is written again at the end (`patch`), its old cells left dead
   * until the next full compile.
   */
  private cells = new Float32Array(0);
  /** The same buffer as int32: the agent of the cell at index j is cellAgents[j + AGENT_SLOT]. */
  private cellAgents = new Int32Array(0);
  /** Cells written (live and dead), and the dead ones among them. */
  private cellsUsed = 0;
  private cellsDead = 0;
  /** Row r's span (see SPAN_BITS); `rowCount` rows. */
  private rowSpan = new Int32Array(0);
  private rowCount = 0;
  /** Agents with a success in any row: the learned stage's idf counts them (`featureIdf`). */
  private succeeded = new Set<string>();
  /** Word buckets of the request so far (at most MAX_FEATURES). */
  private readonly requestBuckets = new Int32Array(MAX_FEATURES);
  /** The request's rows with evidence, as spans in feature order: found first, summed after. */
  private readonly spans = new Int32Array(MAX_FEATURES);
  private spanCount = 0;
  /** Trigger number → its row's span (see SPAN_BITS; −1: not looked up since `spansAt`). */
  private triggerSpans = new Int32Array(0);
  private spansAt = -1;
  /**
   * Per agent, interleaved: [Σ successes, Σ trials, Σ credit, prior] over the last request's
   * features (credit: the learned stage's score before normalizing); the first three all 0 for an
   * agent without evidence in it: the next `collect` zeroes the agents the previous one touched,
   * so the per-cell loop needs no stamp (Σ trials is 0 exactly until an agent's first cell).
   */
  sums = new Float64Array(0);
  /** Agents with evidence in the last `collect`, in first-touch order (`touchedCount` of them). */
  touched = new Int32Array(0);
  touchedCount = 0;
  /** Features of the last request, known to the state or not: the learned score's denominator. */
  featureCount = 0;
  /** Bumped by every `collect`: a reader holding an older one knows `sums` moved on. */
  generation = 0;

  private readonly words = new WordCursor();
  /** Agents numbered by the caller (0 … fleetSize − 1, in its order); agents learned about but not in its list come after. */
  readonly fleetSize: number;

  /**
   * `agents` (a router's agents, in its agent-number order) are numbered first, so a cell's agent
   * is the router's number and the hot path maps nothing; `priors` (aligned) go to each agent's
   * fourth `sums` slot, read in the same cache line as its sums.
   */
  constructor(
    private readonly state: LearnedState,
    agents: readonly string[] = [],
    private readonly priors: ArrayLike<number> = [],
  ) {
    for (const id of agents) if (!this.number.has(id)) this.number.set(id, this.number.size);
    this.fleetSize = this.number.size;
  }

  /**
   * Brings the hot-path form up to the state's revision; `compiledAt` says when it last moved.
   * After outcomes applied in this process (a runner's, a learning curve's) only their rows are
   * rewritten; anything else (a discount, a fresh state, a new agent's first success, which moves
   * every row's idf) recompiles in full.
   */
  refresh(): void {
    if (this.revision !== this.state.revision) this.update();
  }

  private update(): void {
    const changed = changedSince(this.state, this.revision);
    if (changed === undefined || !this.patch(changed)) this.compile();
  }

  /** The span of a feature key's row (see SPAN_BITS; 0: nothing learned), valid until the next compile. */
  private spanOf(key: string): number {
    const row = this.rows.get(key);
    return row === undefined ? 0 : this.rowSpan[row]!;
  }

  /**
   * Sums the evidence of the request's features per agent into the scratch buffers, the fired
   * triggers given by key (each key once: featuresOf keeps a repeated one once).
   */
  collect(task: string, paths: readonly string[], fired: readonly string[]): void {
    this.begin();
    let count = 0;
    for (let i = 0; i < fired.length && count < MAX_FEATURES; i++) {
      if (fired.indexOf(fired[i]!) < i) continue;
      count++;
      const row = this.rows.get(fired[i]!);
      if (row !== undefined) this.addRange(row);
    }
    this.finish(task, paths, count);
  }

  /**
   * `collect` for the router: the fired triggers by trigger number (unique; the first
   * MAX_FEATURES are read), `keyOf(n)` naming trigger n. Each trigger's row span is looked up by
   * key once per compile and cached by number, so a route hashes no key (a Map lookup by string
   * was half of `collect`). Two passes: find every feature's cell range, then sum the cells. Each
   * lookup of the first pass depends on nothing the others read, so their cache misses overlap
   * instead of queueing behind the sums of the row before (the arena is cold: the router's own
   * tables evict it).
   */
  collectTriggers(task: string, paths: readonly string[], ids: readonly number[], keyOf: (trigger: number) => string): void {
    this.begin();
    if (this.spansAt !== this.compiledAt) {
      // Spans move with every compile or patch.
      this.spansAt = this.compiledAt;
      this.triggerSpans.fill(-1);
    }
    const count = Math.min(ids.length, MAX_FEATURES);
    const spans = this.spans;
    for (let i = 0; i < count; i++) {
      const trigger = ids[i]!;
      if (trigger >= this.triggerSpans.length) this.growTriggers(trigger);
      const cache = this.triggerSpans;
      if (cache[trigger]! < 0) cache[trigger] = this.spanOf(keyOf(trigger));
      const span = cache[trigger]!;
      if (span !== 0) spans[this.spanCount++] = span;
    }
    this.finish(task, paths, count);
  }

  private growTriggers(trigger: number): void {
    const spans = new Int32Array(Math.max(64, (trigger + 1) * 2)).fill(-1);
    spans.set(this.triggerSpans);
    this.triggerSpans = spans;
  }

  private begin(): void {
    if (this.revision !== this.state.revision) this.update();
    this.generation = (this.generation + 1) | 0;
    this.clear();
    this.spanCount = 0;
  }

  /** The word and path features after `count` fired ones, then the sums. */
  private finish(task: string, paths: readonly string[], count: number): void {
    if (count < MAX_FEATURES) count = this.collectWords(task, count);
    this.pathCount = 0;
    for (let i = 0; i < paths.length && count < MAX_FEATURES; i++) {
      const path = paths[i]!;
      const dot = path.lastIndexOf('.');
      if (dot > path.lastIndexOf('/') && count < MAX_FEATURES && this.addOnce(hashRange(EXT_SEED, path, dot + 1, path.length))) count++;
      const slash = path.indexOf('/');
      if (slash > 0 && count < MAX_FEATURES && this.addOnce(hashRange(DIR_SEED, path, 0, slash))) count++;
    }
    this.featureCount = count;
    this.sumRanges();
  }

  /** The word features, after `count` others: each bucket once, in task order, until MAX_FEATURES. */
  private collectWords(task: string, count: number): number {
    const words = this.words.reset(task);
    const buckets = this.requestBuckets;
    let bucketCount = 0;
    for (let bucket = words.next(); bucket >= 0 && count < MAX_FEATURES; bucket = words.next()) {
      let seen = false;
      for (let j = 0; j < bucketCount; j++) if (buckets[j] === bucket) seen = true;
      if (seen) continue;
      buckets[bucketCount++] = bucket;
      count++;
      const span = this.wordSpan[bucket]!;
      if (span !== 0) this.spans[this.spanCount++] = span;
    }
    return count;
  }

  /** Zeroes the sums of the last `collect` (every `collect` starts with this). */
  private clear(): void {
    const { sums, touched } = this;
    for (let i = 0; i < this.touchedCount; i++) {
      const at = touched[i]! * SUM;
      sums[at] = 0;
      sums[at + 1] = 0;
      sums[at + 2] = 0;
    }
    this.touchedCount = 0;
  }

  /** [successes, trials] of an agent from the last `collect` (scratch: valid until the next call). */
  evidence(id: string): [number, number] | undefined {
    const agent = this.number.get(id);
    return agent === undefined || !(this.sums[agent * SUM + 1]! > 0) ? undefined : [this.sums[agent * SUM]!, this.sums[agent * SUM + 1]!];
  }

  /** [successes, trials] of an agent summed over `features` (for explanations: any time, from the current state). */
  evidenceOver(features: readonly string[], id: string): [number, number] | undefined {
    if (this.revision !== this.state.revision) this.update();
    const agent = this.number.get(id);
    if (agent === undefined) return undefined;
    let successes = 0;
    let trials = 0;
    let found = false;
    for (const feature of features) {
      const row = this.rows.get(feature);
      if (row === undefined) continue;
      const [start, end] = this.cellRange(row);
      for (let j = start; j < end; j += CELL) {
        if (this.cellAgents[j + AGENT_SLOT] !== agent) continue;
        successes += this.cells[j]!;
        trials += this.cells[j + 1]!;
        found = true;
      }
    }
    return found ? [successes, trials] : undefined;
  }

  /**
   * The feature of `features` that gives `id` the most learned credit, with its evidence
   * (for explanations: runs for shown candidates only, so it may allocate).
   */
  strongestFeature(
    features: readonly string[],
    id: string,
  ): { feature: string; credit: number; successes: number; trials: number } | undefined {
    if (this.revision !== this.state.revision) this.update();
    const agent = this.number.get(id);
    if (agent === undefined) return undefined;
    const cells = this.cells;
    let best: { feature: string; credit: number; successes: number; trials: number } | undefined;
    for (const feature of features) {
      const row = this.rows.get(feature);
      if (row === undefined) continue;
      const [start, end] = this.cellRange(row);
      for (let j = start; j < end; j += CELL) {
        if (this.cellAgents[j + AGENT_SLOT] !== agent || (best && best.credit >= cells[j + 2]!)) continue;
        best = { feature, credit: cells[j + 2]!, successes: cells[j]!, trials: cells[j + 1]! };
      }
    }
    return best;
  }

  /** Hashes of the path features of this request (no string per path). */
  private readonly pathSeen = new Float64Array(MAX_FEATURES);
  private pathCount = 0;

  /** Path features repeat across paths ("dir:src" ten times): counted and summed once. */
  /** Index range [start, end) of a row's cells in `cells` (explanations; the hot path decodes spans inline). */
  private cellRange(row: number): [start: number, end: number] {
    const span = this.rowSpan[row]!;
    const start = (span >>> SPAN_BITS) * CELL;
    return [start, start + (span & SPAN_MASK) * CELL];
  }

  private addOnce(hash: number): boolean {
    for (let i = 0; i < this.pathCount; i++) if (this.pathSeen[i] === hash) return false;
    this.pathSeen[this.pathCount++] = hash;
    const row = this.pathRows.get(hash);
    if (row !== undefined) this.addRange(row);
    return true;
  }

  /** Queues a row's cells. Rows are distinct: the request's features are (fired keys unique, words and paths deduplicated). */
  private addRange(row: number): void {
    const span = this.rowSpan[row]!;
    if (span !== 0) this.spans[this.spanCount++] = span;
  }

  /**
   * Sums the queued rows per agent, in feature order (the same additions, in the same order, as
   * featuresOf's rows). Branch-free per cell: `sums` is 0 for every agent on entry (collect), so
   * a first cell adds to 0 (0 + v is v exactly) and Σ trials still 0 says it is the first, which
   * advances the touched list. No first-touch branch (mispredicted on every new agent) and no
   * per-agent stamp (a load, a store and three multiplies per cell).
   */
  private sumRanges(): void {
    const { sums, touched, cells, cellAgents, spans } = this;
    let touchedCount = 0;
    for (let r = 0; r < this.spanCount; r++) {
      const span = spans[r]!;
      const start = (span >> SPAN_BITS) * CELL;
      const end = start + (span & SPAN_MASK) * CELL;
      for (let j = start; j < end; j += CELL) {
        const agent = cellAgents[j + AGENT_SLOT]!;
        const at = agent * SUM;
        const trials = sums[at + 1]!;
        touched[touchedCount] = agent;
        touchedCount += trials === 0 ? 1 : 0;
        sums[at] = sums[at]! + cells[j]!;
        sums[at + 1] = trials + cells[j + 1]!;
        sums[at + 2] = sums[at + 2]! + cells[j + 2]!;
      }
    }
    this.touchedCount = touchedCount;
  }

  private compile(): void {
    this.revision = this.state.revision;
    this.compiledAt++;
    this.fullCompiles++;
    this.rows = new Map();
    this.pathRows = new Map();
    for (const bucket of this.wordBuckets) this.wordSpan[bucket] = 0;
    this.wordBuckets = [];
    this.succeeded = new Set();
    let cellCount = 0;
    for (const row of this.state.weights.values()) {
      cellCount += Math.min(row.size, MAX_ROW_AGENTS);
      for (const [id, cell] of row) if (cell[0] > 0) this.succeeded.add(id);
    }
    // Room to patch rows in place of rebuilding: a quarter more cells and rows than now.
    this.cells = new Float32Array((cellCount + (cellCount >> 2) + 64) * CELL);
    this.cellAgents = new Int32Array(this.cells.buffer);
    this.cellsUsed = 0;
    this.cellsDead = 0;
    this.rowSpan = new Int32Array(this.state.weights.size + (this.state.weights.size >> 2) + 16);
    this.rowCount = 0;
    for (const [feature, all] of this.state.weights) this.writeRow(feature, all);
    this.sizeScratch();
  }

  /**
   * Rewrites the rows of `changed` at the end of the arena. False (nothing touched) when a full
   * compile is due instead: an agent's first success changes every row's idf, and past half dead
   * cells the arena is rebuilt compact. Gives the same rows, cells and agent numbers as `compile`
   * would (numbers are never reassigned), so routing is the same either way (tested).
   */
  private patch(changed: ReadonlySet<string>): boolean {
    let added = 0;
    for (const feature of changed) {
      const all = this.state.weights.get(feature);
      if (!all) return false;
      for (const [id, cell] of all) if (cell[0] > 0 && !this.succeeded.has(id)) return false;
      added += Math.min(all.size, MAX_ROW_AGENTS);
    }
    if (this.cellsDead + added > (this.cellsUsed + added) / 2) return false;
    this.revision = this.state.revision;
    this.compiledAt++;
    for (const feature of changed) {
      const row = this.rows.get(feature);
      if (row !== undefined) this.cellsDead += this.rowSpan[row]! & SPAN_MASK;
      this.writeRow(feature, this.state.weights.get(feature)!, row);
    }
    this.sizeScratch();
    return true;
  }

  /** Writes a feature's cells at the end of the arena, as row `row` (a new row when undefined). */
  private writeRow(feature: string, all: Map<string, [number, number]>, row = this.rowCount): void {
    const kept = all.size <= MAX_ROW_AGENTS ? [...all] : strongest(all);
    this.reserve(kept.length, row);
    // idf and shares over every agent of the feature, not only the cells kept.
    let total = 0;
    let owners = 0;
    for (const cell of all.values()) {
      total += cell[0];
      if (cell[0] > 0) owners++;
    }
    const idf = total > 0 ? featureIdf(owners, this.succeeded.size) : 0;
    const first = this.cellsUsed;
    let j = first * CELL;
    for (const [id, cell] of kept) {
      let agent = this.number.get(id);
      if (agent === undefined) this.number.set(id, (agent = this.number.size));
      this.cells[j] = cell[0];
      this.cells[j + 1] = Math.max(cell[1], TRIALS_FLOOR);
      // Net evidence: an agent's failures with the feature cancel its successes.
      this.cells[j + 2] = total > 0 ? (idf * (2 * cell[0] - cell[1])) / (total + CREDIT_SMOOTHING) : 0;
      this.cellAgents[j + AGENT_SLOT] = agent;
      j += CELL;
    }
    this.cellsUsed += kept.length;
    const span = kept.length > 0 ? (first << SPAN_BITS) | kept.length : 0;
    this.rowSpan[row] = span;
    if (row === this.rowCount) {
      this.rowCount++;
      this.rows.set(feature, row);
      if (feature.startsWith('ext:') || feature.startsWith('dir:')) this.pathRows.set(hashOf(feature), row);
    }
    if (feature.startsWith(WORD_PREFIX)) {
      const bucket = Number(feature.slice(WORD_PREFIX.length));
      if (this.wordSpan[bucket] === 0) this.wordBuckets.push(bucket);
      this.wordSpan[bucket] = span;
    }
  }

  /** Grows the arena and the row table (doubling) so `cells` more cells and row `row` fit. */
  private reserve(cells: number, row: number): void {
    if ((this.cellsUsed + cells) * CELL > this.cells.length) {
      const grown = new Float32Array(Math.max(this.cells.length * 2, (this.cellsUsed + cells) * CELL));
      grown.set(this.cells.subarray(0, this.cellsUsed * CELL));
      this.cells = grown;
      this.cellAgents = new Int32Array(grown.buffer);
    }
    if (row >= this.rowSpan.length) {
      const grown = new Int32Array(Math.max(16, this.rowSpan.length * 2));
      grown.set(this.rowSpan);
      this.rowSpan = grown;
    }
  }

  private sizeScratch(): void {
    if (this.touched.length < this.number.size) {
      const size = Math.max(16, this.number.size * 2);
      this.sums = new Float64Array(size * SUM);
      this.touched = new Int32Array(size);
      this.touchedCount = 0;
      for (let agent = 0; agent < this.priors.length; agent++) this.sums[agent * SUM + 3] = this.priors[agent]!;
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

/**
 * The MAX_ROW_AGENTS cells with the most trials (ties: agent id), in that order: the first
 * MAX_ROW_AGENTS of sorting the row, by insertion into a short list (a busy row has hundreds of
 * agents, and sorting them all was most of a patch).
 */
function strongest(cells: Map<string, [number, number]>): Array<[string, [number, number]]> {
  const best: Array<[string, [number, number]]> = [];
  const before = (a: string, x: [number, number], b: string, y: [number, number]) => x[1] > y[1] || (x[1] === y[1] && a < b);
  for (const [id, cell] of cells) {
    if (best.length === MAX_ROW_AGENTS && !before(id, cell, best[MAX_ROW_AGENTS - 1]![0], best[MAX_ROW_AGENTS - 1]![1])) continue;
    let at = best.length < MAX_ROW_AGENTS ? best.length : MAX_ROW_AGENTS - 1;
    if (best.length < MAX_ROW_AGENTS) best.push([id, cell]);
    while (at > 0 && before(id, cell, best[at - 1]![0], best[at - 1]![1])) {
      best[at] = best[at - 1]!;
      at--;
    }
    best[at] = [id, cell];
  }
  return best;
}
