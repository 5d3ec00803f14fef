/**
 * Keyword collection for one brief: every source adds scored phrases to a KeywordRanker
 * (keywords.ts), which filters and ranks them.
 *
 * Sources, most trusted first: the "Triggers on:" list, the agent's name, the catalog
 * technologies the brief is about (how many of an entry's keywords depends on where it was
 * mentioned), quoted phrases, description clauses, section titles. Prose phrases that only
 * restate a technology ("react applications") are dropped; the rest keep a singular head.
 */
import { CATALOG } from './catalog.js';
import { isCatalogAlias } from './catalog-matcher.js';
import type { Evidence } from './evidence.js';
import {
  CATALOG_SCORE,
  DESCRIPTION_SCORE,
  HEADING_SCORE,
  KeywordRanker,
  NAME_SCORE,
  QUOTED_SCORE,
  TRIGGER_LIST_SCORE,
} from './keywords.js';
import { clauses, namePhrases, quotedPhrases } from './phrases.js';
import { singular } from '../../util/words.js';
import { GENERIC_WORDS, isFiller } from './stop-words.js';

/** Share of a catalog entry's score added per extra keyword of the entry ("k8s" after
 * "kubernetes"): the canonical name ranks first, aliases follow. */
const ALIAS_DECAY = 0.8;

/** Titles read for keyword phrases: the first forty carry the topics; phrases from later ones
 * rarely make the cut and cost a third of the pass. */
const MAX_TITLE_PHRASE_SOURCES = 40;

/** Repeats of a heading phrase that count: "Step" heading ten sections is structure, not topic;
 * three repeats stay under SINGLE_WORD_MIN_SCORE so a heading word alone is never a keyword. */
const HEADING_REPEAT_CAP = 3;

/** Evidence a technology needs from the body alone to become a keyword: mentioned throughout
 * (eight times, or in headings), not once in a list of integrations. */
const BODY_ONLY_MIN_EVIDENCE = 8;

/** Keywords of an entry the description names: its name and the most asked-for variant. */
const DESCRIPTION_KEYWORDS = 2;

/**
 * Catalog keywords by where the technology was mentioned: the name earns all of an entry's
 * keywords, the description the first two, the body alone only the first, and only for
 * technologies: a topic ("performance", "testing") mentioned in passing is every brief's topic.
 */
function addCatalogKeywords(ranker: KeywordRanker, evidence: Evidence): void {
  for (const index of evidence.strong) {
    const entry = CATALOG[index]!;
    const keywords = entry.keywords ?? [entry.id];
    let count = keywords.length;
    let base = CATALOG_SCORE + evidence.score[index]!;
    if (evidence.inName[index] !== 1) {
      if (evidence.inDescription[index] === 1) count = DESCRIPTION_KEYWORDS;
      else if (entry.kind === 'domain' || evidence.score[index]! < BODY_ONLY_MIN_EVIDENCE) count = 0;
      else {
        count = 1;
        base = CATALOG_SCORE / 2 + evidence.score[index]!;
      }
    }
    keywords.slice(0, count).forEach((keyword, position) => ranker.add(keyword, base * ALIAS_DECAY ** position, true));
  }
}

/** "React applications", "Python code": a technology plus generic words adds nothing to the
 * technology's own keyword and crowds out phrases that do. */
function redundantWithCatalog(phrase: string): boolean {
  const words = phrase.split(' ');
  if (words.length < 2) return false;
  const rest = words.filter((word) => !GENERIC_WORDS.has(word) && !isFiller(word));
  return rest.length > 0 && rest.length < words.length && isCatalogAlias(rest.join(' '));
}

/**
 * The form a prose phrase is stored in: its head singular ("sql query") when the router's plural
 * rule finds the brief's plural again from it (util/words.ts `singular`), else as written.
 *
 * @example proseKeyword('database schemas') === 'database schema'
 */
export function proseKeyword(phrase: string): string {
  const words = phrase.split(' ');
  const head = words[words.length - 1] ?? '';
  const single = isCatalogAlias(head) ? head : singular(head);
  return single === head ? phrase : [...words.slice(0, -1), single].join(' ');
}

function addProse(ranker: KeywordRanker, phrase: string, score: number): void {
  if (!redundantWithCatalog(phrase)) ranker.add(proseKeyword(phrase), score);
}

/**
 * Keywords from every source, ranked.
 *
 * @example rankKeywords(['growth loop'], 'growth-loops', 'Use when…', [], evidence)[0] === 'growth loop'
 */
export function rankKeywords(
  triggers: readonly string[],
  name: string,
  description: string,
  titles: readonly string[],
  evidence: Evidence,
): string[] {
  const ranker = new KeywordRanker();
  triggers.forEach((item, position) => ranker.add(item, TRIGGER_LIST_SCORE - position * 0.5, true));
  const namesTechnology = evidence.strong.some((index) => evidence.inName[index] === 1 && CATALOG[index]!.kind !== 'domain');
  for (const phrase of namePhrases(name, namesTechnology)) ranker.add(phrase, NAME_SCORE, true);
  addCatalogKeywords(ranker, evidence);
  for (const phrase of quotedPhrases(description)) ranker.add(phrase, QUOTED_SCORE);
  for (const phrase of clauses(description.replace(/\btriggers?\s+(on|when|for)\b[\s\S]*$/i, ' '))) {
    addProse(ranker, phrase, DESCRIPTION_SCORE);
  }
  const titleCounts = new Map<string, number>();
  for (const title of titles.slice(0, MAX_TITLE_PHRASE_SOURCES)) {
    for (const phrase of clauses(title)) titleCounts.set(phrase, (titleCounts.get(phrase) ?? 0) + 1);
  }
  for (const [phrase, count] of titleCounts) addProse(ranker, phrase, Math.min(count, HEADING_REPEAT_CAP) * HEADING_SCORE);
  return ranker.result();
}
