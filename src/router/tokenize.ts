/**
 * Words for the lexical model: lower-cased, stop words removed, light English stemming. Kept
 * deliberately simple and deterministic — the model must give the same answer on every machine.
 *
 * @example tokenize('Adding GraphQL resolvers') // ['add', 'graphql', 'resolver']
 */

const TOKEN = /[\p{L}\p{N}]+(?:[+#]+|\.(?:js|ts|net)\b)?/gu;

/** Common English words and brief boilerplate ("use this agent when…") that say nothing about the agent. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  ('a an and are as at be but by can do does for from has have how i in into is it its me my need of on or our should so '
    + 'some than that the their them then there these this those to up us use used using via want was we what when where which '
    + 'who why will with would you your agent agents proactively specialist expert task tasks help please make sure able also '
    + 'any all new get set one two like just more most other such each very well work working').split(' '),
);

/** Shortest word kept: one- and two-letter words are noise except a few topics. */
const MIN_TOKEN_LENGTH = 2;

/** Strips a plural or verb suffix so "resolvers", "resolver" and "resolving" meet. */
export function stem(word: string): string {
  if (word.length <= 3 || /[^a-z]/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(ss|us|is)$/.test(word)) return word;
  if (/(ches|shes|xes|zes|ses)$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s')) return word.slice(0, -1);
  if (word.endsWith('ing') && word.length > 5) return word.slice(0, -3);
  if (word.endsWith('ed') && word.length > 4) return word.slice(0, -2);
  return word;
}

/** Splits text into stemmed, lower-case terms without stop words (duplicates kept). */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const match of text.toLowerCase().matchAll(TOKEN)) {
    const word = match[0];
    if (word.length < MIN_TOKEN_LENGTH || STOP_WORDS.has(word)) continue;
    out.push(stem(word));
  }
  return out;
}
