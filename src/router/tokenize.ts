/**
 * The lexical model's terms: the shared words of util/words.ts (folded, stemmed, stop words
 * removed), plus pairs of neighbouring words.
 */
import { tokenize } from '../util/words.js';

/**
 * The terms of some texts: every word, and every pair of neighbouring words ("error boundary",
 * "event loop") once stop words are gone; pairs never span two texts (two keywords, two
 * responsibilities). Used for the query and every field but the body. `words` counts the words
 * only: it is the length that BM25 normalizes by. A pair is rarer than its words, so it scores a
 * request that uses the brief's own phrase above one that only shares its words.
 *
 * @example lexicalTerms(['Error boundaries in React']) // terms: ['error', 'boundary', 'error boundary', 'react', 'boundary react'], words: 3
 */
export function lexicalTerms(texts: readonly string[]): { terms: string[]; words: number } {
  const terms: string[] = [];
  let words = 0;
  for (const text of texts) {
    const tokens = tokenize(text);
    words += tokens.length;
    for (let i = 0; i < tokens.length; i++) {
      terms.push(tokens[i]!);
      if (i > 0) terms.push(`${tokens[i - 1]!} ${tokens[i]!}`);
    }
  }
  return { terms, words };
}
