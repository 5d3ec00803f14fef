/**
 * A case-folding Aho–Corasick automaton in typed arrays: every keyword of the fleet in one pass
 * over the task.
 *
 * Naive approach: `for (const k of keywords) if (task.includes(k))` — cost grows with the number
 * of keywords (thousands) times the task length, and it allocates a lower-cased copy per call.
 * What we do: a trie of the folded patterns over a compressed alphabet (only code units that occur
 * in some pattern get a class; everything else is class 0, "never matches"), turned into a full
 * DFA: `next[state * classes + class]` is the state after reading one unit, failure links folded
 * in at build time. Scanning is one table load per code unit, no branches on failure chains. Each
 * state knows the longest pattern ending there (`output`) and the next state on its suffix chain
 * that also ends a pattern (`outputLink`), so reporting costs only the matches.
 * Invariants: states are numbered in BFS order (root = 0); the text is folded unit by unit with
 * `foldUnit`, so a match [end - length, end) is an offset range of the original string; results
 * are written to a caller-owned Int32Array (no allocation per call) and capped by its size.
 *
 * The table costs states × classes × 4 bytes; MAX_AUTOMATON_CELLS refuses fleets past that. The
 * benchmark (bench/aho-corasick.ts) compares this with the npm libraries; see docs/routing.md.
 */
import { foldUnit } from './text.js';

/**
 * Upper bound on states × alphabet classes (4 bytes each): 48 M cells is 192 MB.
 * A 10,000-agent fleet built from the corpora needs under 2 M; past the cap build() throws.
 */
export const MAX_AUTOMATON_CELLS = 48_000_000;

export class AhoCorasick {
  /** Folded patterns, by pattern index. */
  readonly patterns: readonly string[];
  private readonly classOf: Uint16Array;
  private readonly classCount: number;
  private readonly next: Int32Array;
  private readonly output: Int32Array;
  private readonly outputLink: Int32Array;
  private readonly lengths: Int32Array;

  /** Builds the automaton; patterns are folded here, empty ones never match. */
  constructor(patterns: readonly string[]) {
    const folded = patterns.map((p) => foldPattern(p));
    this.patterns = folded;
    this.lengths = Int32Array.from(folded, (p) => p.length);
    // Alphabet: class 0 is "not in any pattern"; classes are assigned in first-seen order.
    this.classOf = new Uint16Array(65536);
    let classes = 1;
    for (const p of folded) {
      for (let i = 0; i < p.length; i++) {
        const unit = p.charCodeAt(i);
        if (this.classOf[unit] === 0) this.classOf[unit] = classes++;
      }
    }
    this.classCount = classes;
    // Trie in flat arrays: children as linked lists, edges found through one Map keyed by
    // state × classes + class (a Map per node costs ~10× more to build).
    const capacity = 1 + folded.reduce((sum, p) => sum + p.length, 0);
    const firstChild = new Int32Array(capacity).fill(-1);
    const sibling = new Int32Array(capacity).fill(-1);
    const label = new Int32Array(capacity);
    const patternAt = new Int32Array(capacity).fill(-1);
    const edges = new Map<number, number>();
    let stateCount = 1;
    folded.forEach((p, index) => {
      if (p.length === 0) return;
      let state = 0;
      for (let i = 0; i < p.length; i++) {
        const cls = this.classOf[p.charCodeAt(i)]!;
        const key = state * classes + cls;
        let child = edges.get(key);
        if (child === undefined) {
          child = stateCount++;
          edges.set(key, child);
          label[child] = cls;
          sibling[child] = firstChild[state]!;
          firstChild[state] = child;
        }
        state = child;
      }
      if (patternAt[state] === -1) patternAt[state] = index;
    });
    if (stateCount * classes > MAX_AUTOMATON_CELLS) {
      throw new RangeError(`keyword automaton too large: ${stateCount} states × ${classes} classes exceeds MAX_AUTOMATON_CELLS`);
    }
    // BFS renumbering so the DFA rows are laid out by depth (shallow rows stay in cache) and every
    // failure state is filled before the states that fail to it.
    const order = new Int32Array(stateCount);
    const newId = new Int32Array(stateCount);
    let tail = 1;
    for (let head = 0; head < tail; head++) {
      for (let child = firstChild[order[head]!]!; child !== -1; child = sibling[child]!) {
        newId[child] = tail;
        order[tail++] = child;
      }
    }
    this.next = new Int32Array(stateCount * classes);
    this.output = new Int32Array(stateCount).fill(-1);
    this.outputLink = new Int32Array(stateCount).fill(-1);
    const fail = new Int32Array(stateCount);
    for (let position = 0; position < stateCount; position++) {
      const old = order[position]!;
      const state = position;
      this.output[state] = patternAt[old]!;
      const row = state * classes;
      // Start from the failure state's row (complete: it is shallower), then add the children.
      if (state !== 0) this.next.copyWithin(row, fail[state]! * classes, fail[state]! * classes + classes);
      for (let child = firstChild[old]!; child !== -1; child = sibling[child]!) {
        const cls = label[child]!;
        const target = newId[child]!;
        const f = state === 0 ? 0 : this.next[row + cls]!;
        this.next[row + cls] = target;
        fail[target] = f;
        this.outputLink[target] = patternAt[order[f]!]! !== -1 ? f : this.outputLink[f]!;
      }
    }
  }

  /** Number of DFA states (for the benchmark and memory reports). */
  get stateCount(): number {
    return this.output.length;
  }

  /**
   * Scans `text` and writes matches as (pattern index, end offset) pairs into `out`; returns the
   * number of pairs written (at most out.length / 2). Overlapping matches are all reported.
   *
   * @example
   * const ac = new AhoCorasick(['he', 'she']); const out = new Int32Array(8);
   * ac.scan('She', 3, out) === 2 // (1, 3) then (0, 3)
   */
  scan(text: string, length: number, out: Int32Array): number {
    const { next, classOf, output, outputLink } = this;
    const classes = this.classCount;
    const capacity = out.length >> 1;
    let state = 0;
    let count = 0;
    for (let i = 0; i < length; i++) {
      const unit = text.charCodeAt(i);
      state = next[state * classes + classOf[unit < 128 ? (unit >= 65 && unit <= 90 ? unit + 32 : unit) : foldUnit(unit)]!]!;
      if (state === 0) continue;
      let hit = output[state]! !== -1 ? state : outputLink[state]!;
      while (hit > 0) {
        if (count === capacity) return count;
        out[count * 2] = output[hit]!;
        out[count * 2 + 1] = i + 1;
        count++;
        hit = outputLink[hit]!;
      }
    }
    return count;
  }

  /** Length of a pattern in code units (a match ends at `end`, starts at `end - length`). */
  patternLength(index: number): number {
    return this.lengths[index]!;
  }
}

function foldPattern(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) out += String.fromCharCode(foldUnit(pattern.charCodeAt(i)));
  return out;
}
