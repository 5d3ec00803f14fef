/**
 * A case-folding Aho–Corasick automaton in typed arrays: every keyword of the fleet in one pass
 * over the task.
 *
 * Naive approach: `for (const k of keywords) if (task.includes(k))` — cost grows with the number
 * of keywords (thousands) times the task length, and it allocates a lower-cased copy per call.
 * What we do: a trie of the folded patterns over a compressed alphabet (only code units that occur
 * in some pattern get a class; everything else is class 0, "never matches"), numbered breadth
 * first, with failure links. Scanning runs a DFA: `next[row * classes + class]` is the row of the
 * state after one code unit, failure links folded in — one table load per unit, no failure
 * chains. DFA rows are filled on a state's first visit (copy the failure state's row, add the
 * children), so start-up pays only for the trie and a route call for the few hundred states it
 * visits; rows are numbered in the order they are filled, not by state, so the visited rows sit
 * together in the cache instead of spread over the whole table. A cell whose target
 * had no row yet when it was written holds the target state with the PENDING bit; the scan fills
 * that row once and rewrites the cell. Each
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
import { foldUnit } from '../../text.js';
import { packArrays, unpackArrays } from '../../build-cache.js';

/**
 * Upper bound on states × alphabet classes (4 bytes each), so the table stays below 200 MB;
 * past the cap build() throws (docs/routing.md says what real fleets need).
 */
export const MAX_AUTOMATON_CELLS = 48_000_000;

/**
 * Sign bit of a DFA cell: the target state ends a pattern or has one on its suffix chain. Scanning
 * then learns from the one load it needs anyway whether to report, instead of a second random
 * load of `output` per code unit (most units end no pattern). States and rows fit in 30 bits
 * (MAX_AUTOMATON_CELLS).
 */
const REPORTS = 0x80000000 | 0;
/** Bit 30 of a cell: the low bits are a state that had no DFA row when the cell was written. */
const PENDING = 0x40000000;
const TARGET_BITS = 0x3fffffff;

export class AhoCorasick {
  /** Folded patterns, by pattern index (a restored automaton folds them on first read). */
  get patterns(): readonly string[] {
    if (this.folded === undefined) this.folded = this.unfolded!().map((pattern) => foldPattern(pattern));
    return this.folded;
  }
  private folded: readonly string[] | undefined;
  private readonly unfolded: (() => readonly string[]) | undefined;
  private readonly classOf: Uint16Array;
  private readonly classCount: number;
  /** DFA rows by row number (fill order); cells hold a target row, or PENDING | a target state. */
  private readonly next: Int32Array;
  /** Row of each state, -1 until filled; and the state of each row. */
  private readonly rowOf: Int32Array;
  private readonly stateOfRow: Int32Array;
  private rowCount = 0;
  private readonly pending: Int32Array;
  private readonly fail: Int32Array;
  private readonly childStart: Int32Array;
  private readonly childCount: Int32Array;
  private readonly label: Int32Array;
  private readonly rootChild: Int32Array;
  private readonly output: Int32Array;
  private readonly outputLink: Int32Array;
  private readonly lengths: Int32Array;

  /**
   * Builds the automaton; patterns are folded here, empty ones never match. With `saved` (what
   * `toBytes` wrote, see fromBytes) the trie is not rebuilt and `patterns` gives the unfolded
   * patterns it was built from, called only if they are ever read.
   */
  constructor(patterns: readonly string[] | (() => readonly string[]), saved?: AutomatonArrays) {
    if (typeof patterns === 'function') this.unfolded = patterns;
    else this.folded = patterns.map((p) => foldPattern(p));
    const arrays = saved ?? buildArrays(this.patterns);
    this.lengths = arrays.lengths;
    this.classOf = arrays.classOf;
    this.classCount = arrays.rootChild.length;
    this.fail = arrays.fail;
    this.childStart = arrays.childStart;
    this.childCount = arrays.childCount;
    this.label = arrays.label;
    this.rootChild = arrays.rootChild;
    this.output = arrays.output;
    this.outputLink = arrays.outputLink;
    const stateCount = this.output.length;
    // DFA rows are filled lazily, on the first visit of a state (scan): building all of them
    // costs start-up time, and a route call visits a few hundred states.
    // The zeroed table is cheap to allocate: the OS maps its pages only when rows are written.
    this.next = new Int32Array(stateCount * this.classCount);
    this.rowOf = new Int32Array(stateCount).fill(-1);
    this.stateOfRow = new Int32Array(stateCount);
    let longest = 0;
    for (let i = 0; i < this.lengths.length; i++) if (this.lengths[i]! > longest) longest = this.lengths[i]!;
    this.pending = new Int32Array(longest + 2);
    this.ensureRow(0);
  }

