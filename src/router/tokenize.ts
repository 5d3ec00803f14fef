/**
 * Words for the lexical model: lower-cased, stop words removed, light English stemming. Kept
 * deliberately simple and deterministic — the model must give the same answer on every machine.
 *
 * @example tokenize('Adding GraphQL resolvers') // ['add', 'graphql', 'resolver']
 */

const TOKEN = /[\p{L}\p{N}]+(?:[+#]+|\.(?:js|ts|net)\b)?/gu;

/** Common English words and brief boilerplate ("use this agent when…") that say nothing about the agent. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all am an and any are aren as at be because been before being below between both but by ' +
    'can cannot could did didn do does doesn doing don down during each few for from further had has have having he her here ' +
    'hers herself him himself his how i if in into is isn it its itself just let me more most my myself no nor not now of off ' +
    'on once only or other ought our ours ourselves out over own same she should so some such than that the their theirs them ' +
    'themselves then there these they this those through to too under until up upon us very was wasn we were weren what when ' +
    'where which while who whom why will with won would you your yours yourself yourselves yet still already ever even maybe ' +
    'agent agents proactively specialist expert task tasks help please make sure able also need needs want wants use used using via ' +
    'any all new get set one two like just more most other such each very well work working ' +
    // Adverbs, pronouns and chat filler of requests ("anyone know why", "since monday"): without
    // them a word that one brief happens to use ("inside", "whenever") decided the semantic stage.
    // Not here on purpose: go, kind, less, try, sort (a language, a Kubernetes tool, a stylesheet
    // language, a keyword, an algorithm).
    'across actually afterwards almost alone along although always among amongst another anybody anyhow ' +
    'anyone anything anyway anywhere apart appear around aside ask asking away became become becomes ' +
    'becoming beforehand behind believe beside besides beyond certainly clearly come comes consider ' +
    'considering definitely despite else elsewhere enough entirely especially etc every everybody ' +
    'everyone everything everywhere exactly except far gets getting given gives goes going gone got ' +
    'gotten happens hardly hence however indeed instead inside itself keep keeps kept know knows known ' +
    'lately later least likely look looking looks mainly many may meanwhile merely might moreover mostly ' +
    'much must namely nearly neither never nevertheless nobody none noone nothing nowhere often ok okay ' +
    'onto otherwise overall perhaps probably quite rather really regarding seem seemed seeming seems seen ' +
    'several shall since somebody somehow someone something sometime sometimes somewhat somewhere soon ' +
    'sorry thing things think though thus together toward towards tried tries trying unless usually ' +
    'various whatever whenever wherever whether whoever whole whose within without wonder anymore ' +
    'apparently basically guys hey thanks today tonight yesterday tomorrow last night week weeks monday ' +
    'tuesday wednesday thursday friday lot lots stuff better best'
  ).split(' '),
);

/** Shortest word kept: one- and two-letter words are noise except a few topics. */
const MIN_TOKEN_LENGTH = 2;

/** Strips a plural or verb suffix so "resolvers", "resolver" and "resolving" meet. */
export function stem(word: string): string {
  if (word.length <= 3 || /[^a-z]/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(ss|us|is)$/.test(word)) return word;
  let base = word;
  if (/(ches|shes|xes|zes|ses)$/.test(base)) base = base.slice(0, -2);
  else if (base.endsWith('s')) base = base.slice(0, -1);
  else if (base.endsWith('ing') && base.length > 5) base = undouble(base.slice(0, -3));
  else if (base.endsWith('ed') && base.length > 4) base = undouble(base.slice(0, -2));
  // "cache"/"caching", "update"/"updated": drop a final e so both forms meet.
  return base.length > 4 && base.endsWith('e') ? base.slice(0, -1) : base;
}

/** "overlapp" → "overlap", "runn" → "run"; keeps ll/ss/zz ("fill", "pass") and short words ("add"). */
function undouble(word: string): string {
  const last = word[word.length - 1];
  return word.length >= 4 && last === word[word.length - 2] && /[b-df-hj-kmnp-rtv-y]/.test(last ?? '') ? word.slice(0, -1) : word;
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
