/**
 * Trigger inference: from a normalized brief, the keywords, regexes and file patterns the router
 * matches, plus the capabilities, responsibilities and tier of the definition. The compiler
 * applies the brief's explicit `codex:` block over this result, field by field.
 *
 * Pipeline (each step one file): outline the body (sections.ts) → score catalog technologies by
 * where they are mentioned (evidence.ts over catalog-matcher.ts) → collect phrases from the
 * trigger list, name, description and headings (phrases.ts, collect-keywords.ts) → rank them
 * (keywords.ts) →
 * responsibilities and core (responsibilities.ts) → tier (classify.ts).
 * Invariants: pure and deterministic; never throws; work is bounded by MAX_BODY_CHARS,
 * MAX_DESCRIPTION_CHARS and MAX_TOKENS whatever the input.
 */
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { tierOf, type Tier } from './classify.js';
import { rankKeywords } from './collect-keywords.js';
import { collectEvidence, domainsOf, fileEntries, namesOfKind } from './evidence.js';
import { triggersOn } from './phrases.js';
import { coreFrom, responsibilitiesFrom } from './responsibilities.js';
import { outline } from './sections.js';
import { regexesFor } from './regex.js';
import { cleanDescription, MAX_BODY_CHARS } from './text.js';

import { MIN_KEYWORDS } from './keywords.js';

export { MAX_INFERRED_KEYWORDS } from './keywords.js';

/** A normalized brief, as the compiler's normalize pass hands it over. */
export interface InferInput {
  /** Slug, unique in the fleet, e.g. 'terraform-specialist' (may carry a plugin prefix). */
  id: string;
  /** As written in the brief. */
  name: string;
  /** Front-matter description: may hold "Triggers on: 'a', 'b'" or <example> blocks. */
  description: string;
  /** Markdown body (the system prompt). */
  body: string;
  /** Normalized allowed tools, e.g. ['Read', 'Write', 'Bash'] (unused by inference today). */
  tools: string[];
  /** From the folders, e.g. 'language-specialists'. */
  domain: string;
  subdomain?: string;
  /** Brief path, for diagnostics. */
  source: string;
}

/** What inference found; the compiler applies the brief's `codex:` block over it field by field. */
export interface Inferred {
  /** Lower-case phrases, deduplicated, most relevant first, at most MAX_INFERRED_KEYWORDS. */
  keywords: string[];
  /** RE2-compatible patterns, priority 1..10; few (see regex.ts). */
  regex: { pattern: string; priority: number }[];
  /** picomatch globs, only for technologies the agent is clearly about. */
  file_patterns: string[];
  /** Canonical names, e.g. ['typescript', 'python']. */
  languages: string[];
  /** e.g. ['react', 'next.js', 'django']. */
  frameworks: string[];
  /** Topical areas, e.g. ['security', 'databases']. */
  domains: string[];
  /** 3–8 short capability phrases. */
  core: string[];
  responsibilities: { primary: string[]; secondary: string[] };
  tier: Tier;
}

/** Headings and item labels read for phrases and evidence. Real briefs have up to ~120 (wshobson
 * bolds a label on every bullet); the first ones name the main topics, the rest are detail. */
const MAX_TITLES = 80;

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
  keywords: [],
  regex: [],
  file_patterns: [],
  languages: [],
  frameworks: [],
  domains: [],
  core: [],
  responsibilities: { primary: [], secondary: [] },
  tier: 'specialist',
};

/**
 * Infers routing triggers and capabilities for one brief. Pure, deterministic, never throws:
 * an internal failure yields empty triggers and a CF3001 warning. CF3003 (info) says when fewer
 * than MIN_KEYWORDS keywords and no file patterns could be found.
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
  const location = { file: input?.source ?? '', line: 1, column: 1 };
  if (inferred.keywords.length === 0 && inferred.file_patterns.length === 0) {
    diagnostics.push(diagnostic('CF3001', `no triggers could be inferred for '${input?.id ?? ''}'`, location));
  } else if (inferred.keywords.length < MIN_KEYWORDS && inferred.file_patterns.length === 0) {
    const found = inferred.keywords.map((keyword) => `'${keyword}'`).join(', ');
    diagnostics.push(diagnostic('CF3003', `only ${inferred.keywords.length} keyword(s) inferred for '${input.id}': ${found}`, location));
  }
  return { inferred, diagnostics };
}
