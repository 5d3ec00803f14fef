/**
 * One tokenizer for the compiler and the router (issue #22 item 2): the compiler infers keywords
 * with the words, the case folding and the plural rule the router matches requests with.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFleet } from '../../src/fleet/load.js';
import { createRouter } from '../../src/router/staged-router.js';
import { phraseEdges, acceptOnBoundary } from '../../src/router/text.js';
import { foldString } from '../../src/util/fold.js';
import { pluralSuffix, PLURAL_ES, PLURAL_S, singular, STOP_WORDS, tokenize } from '../../src/util/words.js';
import { compileFiles } from '../support/compile.js';
import { clauses } from '../../src/compiler/infer/phrases.js';
import { proseKeyword } from '../../src/compiler/infer/collect-keywords.js';
import type { KeywordEvidence } from '../../src/router/types.js';

function brief(name: string, description: string): string {
  return `---\nname: ${name}\ndescription: ${description}\ntools: Read\n---\nYou are the ${name}.\n`;
}

/** The fleet compiled from `briefs` (path → text), loaded from a temp folder. */
function fleetOf(briefs: Record<string, string>) {
  const compiled = compileFiles(briefs);
  const dir = mkdtempSync(join(tmpdir(), 'cf-words-'));
  try {
    for (const [file, text] of compiled.files) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    const fleet = loadFleet(dir).fleet!;
    for (const entry of fleet.index.agents) fleet.definition(entry.id);
    return { fleet, definitions: compiled.definitions };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The keywords the router's keyword stage found for `agent` in `task`. */
function matchedKeywords(router: ReturnType<typeof createRouter>, task: string, agent: string): string[] {
  const candidate = router.route({ task }).candidates.find((entry) => entry.id === agent);
  return (candidate?.evidence ?? []).filter((e): e is KeywordEvidence => e.stage === 'keyword').map((e) => e.keyword);
}

/** Whether the keyword stage's boundary and plural rules accept `keyword` somewhere in `text`. */
function routerFinds(keyword: string, text: string): boolean {
  const folded = foldString(text);
  const edges = phraseEdges(keyword);
  for (let start = folded.indexOf(keyword); start >= 0; start = folded.indexOf(keyword, start + 1)) {
    if (acceptOnBoundary(text, start, start + keyword.length, edges.wordStart, edges.wordEnd, edges.plural) >= 0) return true;
  }
  return false;
}

describe('one tokenizer for the compiler and the router', () => {
  const { fleet, definitions } = fleetOf({
    'data/schema-designer.md': brief('schema-designer', 'Designs relational Database Schemas and indexes for Postgres services.'),
    'data/report-tuner.md': brief('report-tuner', 'Finds missing indexes behind slow dashboard queries and reads execution plans.'),
    'ops/release-manager.md': brief('release-manager', 'Plans releases, writes release notes and coordinates rollbacks.'),
  });
  const router = createRouter(fleet);
  const keywordsOf = (id: string) => definitions.find((d) => d.agent.id === id)?.triggers.keywords ?? [];

  it('a keyword inferred from a brief is matched by a request with the word in another case and inflection', () => {
    expect(keywordsOf('release-manager')).toContain('release note');
    expect(matchedKeywords(router, 'who writes the RELEASE NOTES for 2.3?', 'release-manager')).toContain('release note');
    expect(matchedKeywords(router, 'add a Release Note about the outage', 'release-manager')).toContain('release note');
    expect(keywordsOf('schema-designer')).toContain('relational database schema');
    expect(matchedKeywords(router, 'our Relational Database Schemas drifted', 'schema-designer')).toContain('relational database schema');
  });

  it('a plural in -ies stays as written, so the router finds it in the brief (was singularized to "… query", which never matched "… queries")', () => {
    expect(keywordsOf('report-tuner')).toContain('slow dashboard queries');
    expect(keywordsOf('report-tuner')).not.toContain('slow dashboard query');
    expect(matchedKeywords(router, 'Slow Dashboard Queries since the upgrade', 'report-tuner')).toContain('slow dashboard queries');
  });

  it('every description phrase the compiler keeps is found by the router in the description it came from', () => {
    const descriptions = [
      'Optimizes SQL queries, database schemas and search indexes; fixes flaky test suites and slow CI pipelines.',
      'Writes changelog entries, API references and release notes for libraries and their dependencies.',
      'Audits network policies, TLS certificates, access boxes and cache branches.',
    ];
    for (const description of descriptions) {
      for (const phrase of clauses(description)) expect(routerFinds(proseKeyword(phrase), description), phrase).toBe(true);
    }
  });

  it('no inferred keyword starts or ends with a word the router drops as a stop word', () => {
    const loaded = fleetOf({
      'x/flyway-helper.md': brief('flyway-helper', "Use when someone knows flyway or says 'got slow' or 'one breakpoint'."),
    });
    for (const definition of [...definitions, ...loaded.definitions]) {
      for (const keyword of definition.triggers.keywords) {
        const words = keyword.split(' ');
        expect(STOP_WORDS.has(words[0]!) || STOP_WORDS.has(words[words.length - 1]!), `${definition.agent.id}: '${keyword}'`).toBe(false);
      }
    }
  });
});

describe('singular and pluralSuffix', () => {
  it('singular is undone by the plural rule, or leaves the word as written', () => {
    for (const word of [
      'schemas',
      'processes',
      'boxes',
      'branches',
      'pipelines',
      'queries',
      'entries',
      'analytics',
      'kubernetes',
      'days',
    ]) {
      const base = singular(word);
      const suffix = pluralSuffix(base);
      const spelled = suffix === PLURAL_ES ? `${base}es` : suffix === PLURAL_S ? `${base}s` : base;
      expect(base === word || spelled === word, `${word} → ${base}`).toBe(true);
    }
    expect(singular('pipelines')).toBe('pipeline');
    expect(singular('queries')).toBe('queries');
  });

  it('the lexical tokens fold case as the keyword stage does (was "stanbul": toLowerCase split "İ" into i and a combining dot)', () => {
    expect(tokenize('İSTANBUL Resolvers')).toEqual([foldString('İSTANBUL'), 'resolver']);
  });
});
