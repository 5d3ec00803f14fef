import { describe, expect, it } from 'vitest';
import { LexicalModel, type LexicalDocument } from '../../src/router/lexical-model.js';
import {
  EXPANSION_WEIGHT,
  SHAPE_WEIGHT,
  SITUATION_WEIGHT,
  expandTerms,
  expansionTable,
  shapeTerms,
  termExpansions,
} from '../../src/router/query-expansion.js';
import { tokenize } from '../../src/util/words.js';
import { lexicalTerms } from '../../src/router/tokenize.js';
import { explainLines } from '../../src/router/format.js';
import type { RouteCandidate } from '../../src/router/types.js';

const doc = (name: string, description: string): LexicalDocument => ({ name, description, keywords: [], responsibilities: [], body: '' });

describe('query expansion', () => {
  it("maps the words of requests to the vocabulary of briefs, in the model's own terms", () => {
    const terms = tokenize('translate the app into Spanish');
    const expanded = expandTerms(terms);
    expect(expanded.map((e) => e.term)).toEqual(expect.arrayContaining(['internationalization', 'localization']));
    expect(expanded.every((e) => e.from === 'translat')).toBe(true);
    // A two-word key matches the pair of words the request holds.
    expect(expandTerms(['memory', 'leak', 'memory leak']).map((e) => e.term)).toContain('profil');
    expect(expandTerms(['memory', 'leak'])).toEqual([]);
  });
  it('looks a term up among the keys that share its first letters and answers as the whole table', () => {
    // termExpansions tokenizes only the keys whose words start like the term: a key whose term
    // started otherwise would silently lose its expansions (and change the routes).
    const table = expansionTable();
    expect(table.size).toBeGreaterThan(100);
    for (const [term, expansions] of table) expect([term, termExpansions(term)]).toEqual([term, expansions]);
    expect(termExpansions('nothing-like-a-key')).toEqual([]);
  });
  it('never adds a term the request already has, and adds each term once', () => {
    const expanded = expandTerms(['slow', 'lag', 'performanc']);
    expect(expanded.map((e) => e.term)).not.toContain('performanc');
    expect(new Set(expanded.map((e) => e.term)).size).toBe(expanded.length);
    // The first request word that leads to a term names it (deterministic).
    expect(expanded.find((e) => e.term === 'profil')?.from).toBe('slow');
  });
  it("finds an agent that shares no word with the request, below one that has the request's own words, and says why", () => {
    const model = LexicalModel.build([
      doc('i18n-engineer', 'Internationalization and localization of web frontends'),
      doc('data-scientist', 'Statistics, notebooks and experiments'),
      doc('translator', 'Translate documents between languages'),
    ]);
    const hits = model.search('translate our app into Spanish and French');
    expect(hits.map((hit) => hit.doc)).toEqual([2, 0]);
    const terms = hits[1]!.terms;
    expect(terms).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ term: 'internationalization', from: 'translat' }),
        expect.objectContaining({ term: 'localization', from: 'translat' }),
      ]),
    );
    // The request's own words carry no `from`.
    expect(hits[0]!.terms.every((t) => t.from === undefined)).toBe(true);
    // Scored at EXPANSION_WEIGHT of the same term asked for directly.
    const direct = model
      .search('localization')
      .find((hit) => hit.doc === 0)!
      .terms.find((t) => t.term === 'localization')!;
    const viaExpansion = terms.find((t) => t.term === 'localization')!;
    expect(viaExpansion.contribution).toBeCloseTo(direct.contribution * EXPANSION_WEIGHT, 10);
    // Off, the agent is not found at all.
    expect(model.search('translate our app into Spanish and French', 0, false).map((hit) => hit.doc)).toEqual([2]);
  });
  it('leaves out expansion terms most agents share: they tell nobody apart and cost the most', () => {
    const model = LexicalModel.build([
      doc('web-localizer', 'Localization of web frontends'),
      doc('copy-editor', 'Localization of marketing copy'),
      doc('translator', 'Translate documents between languages'),
    ]);
    // "localization" is in two of three agents (over EXPANSION_MAX_DF, and more than one).
    expect(model.search('translate the settings screen').map((hit) => hit.doc)).toEqual([2]);
  });
  it('explains an expanded term with the request word it was added for', () => {
    const candidate: RouteCandidate = {
      id: 'i18n-engineer',
      rank: 1,
      score: 0.6,
      tier: 'specialist',
      domain: 'frontend',
      stages: ['semantic'],
      terms: [],
      evidence: [
        { stage: 'semantic', term: 'localization', field: 'description', contribution: 0.42, from: 'translat' },
        { stage: 'semantic', term: 'web', field: 'body', contribution: 0.2 },
      ],
    };
    expect(explainLines(candidate)).toEqual(
      expect.arrayContaining([
        'semantic term "localization" (for "translat") in description (+0.420)',
        'semantic term "web" in body (+0.200)',
      ]),
    );
  });
});

