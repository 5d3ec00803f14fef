/**
 * Word boundaries of a keyword match, shared by the keyword stage, the reference router in the
 * tests and the lexical model. Case folding and word units are the project's one normalisation
 * (util/fold.ts), the plural rule the one the compiler singularizes by (util/words.ts).
 */
import { foldUnit, isWordUnit } from '../util/fold.js';
import { PLURAL_ES, PLURAL_NONE, PLURAL_S, pluralSuffix } from '../util/words.js';

// The keyword stage and learning read the folding through here.
export { foldString, foldUnit, isWordUnit } from '../util/fold.js';
export { PLURAL_ES, PLURAL_NONE, PLURAL_S } from '../util/words.js';

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

/** Boundary needs of a folded phrase: whether its first / last unit is a word unit, its plural. */
export function phraseEdges(phrase: string): { wordStart: boolean; wordEnd: boolean; plural: number } {
  const wordStart = phrase.length > 0 && isWordUnit(phrase.charCodeAt(0));
  const wordEnd = phrase.length > 0 && isWordUnit(phrase.charCodeAt(phrase.length - 1));
  return { wordStart, wordEnd, plural: wordEnd ? pluralSuffix(phrase) : PLURAL_NONE };
}
