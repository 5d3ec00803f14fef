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

/**
 * Situations people describe without a role word ("it looks dated", "a traffic surge", "someone
 * got in") → the work the briefs name. Same rules as THESAURUS; general software situations.
 */
const SITUATIONS: ReadonlyArray<readonly [string, string]> = [
  ['dated, ugly, clunky, old fashioned, facelift, redesign', 'ui design, visual design, design system, user interface'],
  [
    'surge, spike, spikes, traffic spike, traffic surge, viral, peak load, launch day',
    'scalability, load testing, capacity planning, auto scaling',
  ],
  ['notify, notified, woken, paged at night', 'monitoring, alerting, incident response'],
  ['hacked, breached, intruder, stolen, suspicious login', 'security incident, breach, forensics'],
  ['on purpose, disaster, failover', 'chaos engineering, resilience, disaster recovery'],
  ['predict, predicting, forecast, forecasting', 'predictive model, forecasting, machine learning'],
  ['experiment, variant, split test', 'a/b test, statistical significance'],
  ['cohort, churned users, returning users', 'retention, cohort analysis, engagement'],
  ['furious, angry, upset, frustrated, unhappy, complaining, churn', 'customer success, retention, customer health'],
  ['junk, spam folder, bounce, bounces, land in spam', 'email deliverability, spf, dkim, dmarc'],
  ['google, search results, ranking', 'seo, search engine optimization, organic search'],
  ['signups, homepage, visitors, conversion', 'landing page, conversion, copywriting'],
  ['waiting on builds, build takes, compile time, slow build, slow builds', 'build performance, build system, compilation'],
  ['new hires, new hire, onboarding, local setup', 'developer experience, onboarding, tooling'],
  ['overwriting, overwrite, merge conflict, merge conflicts, push to main', 'git workflow, branching strategy'],
  ['outdated packages, old packages, npm audit, lockfile, upgrade packages', 'dependency management, version conflict'],
  ['hard to read, duplicated, copy paste, god class, huge file', 'refactoring, code smell, maintainability'],
  [
    'per seat, subscription, subscriptions, ads, monetize, freemium, pricing',
    'pricing strategy, business model, monetization, product strategy',
  ],
  ['versus, trade offs, pros and cons, decide, decision', 'evaluate, trade offs, technology selection'],
  ['second pair of eyes', 'code review, review'],
  ['stutter, stutters, frame rate, fps, frames, jank', 'rendering, graphics, frame'],
  ['offline, subway, airplane mode', 'offline, sync, mobile'],
  ['apple pay, google pay, take cards, accept cards, take payments, accept payments, refunds', 'payment gateway, payment, checkout'],
  ['patient, patients, clinic, hospital, medical records', 'healthcare, hipaa, phi'],
  ['personal data, consent, cookies, europe, european', 'gdpr, privacy, data protection'],
  ['hack us, attacker, attackers', 'penetration testing, vulnerability, security'],
  ['auditors, certification, certified', 'compliance, audit, controls'],
  ['hallucinate, hallucinates, hallucination, ignores instructions', 'prompt, rag, llm'],
  ['by hand, manually, snowflake servers', 'infrastructure as code, automation'],
  ['icon, icons, favicon, logo, splash screen', 'visual assets, icons'],
  ['standup, standups, retro, retros, velocity, ceremonies', 'agile, scrum'],
  ['slipping, deadline, deadlines, timeline, milestones', 'project plan, project management'],
  ['backlog, stale tickets', 'backlog, prioritization'],
  ['market size, rivals, competitor, competitors', 'market research, competitive analysis, market sizing'],
  ['business idea, startup idea, app idea', 'idea validation, market validation'],
  ['sensor, sensors, device fleet', 'iot, device management, edge'],
  ['motor, microcontroller, interrupt, interrupts, board resets', 'embedded, firmware, microcontroller'],
  ['slides, deck, presentation', 'presentation, slides, pptx'],
  ['internal wiki, knowledge base, answers questions', 'rag, retrieval, knowledge base'],
  ['missing rows, import job, nightly job, nightly import, etl', 'data pipeline, etl, data quality'],
  ['kpi, kpis, metrics report', 'dashboard, reporting, data analysis'],
  ['mailbox, mailboxes, outlook, sharepoint', 'microsoft 365, exchange online'],
  ['windows domain, domain controller, domain controllers, group policy', 'active directory, windows server'],
  ['diagram', 'diagram, architecture diagram'],
  ['retries between services, timeouts between services, mtls', 'service mesh'],
];