describe('situations without a role word (SITUATIONS)', () => {
  it('maps a situation to the work the briefs name, with the request word it came from', () => {
    const surge = expandTerms(tokenize('we may get a traffic surge next month'));
    expect(surge.map((e) => e.term)).toEqual(expect.arrayContaining(['scalability', 'load test', 'capacity plan']));
    expect(surge.every((e) => e.weight === SITUATION_WEIGHT)).toBe(true);
    expect(expandTerms(tokenize('our login page looks dated')).map((e) => e.term)).toContain('ui design');
    expect(expandTerms(lexicalTerms(['our emails land in the spam folder']).terms).map((e) => e.term)).toContain('email deliverability');
  });

  it('a situation finds the agent whose brief names the work, over one that shares an incidental word', () => {
    const model = LexicalModel.build([
      doc('performance-engineer', 'Load testing, capacity planning and scalability of services'),
      doc('growth-analyst', 'Monthly growth reports: what changed next month and why'),
    ]);
    expect(model.search('we may get a traffic surge when the campaign starts')[0]?.doc).toBe(0);
  });

  it('ordinary words are no situation: "trading", "next", "break", "report" expand to nothing of it', () => {
    const situationTerms = ['trad off', 'code review', 'monitor', 'penetration test', 'dashboard'];
    for (const text of ['our trading engine', 'what next', 'it breaks', 'a report'])
      expect(expandTerms(tokenize(text)).filter((e) => situationTerms.includes(e.term))).toEqual([]);
  });
});

describe('request shapes (SHAPES)', () => {
  it('a decision question adds the words of evaluating and deciding, named after its shape', () => {
    for (const text of ['ads or subscriptions?', 'should we split the repository?', 'postgres vs mongo for bookings?']) {
      const added = shapeTerms(text);
      expect(added.map((e) => e.term)).toEqual(expect.arrayContaining(['evaluat', 'decision']));
      expect(added.every((e) => e.from === 'a decision question' && e.weight === SHAPE_WEIGHT)).toBe(true);
    }
  });

  it('finished work asking what next adds the words of checking work', () => {
    expect(shapeTerms('I finished the refactor, what now?').map((e) => e.term)).toContain('code review');
  });

  it('a statement or a question of another kind has no shape', () => {
    expect(shapeTerms('add retries or timeouts to the client')).toEqual([]);
    expect(shapeTerms('why is the build slow?')).toEqual([]);
    expect(shapeTerms('I finished the refactor')).toEqual([]);
  });

  // Review finding: the first request term's weight stood, so `cve hack` and `hack cve` weighed
  // "security" 0.3 and 1.
  it('gives a term the highest weight any request term does, whatever their order', () => {
    const pick = (terms: string[]) =>
      expandTerms(terms)
        .map(({ term, weight }) => [term, weight] as const)
        .sort(([a], [b]) => a.localeCompare(b));
    const terms = tokenize('a cve got us hacked');
    expect(pick(terms)).toEqual(pick([...terms].reverse()));
  });

  it('keeps no entry for a term without expansions (a server sees every word of every request)', () => {
    expect(termExpansions('zzqx-no-such-term')).toBe(termExpansions('another-no-such-term'));
  });
});
