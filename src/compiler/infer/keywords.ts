/**
 * Ranks candidate keywords from every source into one capped list.
 *
 * Each source adds a score to a phrase; a phrase found by several sources (the name and the
 * description, a heading and the description) sums them and rises. Sources in order of trust:
 * an explicit "Triggers on:" list, the agent's name, technologies the brief is about, quoted
 * phrases, description clauses, section titles.
 * Invariants: output is lower case, deduplicated, never a weak keyword (stop-words.ts), at most
 * MAX_KEYWORD_CHARS long; sorted by score then alphabetically, so the order is deterministic.
 */
import { GENERIC_WORDS, isFiller, isWeakKeyword } from './stop-words.js';
import { MAX_KEYWORD_CHARS, MAX_PHRASE_WORDS } from './phrases.js';
import { compareText } from './text.js';

/** Keywords kept per agent. The router's automaton grows with the fleet's keywords, and past
 * ~two dozen an agent's keywords drift from what it is for into what it mentions. */
export const MAX_INFERRED_KEYWORDS = 24;

/** Scores per source; the gaps encode the trust order described above. */
export const TRIGGER_LIST_SCORE = 100;
export const NAME_SCORE = 60;
export const CATALOG_SCORE = 24;
export const QUOTED_SCORE = 30;
export const DESCRIPTION_SCORE = 14;
export const HEADING_SCORE = 4;

/** A phrase needs this much to be kept: one description clause, or a heading phrase seen twice. */
export const MIN_KEYWORD_SCORE = 8;

/** A single ordinary word (not a technology) needs the name, a trigger list or the description
 * plus more: single words match far more requests than phrases do. */
export const SINGLE_WORD_MIN_SCORE = 20;

/** Keywords every agent should have; below this the thresholds relax (see `result`). */
export const MIN_KEYWORDS = 3;

/** Trigger-list items may be longer than inferred phrases: the author wrote them as requests. */
export const MAX_TRIGGER_WORDS = 5;

export class KeywordRanker {
  private readonly scores = new Map<string, number>();
  private readonly trusted = new Set<string>();

  /** Adds `score` to `phrase`; `trusted` phrases (trigger lists, catalog) skip the word cap. */
  add(phrase: string, score: number, trusted = false): void {
    // One character ("c") matches next to every "c++" and "plan c"; nobody routes on it.
    if (phrase.length < 2 || phrase.length > MAX_KEYWORD_CHARS) return;
    this.scores.set(phrase, (this.scores.get(phrase) ?? 0) + score);
    if (trusted) this.trusted.add(phrase);
  }

  has(phrase: string): boolean {
    return this.scores.has(phrase);
  }

  /**
   * The ranked, filtered, capped keyword list. When fewer than MIN_KEYWORDS pass, the phrase
   * threshold is halved once: a brief with a vague description still gets its best phrases
   * (single words keep their bar: a lone word is never a safe guess).
   */
  result(limit: number = MAX_INFERRED_KEYWORDS): string[] {
    const strict = this.ranked(limit, 1);
    return strict.length >= MIN_KEYWORDS ? strict : this.ranked(limit, 0.5);
  }

  private ranked(limit: number, threshold: number): string[] {
    const kept: [string, number][] = [];
    for (const [phrase, score] of this.scores) {
      const words = phrase.split(' ');
      const trusted = this.trusted.has(phrase);
      if (score < MIN_KEYWORD_SCORE * threshold) continue;
      // An author's trigger list is kept as written ("what could go wrong"), bar lone stop words.
      if (trusted ? words.length === 1 && (isFiller(phrase) || GENERIC_WORDS.has(phrase)) : isWeakKeyword(phrase)) continue;
      if (words.length > (trusted ? MAX_TRIGGER_WORDS : MAX_PHRASE_WORDS)) continue;
      const singleMin = SINGLE_WORD_MIN_SCORE;
      if (!trusted && words.length === 1 && score < singleMin) continue;
      if (!trusted && words.length > 1 && words.every((word) => GENERIC_WORDS.has(word)) && score < singleMin) continue;
      kept.push([phrase, score]);
    }
    kept.sort(([a, x], [b, y]) => y - x || compareText(a, b));
    return kept.slice(0, limit).map(([phrase]) => phrase);
  }
}