/**
 * Weight of a situation's expansion (SITUATIONS): full, as if the request had the word. A request
 * that describes a situation usually has no other word the right brief uses, and the situation's
 * keys are specific phrases, so the role word it implies stands in for the missing one (the
 * weights tried: docs/routing.md).
 */
export const SITUATION_WEIGHT = 1;

/** One expansion of a request term: a model term and the share of its BM25 contribution it adds. */
export interface Expansion {
  term: string;
  weight: number;
}

/** Every row of both tables with the weight of its expansions, in table order. */
const ROWS: ReadonlyArray<{ keys: string; targets: string; weight: number }> = [
  ...THESAURUS.map(([keys, targets]) => ({ keys, targets, weight: EXPANSION_WEIGHT })),
  ...SITUATIONS.map(([keys, targets]) => ({ keys, targets, weight: SITUATION_WEIGHT })),
];

/** Request term → its expansions (model terms: stemmed words and pairs), filled per term on its first lookup. */
const expansionsOf = new Map<string, Expansion[]>();
/**
 * The rows' keys by the first two letters of each of their words, as (row, key) in table order.
 * A key's term starts with the letters of one of its words (the term is its last word, or the
 * pair of its last two: tokenizing folds and stems the end of a word, never its start), so a
 * request term is looked up among the few keys that share its first two letters, and only those
 * are tokenized: tokenizing the whole table cost a route more than the search it feeds.
 */
let keysByPrefix: Map<string, Array<[row: number, key: string]>> | undefined;
const keyTerms = new Map<string, string | undefined>();
const rowExpansions = new Map<number, string[]>();

