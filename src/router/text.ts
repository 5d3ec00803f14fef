/**
 * Case folding and word boundaries per UTF-16 code unit, shared by the keyword stage, the
 * reference router in the tests and the lexical model, so all of them agree on what matches.
 *
 * Naive approach: `task.toLowerCase()` then `indexOf`. That breaks offsets: lower-casing can change
 * the length of a string ('İ' becomes two code units), so positions found in the lower-cased copy
 * no longer point into the task the user wrote.
 * What we do: fold one code unit at a time to a single code unit (its lower case when that is one
 * unit, itself otherwise). Folded text has exactly the length of the original, so every offset
 * is an offset into the original string. Results are memoized in two 64 K tables filled lazily.
 * Invariants: `foldUnit` is idempotent; `foldString(s).length === s.length`; surrogate halves fold
 * to themselves and count as non-word units (an emoji next to a keyword does not hide it).
 */

const UNKNOWN = 0;
const YES = 1;
const NO = 2;

const foldTable = new Uint16Array(65536);
const foldKnown = new Uint8Array(65536);
const wordTable = new Uint8Array(65536);
const WORD_PATTERN = /^[\p{L}\p{N}\p{M}_]$/u;

for (let unit = 0; unit < 128; unit++) {
  foldTable[unit] = unit >= 65 && unit <= 90 ? unit + 32 : unit;
  foldKnown[unit] = 1;
  const isWord = (unit >= 48 && unit <= 57) || (unit >= 65 && unit <= 90) || (unit >= 97 && unit <= 122) || unit === 95;
  wordTable[unit] = isWord ? YES : NO;
}

/** The folded form of one UTF-16 code unit (always one code unit). */
export function foldUnit(unit: number): number {
  if (foldKnown[unit] === 1) return foldTable[unit]!;
  let folded = unit;
  if (unit < 0xd800 || unit > 0xdfff) {
    const lower = String.fromCharCode(unit).toLowerCase();
    if (lower.length === 1) folded = lower.charCodeAt(0);
  }
  foldTable[unit] = folded;
  foldKnown[unit] = 1;
  return folded;
}

/** Whether a code unit is part of a word: a letter, digit, combining mark or `_`. */
export function isWordUnit(unit: number): boolean {
  let known = wordTable[unit]!;
  if (known === UNKNOWN) {
    const surrogate = unit >= 0xd800 && unit <= 0xdfff;
    known = !surrogate && WORD_PATTERN.test(String.fromCharCode(unit)) ? YES : NO;
    wordTable[unit] = known;
  }
  return known === YES;
}

/**
 * Folds a whole string unit by unit; the result has the same length as the input.
 *
 * @example foldString('Add GraphQL') === 'add graphql'
 */
export function foldString(text: string): string {
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) >= 128) {
      ascii = false;
      break;
    }
  }
  if (ascii) return text.toLowerCase();
  let out = '';
  for (let i = 0; i < text.length; i++) out += String.fromCharCode(foldUnit(text.charCodeAt(i)));
  return out;
}

/** Which plural suffix a phrase may take in the text: none, `s` or `es` (English spelling rules). */
export const PLURAL_NONE = 0;
export const PLURAL_S = 1;
export const PLURAL_ES = 2;

/**
 * Whether a phrase found at [start, end) of `text` stands on word boundaries, and where it ends
 * once a plain English plural is allowed (`resolver` matches `resolvers`, `class` → `classes`).
 * A side whose edge character is not a word character needs no boundary, so `c#`, `c++` and
 * `.net` match next to anything while `go` does not match inside `good` (nor `goes`).
 * Returns the end of the accepted match (possibly past `end`), or -1 when it is rejected.
 *
 * @example acceptOnBoundary('two resolvers', 4, 12, true, true, PLURAL_S) === 13
 */
export function acceptOnBoundary(text: string, start: number, end: number, wordStart: boolean, wordEnd: boolean, plural: number): number {
  if (wordStart && start > 0 && isWordUnit(text.charCodeAt(start - 1))) return -1;
  if (!wordEnd || end >= text.length || !isWordUnit(text.charCodeAt(end))) return end;
  let suffix = 0;
  if (plural === PLURAL_S && foldUnit(text.charCodeAt(end)) === 115 /* s */) suffix = 1;
  else if (
    plural === PLURAL_ES &&
    foldUnit(text.charCodeAt(end)) === 101 /* e */ &&
    end + 1 < text.length &&
    foldUnit(text.charCodeAt(end + 1)) === 115
  )
    suffix = 2;
  if (suffix === 0) return -1;
  const after = end + suffix;
  return after >= text.length || !isWordUnit(text.charCodeAt(after)) ? after : -1;
}

/** Plural suffixes shorter words would misfire on: `go` + `s`, `ci` + `s` are rarely plurals. */
const MIN_PLURAL_PHRASE_LENGTH = 3;

/** Boundary needs of a folded phrase: whether its first / last unit is a word unit, its plural. */
export function phraseEdges(phrase: string): { wordStart: boolean; wordEnd: boolean; plural: number } {
  const wordStart = phrase.length > 0 && isWordUnit(phrase.charCodeAt(0));
  const wordEnd = phrase.length > 0 && isWordUnit(phrase.charCodeAt(phrase.length - 1));
  let plural = PLURAL_NONE;
  if (wordEnd && phrase.length >= MIN_PLURAL_PHRASE_LENGTH && /[a-z]$/.test(phrase)) {
    plural = /(s|x|z|ch|sh)$/.test(phrase) ? PLURAL_ES : /[^aeiou]y$/.test(phrase) ? PLURAL_NONE : PLURAL_S;
  }
  return { wordStart, wordEnd, plural };
}
