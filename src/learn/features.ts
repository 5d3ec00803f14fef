/**
 * The context of a routing decision, as the bandit sees it: the triggers that fired (keyword,
 * regex, glob keys, exact) plus hashed task features (words of the task, extensions and top
 * folders of the changed paths).
 *
 * Naive approach: tokenize with regexes and keep every word as its own feature — the learned state
 * grows with every word anyone ever typed, and the tokenizer costs more than a route. What we do:
 * one pass over the task's UTF-16 units, case-folded (util/fold.ts), hashing each word with
 * FNV-1a as it goes into one of FEATURE_BUCKETS buckets, a plural `s` dropped; stop words are
 * recognised by hash. The state is bounded by buckets × agents; trigger keys by the fleet.
 * Invariants: the same request and fired triggers give the same features on every machine;
 * `featuresOf` is sorted and unique; at most MAX_FEATURES per decision.
 */
import { foldUnit, isWordUnit } from '../util/fold.js';
import { STOP_WORDS } from '../util/words.js';

/**
 * Buckets of hashed words: many more than the distinct words of a real request stream, so few
 * collide, and a collision only blurs two words' evidence; the per-agent state stays small.
 * The collision figures are in docs/learning.md ("Figures behind the constants").
 */
export const FEATURE_BUCKETS = 16_384;
/** FEATURE_BUCKETS is a power of two: a hash's bucket is its low bits, the same for its int32 and uint32 forms. */
const BUCKET_MASK = FEATURE_BUCKETS - 1;

/**
 * Features kept per decision (triggers first, then words, then paths): the request's first 12
 * terms, and a route's learned work bounded at 12 rows. The smallest count that learns as well as
 * larger ones on the dev sets (fewer lost accuracy), and fewer features are less learned work per
 * route; the curves behind it are in docs/learning.md. A long request's 12 are mostly its
 * triggers: the fleet's own vocabulary.
 */
export const MAX_FEATURES = 12;

/** Words shorter than this say nothing about the agent ("a", "to", "db" is the rare exception). */
const MIN_WORD = 3;

const FNV_OFFSET = 0x811c9dc5;
/** The offset basis as an int32: the scan keeps hashes in int32 (no uint32 → double conversion per unit). */
const FNV_OFFSET_INT = FNV_OFFSET | 0;
const FNV_PRIME = 0x01000193;
const UNIT_S = 115;

/**
 * Stop words by hash in an open-addressing table (a Set<number> lookup per word was a third of the
 * scan): 1,024 slots for the ~400 stop words of util/words.ts, so a probe sequence is short; 0 marks
 * an empty slot.
 */
const STOP_SLOTS = 1024;
const STOP_TABLE = new Int32Array(STOP_SLOTS);
for (const word of STOP_WORDS) {
  const hash = hashOf(word) | 0 || 1;
  let slot = hash & (STOP_SLOTS - 1);
  while (STOP_TABLE[slot] !== 0 && STOP_TABLE[slot] !== hash) slot = (slot + 1) & (STOP_SLOTS - 1);
  STOP_TABLE[slot] = hash;
}

/** Whether an int32 word hash is a stop word's. */
function isStopHash(hash: number): boolean {
  for (let slot = hash & (STOP_SLOTS - 1); ; slot = (slot + 1) & (STOP_SLOTS - 1)) {
    const held = STOP_TABLE[slot]!;
    if (held === hash) return hash !== 0;
    if (held === 0) return false;
  }
}
const bucketNames: string[] = [];

/** `w:<bucket>`, one string per bucket for the life of the process. */
function bucketName(bucket: number): string {
  return (bucketNames[bucket] ??= `w:${bucket}`);
}

/**
 * Word units below 128 folded (lower-case letters, digits, `_`), 0 for the others: one load and
 * one test per unit instead of three range checks; the rest go through the shared tables.
 */
const ASCII_WORD = new Uint8Array(128);
for (let unit = 0; unit < 128; unit++) ASCII_WORD[unit] = isWordUnit(unit) ? foldUnit(unit) : 0;