function candidateKeys(prefix: string): ReadonlyArray<[row: number, key: string]> {
  if (!keysByPrefix) {
    keysByPrefix = new Map();
    ROWS.forEach(({ keys }, row) => {
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
    const targets = ROWS[row]!.targets.split(',');
    expansions = [...new Set(targets.flatMap((target) => lexicalTerms([target.trim()]).terms))];
    rowExpansions.set(row, expansions);
  }
  return expansions;
}

/** Adds `term` at `weight` to `known`, or raises the weight of the entry it already has. */
function addExpansion(known: Expansion[], term: string, weight: number): void {
  const same = known.find((entry) => entry.term === term);
  if (same === undefined) known.push({ term, weight });
  else same.weight = Math.max(same.weight, weight);
}

/** A request term's expansions: those of every key whose term it is, in table order, each once at its highest weight. */
export function termExpansions(term: string): readonly Expansion[] {
  const cached = expansionsOf.get(term);
  if (cached) return cached;
  const known: Expansion[] = [];
  for (const [row, key] of candidateKeys(term.slice(0, 2))) {
    if (keyTerm(key) !== term) continue;
    for (const expansion of expansionsOfRow(row)) if (expansion !== term) addExpansion(known, expansion, ROWS[row]!.weight);
  }
  // Only terms with expansions are kept: a server sees every word and pair of every request, and
  // a miss is cheap to repeat (keyTerms holds the table's keys, a bounded set).
  if (known.length === 0) return NO_EXPANSIONS;
  expansionsOf.set(term, known);
  return known;
}

const NO_EXPANSIONS: readonly Expansion[] = Object.freeze([]);

/** The whole table (request term → expansions), built from every key: the reference termExpansions answers as. */
export function expansionTable(): Map<string, Expansion[]> {
  const table = new Map<string, Expansion[]>();
  for (const { keys, targets, weight } of ROWS) {
    const expansions = [...new Set(targets.split(',').flatMap((target) => lexicalTerms([target.trim()]).terms))];
    for (const key of keys.split(',')) {
      const term = lexicalTerms([key.trim()]).terms.at(-1);
      if (term === undefined) continue;
      const known = table.get(term) ?? [];
      for (const expansion of expansions) if (expansion !== term) addExpansion(known, expansion, weight);
      table.set(term, known);
    }
  }
  return table;
}

/**
 * The expansion terms of a request's terms, each with the request term it came from and its
 * weight, leaving out terms the request has itself; in first-seen order (deterministic).
 *
 * @example expandTerms(['translat', 'app']) // [{ term: 'internationalization', from: 'translat', weight: 0.3 }, …]
 */
export function expandTerms(terms: readonly string[]): Array<{ term: string; from: string; weight: number }> {
  const own = new Set(terms);
  const out: Array<{ term: string; from: string; weight: number }> = [];
  const seen = new Map<string, { term: string; from: string; weight: number }>();
  for (const term of terms) {
    for (const { term: expansion, weight } of termExpansions(term)) {
      if (own.has(expansion)) continue;
      const known = seen.get(expansion);
      // Each term once, at the highest weight any request term gives it, named after that term:
      // the answer does not depend on the order of the request's words.
      if (known) {
        if (weight > known.weight) Object.assign(known, { from: term, weight });
        continue;
      }
      const entry = { term: expansion, from: term, weight };
      seen.set(expansion, entry);
      out.push(entry);
    }
  }
  return out;
}

/**
 * Shapes of a request that say what kind of help it wants, whatever its topic: a decision
 * question ("ads or subscriptions?", "should we split the repo?") wants an agent that evaluates
 * and decides; finished work asking what comes next ("I finished the refactor, what now?") wants
 * the agents that check work. Each: a test on the request's text and the brief words it implies.
 */
const SHAPES: ReadonlyArray<{ name: string; test: (text: string) => boolean; targets: string }> = [
  {
    name: 'a decision question',
    test: (text) =>
      /\?\s*$/.test(text) &&
      (/\b[\w.+#-]+ or [\w.+#-]+/.test(text) || /^(should|which|is it worth|do we need)\b/.test(text) || /\b(vs\.?|versus)\s/.test(text)),
    targets: 'evaluate, trade offs, decision, technology selection, strategy',
  },
  {
    name: 'finished work asking what next',
    test: (text) =>
      /\b(finished|completed|wrapped up|merged|shipped|deployed|released|pushed)\b/.test(text) &&
      /(what now|now what|what next|what's next|is everything ok|anything else)/.test(text),
    targets: 'review, code review, verification, health check',
  },
];

/** Weight of a shape's expansion terms: full, as a situation's (the weights tried: docs/routing.md). */
export const SHAPE_WEIGHT = 1;

let shapeTable: Array<{ name: string; test: (text: string) => boolean; terms: string[] }> | undefined;

/**
 * The expansion terms of the request's shapes (SHAPES), each naming its shape as `from`.
 *
 * @example shapeTerms('ads or subscriptions?') // [{ term: 'evaluat', from: 'a decision question', weight: 1 }, …]
 */
export function shapeTerms(query: string): Array<{ term: string; from: string; weight: number }> {
  shapeTable ??= SHAPES.map(({ name, test, targets }) => ({
    name,
    test,
    terms: [...new Set(targets.split(',').flatMap((target) => lexicalTerms([target.trim()]).terms))],
  }));
  const text = query.trim().toLowerCase();
  return shapeTable
    .filter((shape) => shape.test(text))
    .flatMap((shape) => shape.terms.map((term) => ({ term, from: shape.name, weight: SHAPE_WEIGHT })));
}
