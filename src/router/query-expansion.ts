/**
 * Query expansion for the lexical model: the words people use when they ask ("translate the app",
 * "the page is slow", "k8s") mapped to the words briefs are written in ("localization",
 * "performance", "kubernetes"). A brief says what an agent is; a request says what is wrong, and
 * the two often share no word (docs/routing.md, the dev sets' semantic-only misses).
 *
 * Naive approach: a synonym list merged into the query at full weight — a request about "tests"
 * then counts "testing", "qa" and "test automation" three times over and outweighs its own words.
 * What we do: each expansion term is scored at EXPANSION_WEIGHT of its BM25 contribution, only
 * when the request does not contain the term itself, only once however many words of the request
 * lead to it, and only when it is specific (in at most EXPANSION_MAX_DF of the agents, or in one).
 * An expansion's evidence names the request's word it was added for (`from`; the text output
 * says `semantic term "localization" (for "translat")`), so a user sees why an agent matched a
 * word the request never used.
 * Invariants: keys and expansions become terms through lexicalTerms, as the model's fields and
 * queries do (words, then pairs of neighbouring words), so a key matches a request's word or pair of
 * words exactly as the model sees it; the table is general software vocabulary written once
 * (before any dev-set run), not tuned per fleet or per dev set.
 */
import { lexicalTerms } from './tokenize.js';

/** Weight of an expansion term against the request's own words (0.3 / 0.5 / 0.7 measured, docs/routing.md). */
export const EXPANSION_WEIGHT = 0.3;

/**
 * Expansion terms found in more than this share of the fleet's agents are left out: at a third of
 * the weight they barely tell agents apart, and their postings are most of the search's time
 * (docs/routing.md has the cost and quality of each cap tried).
 */
export const EXPANSION_MAX_DF = 0.1;

/** Informal words of requests → the vocabulary of briefs. One row: [words people say, what briefs say]. */
const THESAURUS: ReadonlyArray<readonly [string, string]> = [
  [
    'translate, translation, translations, translated, locale, locales, multilingual, i18n, l10n',
    'internationalization, localization, i18n',
  ],
  [
    'slow, slower, sluggish, laggy, lag, latency, speed up, faster, bottleneck, freezes, hangs, takes forever',
    'performance, optimization, profiling',
  ],
  ['memory leak, leaks memory, oom, heap', 'memory, performance, profiling'],
  [
    'crash, crashes, crashing, broken, bug, bugs, stack trace, traceback, exception, segfault, panic, regression',
    'debugging, error, troubleshooting',
  ],
  ['flaky, intermittent', 'test, testing, reliability'],
  [
    'cve, vulnerability, vulnerabilities, exploit, xss, csrf, sql injection, pentest, leaked secret, hardening',
    'security, vulnerability, audit',
  ],
  ['k8s, kubectl, helm, pod, pods', 'kubernetes'],
  [
    'github actions, gitlab ci, jenkins, circleci, pipeline, pipelines, build fails, build failing',
    'ci, cd, continuous integration, deployment',
  ],
  ['deploy, deploys, deploying, rollout, rollback, release, releases, ship', 'deployment, release'],
  ['readme, docs, docstring, docstrings, guide, tutorial', 'documentation, technical writing'],
  ['schema, migration, migrations, table, tables, query, queries, orm', 'database, sql'],
  ['db, postgres, mysql, sqlite', 'database, sql'],
  ['dashboard, dashboards, chart, charts, plot, plots', 'visualization, analytics'],
  ['train, training, fine tune, classifier, neural, embeddings, ml', 'machine learning, model'],
  ['llm, gpt, chatbot, rag, prompt, prompts', 'llm, ai, prompt engineering'],
  ['unit test, unit tests, coverage, e2e', 'testing, test automation, qa'],
  ['refactor, clean up, cleanup, messy, spaghetti, tech debt, legacy', 'refactoring, code quality, modernization'],
  ['cost, costs, bill, spend, spending, cheaper, expensive', 'cost optimization, finops'],
  ['css, layout, button, buttons, responsive, ui, ux, component, components', 'frontend, ui'],
  ['endpoint, endpoints, rest, http api', 'api, backend'],
  ['incident, outage, downtime, postmortem, pager, paged', 'incident response, sre, reliability'],
  ['a11y, screen reader, wcag, aria, keyboard navigation, contrast', 'accessibility'],
  ['ios, android, iphone, react native, mobile app', 'mobile'],
  ['js', 'javascript'],
  ['ts', 'typescript'],
  ['py', 'python'],
  ['golang', 'go'],
  ['dockerfile, container, containers, image size', 'docker, container'],
  ['terraform, tf, cloudformation, iac, infra', 'infrastructure, infrastructure as code'],
  ['ec2, s3, lambda, gcp, azure, aws', 'cloud, aws'],
  ['login, oauth, sso, jwt, session, sessions, password, passwords', 'authentication, authorization, security'],
  ['logs, logging, tracing, traces, alert, alerts, alerting', 'observability, monitoring'],
  ['kafka, rabbitmq, pubsub, queue, queues', 'messaging, event driven'],
  ['scrape, scraping, crawler, crawl', 'scraping, data extraction'],
  ['gdpr, hipaa, soc2, privacy policy, terms of service, contract', 'compliance, legal'],
  ['roadmap, prd, user stories, requirements, prioritize', 'product management'],
  ['smart contract, solidity, web3, nft', 'blockchain'],
  ['unity, unreal, godot', 'game development'],
  ['bash, shell script, cron, crontab', 'scripting, automation'],
  ['landing page, newsletter, tagline, blog post, copywriting', 'marketing, content, copywriting'],
];

