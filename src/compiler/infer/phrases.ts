/**
 * Key phrases from the parts of a brief that say what it is for: an explicit "Triggers on:"
 * list, quoted phrases, the agent's name, clauses of the description, section titles.
 *
 * Naive approach: every word of the description, or the whole description as one keyword. Both
 * route badly: single words fire on everything, a 300-character keyword never fires.
 * What we do: split text into clauses at punctuation, conjunctions and prepositions, strip
 * stop words, fillers and leading verbs from each clause and keep the last ≤ MAX_PHRASE_WORDS
 * words (English noun phrases end in their head noun: "optimize complex SQL queries" → "sql
 * queries"). Phrases are lower case; their words are single-spaced.
 */
import { foldString, isWordUnit } from '../../util/fold.js';
import { ACTION_WORDS, isFiller } from './stop-words.js';

/** Longest inferred phrase, in words: people type "flaky test", not sentences. */
export const MAX_PHRASE_WORDS = 3;

/** Longest keyword in characters; the router's automaton and people's requests both favour short. */
export const MAX_KEYWORD_CHARS = 40;

/** Items read from one "Triggers on:" list; real lists have ≤ 12. */
export const MAX_TRIGGER_ITEMS = 24;

const TRIGGERS_ON = /\btriggers?\s+(?:on|when|for)\s*:?\s*([^\n]*)/i;
const QUOTED = /['"‘’“”]([^'"‘’“”\n]{2,60})['"‘’“”]/g;
/** Words that end a clause: conjunctions, prepositions, relative pronouns, lone symbols. */
const BREAK_WORDS = new Set(
  (
    'and or with for in to across including like using requiring that which where while by from ' +
    'via into on of at as within without through between when whether whenever then plus versus vs - / & + = →'
  ).split(' '),
);
/** Punctuation that ends a clause when it opens or closes a word. */
const OPENERS = new Set('([{"“”|'.split(''));
const CLOSERS = new Set(',;!?)]}"“”|.:'.split(''));

