/**
 * Case folding and word units per UTF-16 code unit: the one normalisation of text shared by the
 * compiler (inferred keywords), the router (keyword stage, lexical model) and learning (features),
 * so all of them agree on what a word is and what matches.
 *
 * Naive approach: `task.toLowerCase()` then `indexOf`. That breaks offsets: lower-casing can change
 * the length of a string ('İ' becomes two code units), so positions found in the lower-cased copy
 * no longer point into the task the user wrote.
 * What we do: fold one code unit at a time to a single code unit (its lower case when that is one
 * unit, itself otherwise). Folded text has exactly the length of the original, so every offset
 * is an offset into the original string. Diacritics are kept ('ü' stays 'ü'): removing a combining
 * mark changes the length, and a precomposed letter folded to its base would make "résumé" and
 * "resume" one word. Results are memoized in two 64 K tables filled lazily.
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
