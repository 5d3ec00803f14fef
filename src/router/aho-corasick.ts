/**
 * A case-folding Aho–Corasick automaton in typed arrays: every keyword of the fleet in one pass
 * over the task.
 *
 * Naive approach: `for (const k of keywords) if (task.includes(k))` — cost grows with the number
 * of keywords (thousands) times the task length, and it allocates a lower-cased copy per call.
 * What we do: a trie of the folded patterns over a compressed alphabet (only code units that occur
 * in some pattern get a class; everything else is class 0, "never matches"), numbered breadth
 * first, with failure links. Scanning runs a DFA: `next[state * classes + class]` is the state
 * after one code unit, failure links folded in — one table load per unit, no failure chains. DFA
 * rows are filled on a state's first visit (copy the failure state's row, add the children), so
 * start-up pays only for the trie and a route call for the few hundred states it visits. Each
 * state knows the longest pattern ending there (`output`) and the next state on its suffix chain
 * that also ends a pattern (`outputLink`), so reporting costs only the matches; a DFA cell has
 * its sign bit set when its target state reports anything, so a unit that ends no pattern costs
 * that one load.
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

/**
 * Sign bit of a DFA cell: the target state ends a pattern or has one on its suffix chain. Scanning
 * then learns from the one load it needs anyway whether to report, instead of a second random
 * load of `output` per code unit (most units end no pattern). States fit in 31 bits (see above).
 */
const REPORTS = 0x80000000 | 0;
const STATE_BITS = 0x7fffffff;