/** Request term → expansion terms (model terms: stemmed words and pairs), filled per term on its first lookup. */
const expansionsOf = new Map<string, string[]>();
/**
 * The table's keys by the first two letters of each of their words, as (row, key) in table
 * order. A key's term starts with the letters of one of its words (the term is its last word, or
 * the pair of its last two: tokenizing folds and stems the end of a word, never its start), so a
 * request term is looked up among the few keys that share its first two letters, and only those
 * are tokenized: tokenizing the whole table cost a route more than the search it feeds.
 */
let keysByPrefix: Map<string, Array<[row: number, key: string]>> | undefined;
const keyTerms = new Map<string, string | undefined>();
const rowExpansions = new Map<number, string[]>();

function candidateKeys(prefix: string): ReadonlyArray<[row: number, key: string]> {
  if (!keysByPrefix) {
    keysByPrefix = new Map();
    THESAURUS.forEach(([keys], row) => {
      for (const raw of keys.split(',')) {
        const key = raw.trim();
        for (const start of new Set(
          key
            .toLowerCase()
            .split(/[^a-z0-9]+/)
            .map((word) => word.slice(0, 2)),
        )) {
          if (!keysByPrefix!.has(start)) keysByPrefix!.set(start, []);
          keysByPrefix!.get(start)!.push([row, key]);
        }
      }
    });
  }
  return keysByPrefix.get(prefix) ?? [];
}

/** The term a key matches: a key of two words is matched as the pair the request's terms hold ("stack trace"). */
function keyTerm(key: string): string | undefined {
  if (!keyTerms.has(key)) keyTerms.set(key, lexicalTerms([key]).terms.at(-1));
  return keyTerms.get(key);
}

function expansionsOfRow(row: number): string[] {
  let expansions = rowExpansions.get(row);
  if (!expansions) {
    const targets = THESAURUS[row]![1].split(',');
    expansions = [...new Set(targets.flatMap((target) => lexicalTerms([target.trim()]).terms))];
    rowExpansions.set(row, expansions);
  }
  return expansions;
}

/** A request term's expansion terms: those of every key whose term it is, in table order, each once. */
export function termExpansions(term: string): readonly string[] {
  let known = expansionsOf.get(term);
  if (known) return known;
  known = [];
  for (const [row, key] of candidateKeys(term.slice(0, 2))) {
    if (keyTerm(key) !== term) continue;
    for (const expansion of expansionsOfRow(row)) if (expansion !== term && !known.includes(expansion)) known.push(expansion);
  }
  expansionsOf.set(term, known);
  return known;
}

/** The whole table (request term → expansion terms), built from every key: the reference termExpansions answers as. */
export function expansionTable(): Map<string, string[]> {
  const table = new Map<string, string[]>();
  for (const [keys, targets] of THESAURUS) {
    const expansions = [...new Set(targets.split(',').flatMap((target) => lexicalTerms([target.trim()]).terms))];
    for (const key of keys.split(',')) {
      const term = lexicalTerms([key.trim()]).terms.at(-1);
      if (term === undefined) continue;
      const known = table.get(term) ?? [];
      for (const expansion of expansions) if (expansion !== term && !known.includes(expansion)) known.push(expansion);
      table.set(term, known);
    }
  }
  return table;
}

/**
 * The expansion terms of a request's terms, each with the request term it came from, leaving out
 * terms the request has itself; in first-seen order (deterministic).
 *
 * @example expandTerms(['translat', 'app']) // [{ term: 'internationalization', from: 'translat' }, …]
 */
export function expandTerms(terms: readonly string[]): Array<{ term: string; from: string }> {
  const own = new Set(terms);
  const out: Array<{ term: string; from: string }> = [];
  const seen = new Set<string>();
  for (const term of terms) {
    for (const expansion of termExpansions(term)) {
      if (own.has(expansion) || seen.has(expansion)) continue;
      seen.add(expansion);
      out.push({ term: expansion, from: term });
    }
  }
  return out;
}
