/**
 * Words as the compiler and the router both see them: one stop-word list, one plural rule and one
 * stemmer over the case folding of fold.ts. The compiler infers keywords with these words and the
 * router matches requests with them, so a keyword is never built from a word the router throws
 * away, and a phrase the compiler stores in the singular is one the router's plural rule finds
 * again in the brief's own plural.
 *
 * Two matchers read these words: the keyword stage matches a keyword as folded text on word
 * boundaries, a plain plural allowed (`pluralSuffix`); the lexical model compares stems (`stem`)
 * of the words that are not stop words (`tokenize`).
 */
import { foldString } from './fold.js';

/**
 * Function words, request filler ("anyone know why", "since monday") and the boilerplate of
 * briefs about agents ("use this agent proactively", "expert", "specialist"): they say nothing about
 * which agent fits, in a brief or in a request. Not here on purpose: go, kind, less, try, sort (a
 * language, a Kubernetes tool, a stylesheet language, a keyword, an algorithm), and the praise of
 * briefs that is a topic in a request ("production", "critical", "users": compiler/infer/stop-words.ts).
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all am an and any are aren as at be because been before being below between both but by ' +
    'can cannot could did didn do does doesn doing don down during each either few for from further had has have having he her here ' +
    'hers herself him himself his how i if in into is isn it its itself just let me more most my myself no nor not now of off ' +
    'on once only or other ought our ours ourselves out over own per same she should so some such than that the their theirs them ' +
    'themselves then there these they this those through throughout to too under until up upon us very vs was wasn we were weren what when ' +
    'where which while who whom why will with won would you your yours yourself yourselves yet still already ever even maybe ' +
    'e.g i.e eg ie ' +
    'agent agents subagent subagents proactively specialist specialists specializing specializes specialized expert experts ' +
    'expertise task tasks help helps helping please make sure able also need needs needed want wants use uses usage used using ' +
    'invoke invoked invoking via include includes including ensure ensures ensuring assist assists assisting way ways ' +
    'any all new get set one two like just more most other such each very well work working ' +
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

/** Which plural suffix a word may take: none, `s` or `es` (English spelling rules). */
export const PLURAL_NONE = 0;
export const PLURAL_S = 1;
export const PLURAL_ES = 2;

/** Plural suffixes shorter words would misfire on: `go` + `s`, `ci` + `s` are rarely plurals. */
const MIN_PLURAL_WORD_LENGTH = 3;

/**
 * The plural suffix the keyword stage accepts after a folded phrase ending in `word`. A word ending
 * in consonant + y takes none: its plural ("queries") does not contain it.
 *
 * @example pluralSuffix('resolver') === PLURAL_S; pluralSuffix('class') === PLURAL_ES; pluralSuffix('query') === PLURAL_NONE
 */
export function pluralSuffix(word: string): number {
  if (word.length < MIN_PLURAL_WORD_LENGTH || !/[a-z]$/.test(word)) return PLURAL_NONE;
  if (/(s|x|z|ch|sh)$/.test(word)) return PLURAL_ES;
  return /[^aeiou]y$/.test(word) ? PLURAL_NONE : PLURAL_S;
}

/** Words that end in s but are not plurals, or whose singular names something else. */
const KEEP_PLURAL = /(ss|us|is|os|ics|ous|as|ops|news|series|species|windows|sales|kudos)$/;

/**
 * The singular the keyword stage finds again in `word`: "schemas" → "schema", "processes" →
 * "process"; a word whose plural the stage cannot find from a singular ("queries") or that is not a
 * plural ("analytics", "kubernetes") stays as written. Invariant: `singular(w) === w`, or
 * `singular(w)` followed by its `pluralSuffix` spells `w`.
 *
 * @example singular('pipelines') === 'pipeline'; singular('queries') === 'queries'
 */
export function singular(word: string): string {
  if (word === 'schemas') return 'schema';
  if (word.length < 4 || !word.endsWith('s') || word.endsWith('ies') || KEEP_PLURAL.test(word)) return word;
  const base = /(ch|sh|ss|x|z)es$/.test(word) ? word.slice(0, -2) : word.slice(0, -1);
  const suffix = pluralSuffix(base);
  const spelled = suffix === PLURAL_ES ? `${base}es` : suffix === PLURAL_S ? `${base}s` : base;
  return spelled === word ? base : word;
}

/** Strips a plural or verb suffix so "resolvers", "resolver" and "resolving" meet (the lexical model's terms). */
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

const TOKEN = /[\p{L}\p{N}]+(?:[+#]+|\.(?:js|ts|net)\b)?/gu;

/** Shortest word kept: one- and two-letter words are noise except a few topics. */
const MIN_TOKEN_LENGTH = 2;

/**
 * Splits text into folded, stemmed terms without stop words (duplicates kept).
 *
 * @example tokenize('Adding GraphQL resolvers') // ['add', 'graphql', 'resolver']
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const match of foldString(text).matchAll(TOKEN)) {
    const word = match[0];
    if (word.length < MIN_TOKEN_LENGTH || STOP_WORDS.has(word)) continue;
    out.push(stem(word));
  }
  return out;
}
