/**
 * How strongly a brief is about each catalog technology, and what follows from it: languages,
 * frameworks, file patterns, regexes and topical domains.
 *
 * Naive approach: any mention counts. Bodies are long and name dozens of technologies in passing
 * ("Integrates with Redis, Kafka, Postgres…"), so every backend agent would claim every file.
 * What we do: weigh mentions by where they are (name ≫ description > heading > body), cap each
 * place's contribution, and require more evidence for file patterns than for keywords.
 * Invariants: pure; results are sorted by evidence then catalog order, so they are deterministic.
 */
import { CATALOG, type TechEntry } from './catalog.js';
import { countMentions } from './catalog-matcher.js';

/** Weight and cap per place of mention. The name says what the agent *is*; the description is
 * what routing was written for; headings are topics; the body mentions much in passing. */
export const NAME_WEIGHT = 24;
export const DESCRIPTION_WEIGHT = 8;
export const DESCRIPTION_CAP = 3;
export const HEADING_WEIGHT = 3;
export const HEADING_CAP = 4;
export const BODY_WEIGHT = 1;
export const BODY_CAP = 10;

/** Share of an entry's evidence passed to what it implies (Django → Python): the agent works in
 * Python, but the brief is about Django first. */
export const IMPLY_FACTOR = 0.5;

/** Evidence needed to list a technology (keywords, languages, frameworks): one description
 * mention, or six body mentions, or a heading and a few body mentions. */
export const MENTION_MIN_EVIDENCE = 6;

/** Evidence needed for file patterns: the name, or a description mention backed by headings and
 * the body (8 + 3·k + …). A glob claims every matching changed file, so it must be earned: on the
 * routing dev sets, 24 beat 16 (generalists stopped claiming *.tf and k8s manifests) and tied 32. */
export const FILE_PATTERN_MIN_EVIDENCE = 24;

/** Evidence an area needs (summed over its technologies) to be listed among the agent's domains. */
export const DOMAIN_MIN_EVIDENCE = 16;

/** Technologies whose globs an agent gets: an agent is rarely clearly about more than three. */
export const MAX_FILE_PATTERN_ENTRIES = 3;

/** Topical domains listed per agent. */
export const MAX_DOMAINS = 4;

export interface EvidenceInput {
  nameText: string;
  description: string;
  headings: string;
  body: string;
}

export interface Evidence {
  /** Score per catalog index. */
  score: Float64Array;
  /** Score before implications (Django → Python): globs need direct evidence. */
  direct: Float64Array;
  /** Mentioned in the name (topics get globs only from the name; names earn every keyword). */
  inName: Uint8Array;
  /** Mentioned in the description. */
  inDescription: Uint8Array;
  /** Catalog indexes with score ≥ MENTION_MIN_EVIDENCE, strongest first. */
  strong: number[];
}

const INDEX_BY_ID = new Map(CATALOG.map((entry, index) => [entry.id, index]));

/**
 * Scores every catalog entry for one brief.
 *
 * @example collectEvidence({ nameText: 'terraform-specialist', description: '', headings: '', body: '' }).strong
 * // [index of 'terraform']
 */
export function collectEvidence(input: EvidenceInput): Evidence {
  const name = countMentions(input.nameText, true);
  const description = countMentions(input.description);
  const headings = countMentions(input.headings);
  const body = countMentions(input.body);
  const score = new Float64Array(CATALOG.length);
  const inName = new Uint8Array(CATALOG.length);
  const inDescription = new Uint8Array(CATALOG.length);
  for (let index = 0; index < CATALOG.length; index++) {
    inName[index] = name[index]! > 0 ? 1 : 0;
    inDescription[index] = description[index]! > 0 ? 1 : 0;
    score[index] =
      Math.min(name[index]!, 1) * NAME_WEIGHT +
      Math.min(description[index]!, DESCRIPTION_CAP) * DESCRIPTION_WEIGHT +
      Math.min(headings[index]!, HEADING_CAP) * HEADING_WEIGHT +
      Math.min(body[index]!, BODY_CAP) * BODY_WEIGHT;
  }
  const direct = Float64Array.from(score);
  // What a technology in the name implies is direct evidence too: a Django developer's files are
  // Python files. One hop only, at half the name's weight.
  CATALOG.forEach((entry, index) => {
    if (inName[index] !== 1) return;
    for (const implied of entry.implies ?? []) {
      const target = INDEX_BY_ID.get(implied);
      if (target !== undefined) direct[target] = Math.max(direct[target]!, score[target]!) + NAME_WEIGHT / 2;
    }
  });
  // Two rounds carry Next.js → React → JavaScript; implied evidence never lowers a score.
  for (let round = 0; round < 2; round++) {
    CATALOG.forEach((entry, index) => {
      for (const implied of entry.implies ?? []) {
        const target = INDEX_BY_ID.get(implied);
        if (target !== undefined) score[target] = Math.max(score[target]!, score[index]! * IMPLY_FACTOR);
      }
    });
  }
  for (let index = 0; index < CATALOG.length; index++) score[index] = Math.max(score[index]!, direct[index]!);
  const strong: number[] = [];
  for (let index = 0; index < CATALOG.length; index++) if (score[index]! >= MENTION_MIN_EVIDENCE) strong.push(index);
  strong.sort((a, b) => score[b]! - score[a]! || a - b);
  return { score, direct, inName, inDescription, strong };
}

function entryAt(index: number): TechEntry {
  return CATALOG[index] as TechEntry;
}

/** Canonical names of strong entries of the given kinds, strongest first. */
export function namesOfKind(evidence: Evidence, kinds: readonly string[]): string[] {
  return evidence.strong
    .map(entryAt)
    .filter((entry) => kinds.includes(entry.kind))
    .map((entry) => entry.id);
}

/** Entries whose globs (and regexes) the agent earns. */
export function fileEntries(evidence: Evidence): TechEntry[] {
  return evidence.strong
    .filter((index) => {
      const entry = entryAt(index);
      if (!entry.globs && !entry.regex) return false;
      if (entry.kind === 'domain' || entry.globsFromName) return evidence.inName[index] === 1;
      return evidence.direct[index]! >= FILE_PATTERN_MIN_EVIDENCE;
    })
    .slice(0, MAX_FILE_PATTERN_ENTRIES)
    .map(entryAt);
}

/** Topical areas of the strong entries, weighted by evidence. */
export function domainsOf(evidence: Evidence, fallback: string): string[] {
  const weight = new Map<string, number>();
  for (const index of evidence.strong) {
    const area = entryAt(index).area;
    weight.set(area, (weight.get(area) ?? 0) + evidence.score[index]!);
  }
  const ranked = [...weight.entries()]
    .filter(([, value]) => value >= DOMAIN_MIN_EVIDENCE)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, MAX_DOMAINS)
    .map(([area]) => area);
  return ranked.length > 0 || fallback.length === 0 ? ranked : [fallback];
}