  /**
   * The automaton `toBytes` wrote, or undefined when the bytes do not hold a well-formed automaton
   * (the caller then builds one). `patterns` gives the unfolded patterns it was built from, only
   * when they are read (`patterns`): a restored automaton scans without them. Pattern lengths
   * must lie in [0, MAX_PATTERN_LENGTH] (a match's start is its end minus the length).
   * The caller stores bytes and patterns together under a key of the fleet (build-cache.ts).
   */
  static fromBytes(bytes: Uint8Array, patterns: () => readonly string[]): AhoCorasick | undefined {
    const arrays = unpackArrays(bytes, AUTOMATON_FORMAT, AUTOMATON_ARRAYS.length);
    if (!arrays) return undefined;
    const named = Object.fromEntries(AUTOMATON_ARRAYS.map((name, i) => [name, arrays[i]])) as unknown as AutomatonArrays;
    const states = named.output.length;
    const wellFormed =
      named.classOf instanceof Uint16Array &&
      named.classOf.length === 65536 &&
      named.rootChild.length > 0 &&
      AUTOMATON_ARRAYS.every((name) => (name === 'classOf' ? true : named[name] instanceof Int32Array)) &&
      [named.fail, named.childStart, named.childCount, named.label, named.outputLink].every((array) => array.length === states) &&
      states * named.rootChild.length <= MAX_AUTOMATON_CELLS &&
      lengthsInRange(named.lengths);
    return wellFormed ? new AhoCorasick(patterns, named) : undefined;
  }

  /** Number of patterns. */
  get patternCount(): number {
    return this.lengths.length;
  }

  /** The built trie (not the lazily filled DFA rows) as bytes for `fromBytes`. */
  toBytes(): Uint8Array {
    return packArrays(
      AUTOMATON_FORMAT,
      AUTOMATON_ARRAYS.map((name) => this[name]),
    );
  }

  /** Fills the DFA row of `state` (and of the failure states it copies from) if not done yet; returns its row. */
  private ensureRow(state: number): number {
    let depth = 0;
    for (let s = state; this.rowOf[s] === -1; s = this.fail[s]!) {
      this.pending[depth++] = s;
      if (s === 0) break;
    }
    const classes = this.classCount;
    while (depth > 0) {
      const s = this.pending[--depth]!;
      const row = this.rowCount++;
      this.rowOf[s] = row;
      this.stateOfRow[row] = s;
      const at = row * classes;
      // The root's row starts as all zeros: row 0, the root itself.
      if (s !== 0) {
        const from = this.rowOf[this.fail[s]!]! * classes;
        this.next.copyWithin(at, from, from + classes);
      }
      for (let child = this.childStart[s]!, end = child + this.childCount[s]!; child < end; child++) {
        const reports = this.output[child] !== -1 || this.outputLink[child] !== -1;
        const target = this.rowOf[child]! >= 0 ? this.rowOf[child]! : PENDING | child;
        this.next[at + this.label[child]!] = reports ? target | REPORTS : target;
      }
    }
    return this.rowOf[state]!;
  }