export class AhoCorasick {
  /** Folded patterns, by pattern index. */
  readonly patterns: readonly string[];
  private readonly classOf: Uint16Array;
  private readonly classCount: number;
  private readonly next: Int32Array;
  private readonly ready: Uint8Array;
  private readonly pending: Int32Array;
  private readonly fail: Int32Array;
  private readonly childStart: Int32Array;
  private readonly childCount: Int32Array;
  private readonly label: Int32Array;
  private readonly rootChild: Int32Array;
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
    // Upper-case ASCII shares the class of its lower case, so scanning ASCII needs no folding.
    for (let unit = 65; unit <= 90; unit++) if (this.classOf[unit] === 0) this.classOf[unit] = this.classOf[unit + 32]!;
    // Trie in flat arrays: children as linked lists, edges found through an open-addressing hash
    // of state × classes + class in typed arrays (a Map of 100 K entries costs more in GC than
    // building everything else).
    const capacity = 1 + folded.reduce((sum, p) => sum + p.length, 0);
    const firstChild = new Int32Array(capacity).fill(-1);
    const sibling = new Int32Array(capacity).fill(-1);
    const label = new Int32Array(capacity);
    const patternAt = new Int32Array(capacity).fill(-1);
    let slots = 16;
    while (slots < capacity * 2) slots *= 2;
    const mask = slots - 1;
    const edgeKey = new Int32Array(slots).fill(-1);
    const edgeChild = new Int32Array(slots);
    let stateCount = 1;
    folded.forEach((p, index) => {
      if (p.length === 0) return;
      let state = 0;
      for (let i = 0; i < p.length; i++) {
        const cls = this.classOf[p.charCodeAt(i)]!;
        const key = state * classes + cls;
        let slot = Math.imul(key, 0x9e3779b1) & mask;
        while (edgeKey[slot] !== -1 && edgeKey[slot] !== key) slot = (slot + 1) & mask;
        if (edgeKey[slot] === -1) {
          edgeKey[slot] = key;
          edgeChild[slot] = stateCount;
          label[stateCount] = cls;
          sibling[stateCount] = firstChild[state]!;
          firstChild[state] = stateCount;
          stateCount++;
        }
        state = edgeChild[slot]!;
      }
      if (patternAt[state] === -1) patternAt[state] = index;
    });
    if (stateCount * classes > MAX_AUTOMATON_CELLS) {
      throw new RangeError(`keyword automaton too large: ${stateCount} states × ${classes} classes exceeds MAX_AUTOMATON_CELLS`);
    }
    // BFS renumbering: rows are laid out by depth (shallow rows stay in cache), a state's children
    // get consecutive numbers, and every failure state comes before the states failing to it.
    const order = new Int32Array(stateCount);
    const newId = new Int32Array(stateCount);
    this.childStart = new Int32Array(stateCount);
    this.childCount = new Int32Array(stateCount);
    this.label = new Int32Array(stateCount);
    let tail = 1;
    for (let head = 0; head < tail; head++) {
      this.childStart[head] = tail;
      for (let child = firstChild[order[head]!]!; child !== -1; child = sibling[child]!) {
        newId[child] = tail;
        this.label[tail] = label[child]!;
        order[tail++] = child;
      }
      this.childCount[head] = tail - this.childStart[head]!;
    }
    this.rootChild = new Int32Array(classes);
    for (let child = this.childStart[0]!, end = child + this.childCount[0]!; child < end; child++) this.rootChild[this.label[child]!] = child;
    this.output = new Int32Array(stateCount);
    for (let state = 0; state < stateCount; state++) this.output[state] = patternAt[order[state]!]!;
    this.fail = new Int32Array(stateCount);
    this.outputLink = new Int32Array(stateCount).fill(-1);
    for (let state = 0; state < stateCount; state++) {
      for (let child = this.childStart[state]!, end = child + this.childCount[state]!; child < end; child++) {
        let target = 0;
        for (let f = this.fail[state]!; state !== 0; f = this.fail[f]!) {
          const next = this.child(f, this.label[child]!);
          if (next > 0) { target = next; break; }
          if (f === 0) break;
        }
        this.fail[child] = target;
        this.outputLink[child] = this.output[target] !== -1 ? target : this.outputLink[target]!;
      }
    }
    // DFA rows are filled lazily, on the first visit of a state (scan): building all of them for
    // a 1,000-agent fleet costs ~100 ms at start-up, and a route call visits a few hundred states.
    // The zeroed table is cheap to allocate: the OS maps its pages only when rows are written.
    this.next = new Int32Array(stateCount * classes);
    this.ready = new Uint8Array(stateCount);
    this.pending = new Int32Array(folded.reduce((max, p) => Math.max(max, p.length), 0) + 2);
  }

  /** The child of `state` on `cls`, or 0 (the root is never a child). */
  private child(state: number, cls: number): number {
    if (state === 0) return this.rootChild[cls]!;
    for (let child = this.childStart[state]!, end = child + this.childCount[state]!; child < end; child++) {
      if (this.label[child] === cls) return child;
    }
    return 0;
  }

  /** Fills the DFA row of `state` (and of the failure states it copies from) if not done yet. */
  private ensureRow(state: number): void {
    let depth = 0;
    for (let s = state; this.ready[s] === 0; s = this.fail[s]!) {
      this.pending[depth++] = s;
      if (s === 0) break;
    }
    const classes = this.classCount;
    while (depth > 0) {
      const s = this.pending[--depth]!;
      const row = s * classes;
      if (s !== 0) this.next.copyWithin(row, this.fail[s]! * classes, this.fail[s]! * classes + classes);
      for (let child = this.childStart[s]!, end = child + this.childCount[s]!; child < end; child++) {
        const reports = this.output[child] !== -1 || this.outputLink[child] !== -1;
        this.next[row + this.label[child]!] = reports ? child | REPORTS : child;
      }
      this.ready[s] = 1;
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
    const { next, classOf, output, outputLink, ready } = this;
    const classes = this.classCount;
    const capacity = out.length >> 1;
    let state = 0;
    let count = 0;
    for (let i = 0; i < length; i++) {
      const unit = text.charCodeAt(i);
      if (ready[state] === 0) this.ensureRow(state);
      const cell = next[state * classes + classOf[unit < 128 ? unit : foldUnit(unit)]!]!;
      state = cell & STATE_BITS;
      if (cell >= 0) continue;
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