/**
 * Reads the kept words of a task one at a time: `next()` gives each word's feature bucket (its
 * hash after dropping a plural `s`, modulo FEATURE_BUCKETS), or -1 at the end, with its span in
 * `start`/`end`. A cursor rather than a callback so that the route's hot loop
 * (compiled-state.ts) creates no closure per call; a bucket rather than the 32-bit hash so the
 * value stays a small integer (a uint32 above 2^31 is a boxed double when returned).
 */
export class WordCursor {
  start = 0;
  end = 0;
  private task = '';
  private at = 0;

  reset(task: string): this {
    this.task = task;
    this.at = 0;
    return this;
  }

  next(): number {
    const task = this.task;
    const length = task.length;
    let hash = FNV_OFFSET_INT;
    let beforeLast = FNV_OFFSET_INT;
    let start = -1;
    let last = 0;
    let previous = 0;
    for (let i = this.at; i <= length; i++) {
      const unit = i < length ? task.charCodeAt(i) : 32;
      const folded = unit < 128 ? ASCII_WORD[unit]! : isWordUnit(unit) ? foldUnit(unit) : 0;
      if (folded !== 0) {
        if (start < 0) {
          start = i;
          hash = FNV_OFFSET_INT;
        }
        previous = last;
        last = folded;
        beforeLast = hash;
        hash = Math.imul(hash ^ folded, FNV_PRIME);
        continue;
      }
      if (start < 0) continue;
      const wordLength = i - start;
      const wordStart = start;
      start = -1;
      if (wordLength < MIN_WORD || isStopHash(hash)) continue;
      this.at = i + 1;
      // "resolvers" and "resolver" meet; "class", "process" keep their s.
      const plural = wordLength > 3 && last === UNIT_S && previous !== UNIT_S;
      this.start = wordStart;
      this.end = plural ? i - 1 : i;
      return (plural ? beforeLast : hash) & BUCKET_MASK;
    }
    this.at = length + 1;
    return -1;
  }
}

const cursor = new WordCursor();

/**
 * Calls `onWord` for every kept word of `task` with its feature bucket and its position. No
 * string is built per word.
 */
export function scanWords(task: string, onWord: (bucket: number, start: number, end: number) => boolean | void): void {
  const words = cursor.reset(task);
  for (let bucket = words.next(); bucket >= 0; bucket = words.next()) if (onWord(bucket, words.start, words.end) === false) return;
}

/**
 * The sorted, unique features of one request.
 *
 * @example featuresOf('review my PR', [], ['kw:review']) // ['kw:review', 'w:…']
 */
export function featuresOf(task: string, paths: readonly string[], fired: readonly string[]): string[] {
  const out = new Set<string>();
  for (const key of fired) {
    if (out.size >= MAX_FEATURES) break;
    out.add(key);
  }
  scanWords(task, (bucket) => {
    out.add(bucketName(bucket));
    return out.size < MAX_FEATURES;
  });
  for (const path of paths) {
    const dot = path.lastIndexOf('.');
    if (dot > path.lastIndexOf('/') && out.size < MAX_FEATURES) out.add(`ext:${path.slice(dot + 1).toLowerCase()}`);
    const slash = path.indexOf('/');
    if (slash > 0 && out.size < MAX_FEATURES) out.add(`dir:${path.slice(0, slash).toLowerCase()}`);
  }
  return [...out].sort();
}

/** Words behind the word features of a task, for people reading `stats` (bucket → word). */
export function wordLabels(task: string): Array<[string, string]> {
  const labels: Array<[string, string]> = [];
  scanWords(task, (bucket, start, end) => {
    labels.push([bucketName(bucket), task.slice(start, end).toLowerCase()]);
  });
  return labels;
}

/** FNV-1a over a string's case-folded units (the same hash `scanWords` computes). */
export function hashOf(text: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ foldUnit(text.charCodeAt(i)), FNV_PRIME) >>> 0;
  return hash;
}