  /** The cell at `index` with its PENDING target given a row (filled now if needed), rewritten in place. */
  private resolve(index: number, cell: number): number {
    const resolved = (cell & REPORTS) | this.ensureRow(cell & TARGET_BITS);
    this.next[index] = resolved;
    return resolved;
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
    const { next, classOf, output, outputLink, stateOfRow } = this;
    const classes = this.classCount;
    const capacity = out.length >> 1;
    let row = 0;
    let count = 0;
    for (let i = 0; i < length; i++) {
      const unit = text.charCodeAt(i);
      const index = row * classes + classOf[unit < 128 ? unit : foldUnit(unit)]!;
      let cell = next[index]!;
      if ((cell & PENDING) !== 0) cell = this.resolve(index, cell);
      row = cell & TARGET_BITS;
      if (cell >= 0) continue;
      const state = stateOfRow[row]!;
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

/** The arrays that make up a built automaton (what the build cache stores). */
export interface AutomatonArrays {
  /** Alphabet class of each UTF-16 unit (0: in no pattern). */
  classOf: Uint16Array;
  fail: Int32Array;
  childStart: Int32Array;
  childCount: Int32Array;
  /** Class of the edge into each state. */
  label: Int32Array;
  /** The root's child per class (its length is the class count). */
  rootChild: Int32Array;
  /** Longest pattern ending at each state, or -1. */
  output: Int32Array;
  /** Next state on the suffix chain that ends a pattern, or -1. */
  outputLink: Int32Array;
  /** Length of each folded pattern in code units. */
  lengths: Int32Array;
}

/** Array order in the bytes of `toBytes`; AUTOMATON_FORMAT changes when this or a meaning does. */
const AUTOMATON_ARRAYS = ['classOf', 'fail', 'childStart', 'childCount', 'label', 'rootChild', 'output', 'outputLink', 'lengths'] as const;
const AUTOMATON_FORMAT = 2;

/** Longest pattern a restored automaton accepts (keyword phrases are a few words). */
const MAX_PATTERN_LENGTH = 1 << 16;

function lengthsInRange(lengths: Int32Array): boolean {
  for (let i = 0; i < lengths.length; i++) if (!(lengths[i]! >= 0 && lengths[i]! <= MAX_PATTERN_LENGTH)) return false;
  return true;
}

/** Builds the trie of the folded patterns with its failure and output links. */
function buildArrays(folded: readonly string[]): AutomatonArrays {
  // Alphabet: class 0 is "not in any pattern"; classes are assigned in first-seen order.
  const classOf = new Uint16Array(65536);
  let classes = 1;
  for (const p of folded) {
    for (let i = 0; i < p.length; i++) {
      const unit = p.charCodeAt(i);
      if (classOf[unit] === 0) classOf[unit] = classes++;
    }
  }
  // Upper-case ASCII shares the class of its lower case, so scanning ASCII needs no folding.
  for (let unit = 65; unit <= 90; unit++) if (classOf[unit] === 0) classOf[unit] = classOf[unit + 32]!;
  // Trie in flat arrays: children as linked lists, edges found through an open-addressing hash
  // of state × classes + class in typed arrays (a Map that size costs more in GC than building
  // everything else).
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
      const cls = classOf[p.charCodeAt(i)]!;
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
  const childStart = new Int32Array(stateCount);
  const childCount = new Int32Array(stateCount);
  const trieLabel = new Int32Array(stateCount);
  let tail = 1;
  for (let head = 0; head < tail; head++) {
    childStart[head] = tail;
    for (let child = firstChild[order[head]!]!; child !== -1; child = sibling[child]!) {
      trieLabel[tail] = label[child]!;
      order[tail++] = child;
    }
    childCount[head] = tail - childStart[head]!;
  }
  const rootChild = new Int32Array(classes);
  for (let child = childStart[0]!, end = child + childCount[0]!; child < end; child++) rootChild[trieLabel[child]!] = child;
  const output = new Int32Array(stateCount);
  for (let state = 0; state < stateCount; state++) output[state] = patternAt[order[state]!]!;
  const fail = new Int32Array(stateCount);
  const outputLink = new Int32Array(stateCount).fill(-1);
  for (let state = 0; state < stateCount; state++) {
    for (let child = childStart[state]!, end = child + childCount[state]!; child < end; child++) {
      let target = 0;
      for (let f = fail[state]!; state !== 0; f = fail[f]!) {
        const next = childOf({ childStart, childCount, label: trieLabel, rootChild }, f, trieLabel[child]!);
        if (next > 0) {
          target = next;
          break;
        }
        if (f === 0) break;
      }
      fail[child] = target;
      outputLink[child] = output[target] !== -1 ? target : outputLink[target]!;
    }
  }
  return {
    classOf,
    fail,
    childStart,
    childCount,
    label: trieLabel,
    rootChild,
    output,
    outputLink,
    lengths: Int32Array.from(folded, (p) => p.length),
  };
}

/** The child of `state` on `cls`, or 0 (the root is never a child). */
function childOf(trie: Pick<AutomatonArrays, 'childStart' | 'childCount' | 'label' | 'rootChild'>, state: number, cls: number): number {
  if (state === 0) return trie.rootChild[cls]!;
  for (let child = trie.childStart[state]!, end = child + trie.childCount[state]!; child < end; child++) {
    if (trie.label[child] === cls) return child;
  }
  return 0;
}

/** ASCII folds like toLowerCase (A–Z only); other text goes unit by unit (foldUnit). */
const ASCII_ONLY = /^[\u0000-\u007f]*$/;

function foldPattern(pattern: string): string {
  if (ASCII_ONLY.test(pattern)) return pattern.toLowerCase();
  let out = '';
  for (let i = 0; i < pattern.length; i++) out += String.fromCharCode(foldUnit(pattern.charCodeAt(i)));
  return out;
}
