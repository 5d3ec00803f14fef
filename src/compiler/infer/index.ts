/**
 * Trigger inference: from a normalized brief, the keywords, regexes and file patterns the router
 * matches, plus the capabilities, responsibilities and tier of the definition. The compiler
 * applies the brief's explicit `codex:` block over this result, field by field.
 *
 * Pipeline (each step one file): outline the body (sections.ts) → score catalog technologies by
 * where they are mentioned (evidence.ts over catalog-matcher.ts) → collect phrases from the
 * trigger list, name, description and headings (phrases.ts) → rank keywords (keywords.ts) →
 * responsibilities and core (responsibilities.ts) → tier (classify.ts).
 * Invariants: pure and deterministic; never throws; work is bounded by MAX_BODY_CHARS,
 * MAX_DESCRIPTION_CHARS and MAX_TOKENS whatever the input.
 */
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { CATALOG } from './catalog.js';
import { isCatalogAlias } from './catalog-matcher.js';
import { GENERIC_WORDS, STOP_WORDS } from './stop-words.js';
import { tierOf, type Tier } from './classify.js';
import { collectEvidence, domainsOf, fileEntries, namesOfKind, type Evidence } from './evidence.js';
import {
  CATALOG_SCORE, DESCRIPTION_SCORE, HEADING_SCORE, KeywordRanker, NAME_SCORE, QUOTED_SCORE, TRIGGER_LIST_SCORE,
} from './keywords.js';
import { clauses, namePhrases, quotedPhrases, triggersOn } from './phrases.js';
import { coreFrom, responsibilitiesFrom } from './responsibilities.js';
import { outline } from './sections.js';
import { regexesFor } from './regex.js';
import { cleanDescription, MAX_BODY_CHARS, singular } from './text.js';

export { MAX_INFERRED_KEYWORDS } from './keywords.js';

export interface InferInput {
  id: string;
  name: string;
  description: string;
  body: string;
  tools: string[];
  domain: string;
  subdomain?: string;
  source: string;
}

export interface Inferred {
  keywords: string[];
  regex: { pattern: string; priority: number }[];
  file_patterns: string[];
  languages: string[];
  frameworks: string[];
  domains: string[];
  core: string[];
  responsibilities: { primary: string[]; secondary: string[] };
  tier: Tier;
}

/** Share of a catalog entry's score added per extra keyword of the entry ("k8s" after
 * "kubernetes"): the canonical name ranks first, aliases follow. */
const ALIAS_DECAY = 0.8;

/** Headings and item labels read for phrases and evidence. Real briefs have up to ~120 (wshobson
 * bolds a label on every bullet); the first ones name the main topics, the rest are detail. */
const MAX_TITLES = 80;

/** Titles read for keyword phrases: the first forty carry the topics; phrases from later ones
 * rarely make the cut and cost a third of the pass. */
const MAX_TITLE_PHRASE_SOURCES = 40;

/** Repeats of a heading phrase that count: "Step" heading ten sections is structure, not topic;
 * three repeats stay under SINGLE_WORD_MIN_SCORE so a heading word alone is never a keyword. */
const HEADING_REPEAT_CAP = 3;

/** Evidence a technology needs from the body alone to become a keyword: mentioned throughout
 * (eight times, or in headings), not once in a list of integrations. */
const BODY_ONLY_MIN_EVIDENCE = 8;

/**
 * The name to read role words from: wshobson ids are prefixed with their plugin
 * ("cicd-automation-terraform-specialist"); the file name ("terraform-specialist") is the name.
 */
function baseName(input: InferInput): string {
  const file = (input.source.split(/[\\/]/).pop() ?? '').replace(/\.md$/i, '').toLowerCase();
  if (file.length > 0 && input.id.endsWith(file)) return file;
  for (const prefix of [input.subdomain ?? '', input.domain]) {
    const slug = prefix.toLowerCase().replace(/^\d+-/, '');
    if (slug.length > 0 && input.id.startsWith(`${slug}-`)) return input.id.slice(slug.length + 1);
  }
  return input.id;
}

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
  const rest = words.filter((word) => !GENERIC_WORDS.has(word) && !STOP_WORDS.has(word));
  return rest.length > 0 && rest.length < words.length && isCatalogAlias(rest.join(' '));
}

/** Prose phrases are stored with a singular head ("sql query"): the router also matches the
 * plural ("sql queries"), never the other way round. */
function addProse(ranker: KeywordRanker, phrase: string, score: number): void {
  if (redundantWithCatalog(phrase)) return;
  const words = phrase.split(' ');
  const head = words[words.length - 1] ?? '';
  const single = isCatalogAlias(head) ? head : singular(head);
  ranker.add(single === head ? phrase : [...words.slice(0, -1), single].join(' '), score);
}

/** Keywords from every source, ranked (keywords.ts explains the order of trust). */
function rankKeywords(triggers: readonly string[], name: string, description: string, titles: readonly string[], evidence: Evidence): string[] {
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

function infer(input: InferInput): Inferred {
  const description = cleanDescription(input.description ?? '');
  // The catalog scan reads the body as is: Markdown punctuation never forms a token, and a
  // technology named in a code block is still named.
  const bodyText = (input.body ?? '').slice(0, MAX_BODY_CHARS);
  const body = outline(bodyText);
  const name = baseName(input);
  const titles = [...body.headings, ...body.labels].slice(0, MAX_TITLES);
  const evidence = collectEvidence({ nameText: `${name} ${input.name ?? ''}`, description, headings: titles.join('\n'), body: bodyText });

  const triggers = triggersOn(description);
  const keywords = rankKeywords(triggers, name, description, titles, evidence);

  const files = fileEntries(evidence);
  const globs = [...new Set(files.flatMap((entry) => entry.globs ?? []))];
  const responsibilities = responsibilitiesFrom(body);
  return {
    keywords,
    regex: regexesFor(triggers, files),
    file_patterns: globs,
    languages: namesOfKind(evidence, ['language']),
    frameworks: namesOfKind(evidence, ['framework']),
    domains: domainsOf(evidence, input.domain.toLowerCase().replace(/^\d+-/, '')),
    core: coreFrom(body.headings, keywords),
    responsibilities,
    tier: tierOf(name, input.domain, input.subdomain),
  };
}

const EMPTY: Inferred = {
  keywords: [], regex: [], file_patterns: [], languages: [], frameworks: [], domains: [], core: [],
  responsibilities: { primary: [], secondary: [] }, tier: 'specialist',
};

/**
 * Infers routing triggers and capabilities for one brief. Pure, deterministic, never throws:
 * an internal failure yields empty triggers and a CF3001 warning.
 *
 * @example
 * const { inferred } = inferTriggers({ id: 'terraform-specialist', name: 'terraform-specialist',
 *   description: 'Terraform modules and state', body: '', tools: [], domain: 'infrastructure', source: 'a.md' });
 * inferred.keywords.includes('terraform'); inferred.file_patterns.includes('**\/*.tf') // true, true
 */
export function inferTriggers(input: InferInput): { inferred: Inferred; diagnostics: Diagnostic[] } {
  let inferred: Inferred;
  try {
    inferred = infer(input);
  } catch {
    inferred = EMPTY;
  }
  const diagnostics: Diagnostic[] = [];
  if (inferred.keywords.length === 0 && inferred.file_patterns.length === 0) {
    diagnostics.push(
      diagnostic('CF3001', `no triggers could be inferred for '${input?.id ?? ''}'`, { file: input?.source ?? '', line: 1, column: 1 }),
    );
  }
  return { inferred, diagnostics };
}