/** Lower-cases, normalizes quotes and spacing, drops edge punctuation. */
export function normalizePhrase(text: string): string {
  return foldString(text)
    .replace(/[‘’]/g, "'")
    .replace(/\s+/g, ' ')
    .replace(/^[\s'"`*_(\[\-–—,.:;!?]+|[\s'"`*_)\]\-–—,.:;!?]+$/g, '')
    .trim();
}

/**
 * Items of a "Triggers on: 'a', 'b'" list, in order. Quoted items when any are quoted, else
 * the comma-separated items.
 *
 * @example triggersOn("Use when… Triggers on: 'growth loop', 'flywheel'.") // ['growth loop', 'flywheel']
 */
export function triggersOn(description: string): string[] {
  const match = TRIGGERS_ON.exec(description);
  if (!match) return [];
  const list = match[1] ?? '';
  const quoted = [...list.matchAll(QUOTED)].map((m) => m[1] ?? '');
  const items = quoted.length > 0 ? quoted : list.split(/,|;|\bor\b/);
  return items
    .map(normalizePhrase)
    .filter((item) => item.length > 1 && item.length <= MAX_KEYWORD_CHARS)
    .slice(0, MAX_TRIGGER_ITEMS);
}

/** Short quoted phrases outside a "Triggers on:" list, e.g. a description quoting what users say. */
export function quotedPhrases(description: string): string[] {
  const withoutTriggers = description.replace(TRIGGERS_ON, ' ');
  return [...withoutTriggers.matchAll(QUOTED)]
    .map((m) => normalizePhrase(m[1] ?? ''))
    .filter((phrase) => phrase.length > 1 && phrase.split(' ').length <= 4);
}

function isNoise(word: string): boolean {
  return isFiller(word) || word.length === 0 || /^[\d.+%x-]+$/.test(word);
}

/** -ing words that are nouns of a field ("caching strategies"), not verbs to strip. */
const ING_NOUNS = new Set(
  (
    'caching logging testing tracing monitoring networking routing streaming billing training ' +
    'scheduling rendering pricing marketing onboarding messaging hosting packaging versioning indexing sharding ' +
    'profiling debugging refactoring engineering programming accounting auditing alerting benchmarking branching ' +
    'learning computing processing modeling modelling scripting licensing clustering forecasting reporting ' +
    'writing copywriting publishing ranking positioning fundraising recruiting hiring'
  ).split(' '),
);

/** Leading verbs, participles and adverbs: "actively responding", "decomposing monolithic apps". */
function isLeadingNoise(word: string): boolean {
  if (ACTION_WORDS.has(word) || isNoise(word)) return true;
  if (word.length > 5 && word.endsWith('ing') && !ING_NOUNS.has(word)) return true;
  return (
    word.length > 4 &&
    word.endsWith('ly') &&
    !/(supply|assembly|anomaly|family|reply|apply|nightly|daily|weekly|monthly|yearly|hourly|early|friendly)$/.test(word)
  );
}

/** Trailing participles: "explicitly requested" (not -ing: "load balancing" is a noun). */
function isTrailingNoise(word: string): boolean {
  if (isNoise(word)) return true;
  return word.length > 4 && word.endsWith('ed') && !/(need|seed|feed|speed|embed|shed)$/.test(word);
}

/** Turns one clause into a phrase: drop noise, strip leading verbs, keep the head-final run. */
export function clausePhrase(clause: string): string | undefined {
  return phraseOf(
    foldString(clause)
      .split(/\s+/)
      .map(trimWord)
      .filter((word) => !isNoise(word)),
  );
}

/** A unit a keyword word may start or end with: the router's word units (util/fold.ts) but `_`
 * (Markdown emphasis), plus the `#` and `+` of `c#` and `c++`. */
function isKeywordUnit(unit: number): boolean {
  return unit === 35 || unit === 43 || (unit !== 95 && isWordUnit(unit));
}

/** Strips punctuation around a lower-case word, keeping `c#`, `c++` and a leading `.` (".net"). */
function trimWord(word: string): string {
  let start = 0;
  let end = word.length;
  while (start < end && !isKeywordUnit(word.charCodeAt(start)) && word.charCodeAt(start) !== 46) start++;
  while (end > start && !isKeywordUnit(word.charCodeAt(end - 1))) end--;
  return start === 0 && end === word.length ? word : word.slice(start, end);
}

/** The phrase of one clause's words (lower case, noise already dropped). */
function phraseOf(words: string[]): string | undefined {
  while (words.length > 0 && isLeadingNoise(words[0]!)) words.shift();
  while (words.length > 0 && isTrailingNoise(words[words.length - 1]!)) words.pop();
  if (words.length === 0 || words.length > MAX_PHRASE_WORDS + 2) return undefined;
  const phrase = words.slice(-MAX_PHRASE_WORDS).join(' ');
  return phrase.length <= MAX_KEYWORD_CHARS ? phrase : undefined;
}

/**
 * Candidate phrases from prose, one per clause.
 *
 * @example clauses('Use when optimizing SQL queries and designing database schemas') // ['sql queries', 'database schemas']
 */
export function clauses(text: string): string[] {
  const phrases: string[] = [];
  let words: string[] = [];
  for (const token of foldString(text).replace(/[—–]/g, ' , ').split(/\s+/)) {
    if (token.length === 0) continue;
    if (OPENERS.has(token[0]!)) words = flushClause(words, phrases);
    const word = trimWord(token);
    if (BREAK_WORDS.has(word) || BREAK_WORDS.has(token)) words = flushClause(words, phrases);
    else if (!isNoise(word)) words.push(word);
    if (CLOSERS.has(token[token.length - 1]!)) words = flushClause(words, phrases);
  }
  flushClause(words, phrases);
  return phrases;
}

/** Ends a clause: its phrase (if any) goes to `phrases`; returns the next clause's word list. */
function flushClause(words: string[], phrases: string[]): string[] {
  if (words.length === 0) return words;
  const phrase = phraseOf(words);
  if (phrase !== undefined) phrases.push(phrase);
  return [];
}

/** Role words at the end of agent names and the activity they stand for. */
const ROLE_ACTIVITY: Readonly<Record<string, string | null>> = {
  specialist: null,
  pro: null,
  expert: null,
  master: null,
  guru: null,
  ninja: null,
  agent: null,
  helper: null,
  engineer: 'engineering',
  developer: 'development',
  architect: 'architecture',
  coder: 'coding',
  optimizer: 'optimization',
  reviewer: 'review',
  review: 'review',
  tester: 'testing',
  auditor: 'audit',
  debugger: 'debugging',
  documenter: 'documentation',
  designer: 'design',
  writer: 'writing',
  analyst: 'analysis',
  researcher: 'research',
  generator: 'generation',
  modernizer: 'modernization',
  responder: 'response',
  organizer: null,
  coordinator: 'coordination',
  orchestrator: 'orchestration',
  automator: 'automation',
  validator: 'validation',
  troubleshooter: 'troubleshooting',
  administrator: 'administration',
  admin: 'administration',
  manager: 'management',
  builder: 'building',
  planner: 'planning',
  editor: 'editing',
  hunter: null,
  auditing: null,
  strategist: 'strategy',
  consultant: null,
  advisor: null,
  creator: 'creation',
  scientist: null,
  distributor: 'distribution',
  synthesizer: 'synthesis',
  installer: 'installation',
  monitor: 'monitoring',
  implementer: 'implementation',
  lead: null,
  detective: null,
};

/** Prefixes that form one word with the next: "multi-agent", "cross-platform". */
const PREFIXES = new Set(['multi', 'cross', 'non', 'co', 'pre', 'sub', 'self', 'full', 'real', 'end', 'first']);

function joinPrefixes(words: string[]): string[] {
  const joined: string[] = [];
  for (let index = 0; index < words.length; index++) {
    const word = words[index]!;
    const next = words[index + 1];
    if (PREFIXES.has(word) && next !== undefined && index + 2 < words.length) {
      joined.push(`${word}-${next}`);
      index++;
    } else joined.push(word);
  }
  return joined;
}

/** Professions people name when asking ("ask the product manager"): the name itself is a phrase. */
const PROFESSIONS = new Set([
  'analyst',
  'scientist',
  'manager',
  'master',
  'writer',
  'advisor',
  'researcher',
  'marketer',
  'copywriter',
  'designer',
  'administrator',
  'admin',
  'tester',
  'auditor',
]);

/**
 * Phrases from an agent's name: the subject without role words, and subject + activity.
 *
 * @example namePhrases('database-optimizer') // ['database', 'database optimization']
 */
export function namePhrases(name: string, isTechnology = false): string[] {
  const words = joinPrefixes(
    foldString(name)
      .split(/[^a-z0-9#+.]+/)
      .filter((word) => word.length > 0 && !/^\d+(\.\d+)*$/.test(word)),
  );
  const last = words[words.length - 1] ?? '';
  const isRole = Object.prototype.hasOwnProperty.call(ROLE_ACTIVITY, last);
  // "agent-organizer", "task-planner": the subject alone is a stop word, so the whole name is
  // the phrase, and no activity is added to it.
  if (isRole && words.length === 2 && isFiller(words[0]!)) return isFiller(last) ? [] : [words.join(' ')];
  const subject = isRole ? words.slice(0, -1) : words;
  if (subject.length === 0 || subject.length > MAX_PHRASE_WORDS) return [];
  const phrases = [subject.join(' ')];
  // "rust engineering" is not how anyone asks for Rust; "database optimization" is.
  const activity = isRole && !isTechnology ? ROLE_ACTIVITY[last] : null;
  if (activity && subject.length < MAX_PHRASE_WORDS) phrases.push(`${subject.join(' ')} ${activity}`);
  if (PROFESSIONS.has(last) && isRole && subject.length < MAX_PHRASE_WORDS) phrases.push(`${subject.join(' ')} ${last}`);
  return phrases;
}
