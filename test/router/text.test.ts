import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AhoCorasick } from '../../src/router/stages/keyword/aho-corasick.js';
import { acceptOnBoundary, foldString, phraseEdges } from '../../src/router/text.js';
import { agentAliases } from '../../src/router/aliases.js';
import { stem, tokenize } from '../../src/util/words.js';
import { phraseBonus } from '../../src/router/score.js';

describe('foldString', () => {
  it('keeps the length even where toLowerCase would not', () => {
    const text = 'İstanbul ÜBER';
    expect('İ'.toLowerCase().length).toBe(2);
    expect(foldString(text)).toHaveLength(text.length);
    expect(foldString(text).slice(9)).toBe('über');
  });
});

describe('acceptOnBoundary', () => {
  const at = (text: string, phrase: string) => {
    const start = foldString(text).indexOf(phrase);
    const edges = phraseEdges(phrase);
    return acceptOnBoundary(text, start, start + phrase.length, edges.wordStart, edges.wordEnd, edges.plural);
  };
  it('rejects a word inside a word', () => expect(at('good', 'go')).toBe(-1));
  it('accepts non-word edges anywhere', () => {
    expect(at('asp.net', '.net')).toBe(7);
    expect(at('x=c++;', 'c++')).toBe(5);
  });
  it('extends over plurals and only plurals', () => {
    expect(at('resolvers.', 'resolver')).toBe(9);
    expect(at('classes', 'class')).toBe(7);
    expect(at('resolverx', 'resolver')).toBe(-1);
  });
});

describe('AhoCorasick', () => {
  it('reports overlapping matches with end offsets in the original text', () => {
    const automaton = new AhoCorasick(['he', 'she', 'hers', 'İs']);
    const out = new Int32Array(32);
    const count = automaton.scan('uSHErs İs', 9, out);
    const found = Array.from({ length: count }, (_, i) => `${automaton.patterns[out[i * 2]!]}@${out[i * 2 + 1]}`);
    expect(found).toEqual(['she@4', 'he@4', 'hers@6', 'İs@9']);
  });
  it('stops at the capacity of the output buffer', () => {
    const out = new Int32Array(4);
    expect(new AhoCorasick(['a']).scan('aaaaa', 5, out)).toBe(2);
  });
  it('reports what a naive search reports, in order and within the cap, on short and long texts (one and two streams)', () => {
    const unit = fc.constantFrom('a', 'b', 'B', ' ', 'İ', 'ab');
    const pattern = fc.array(unit, { minLength: 1, maxLength: 6 }).map((units) => units.join(''));
    fc.assert(
      fc.property(
        fc.uniqueArray(pattern, { minLength: 1, maxLength: 8 }),
        fc.array(unit, { maxLength: 120 }),
        fc.integer({ min: 1, max: 64 }),
        (patterns, units, capacity) => {
          const automaton = new AhoCorasick(patterns);
          const text = units.join('');
          const folded = foldString(text);
          const expected: string[] = [];
          for (let end = 1; end <= text.length; end++) {
            // One walk reports, per end offset, the longest pattern first, then shorter suffixes.
            // Patterns equal once folded share a state, which reports the first of them.
            const ending = automaton.patterns
              .map((p, i) => ({ p, i }))
              .filter(
                ({ p, i }) =>
                  automaton.patterns.indexOf(p) === i && p.length > 0 && end >= p.length && folded.slice(end - p.length, end) === p,
              );
            ending.sort((x, y) => y.p.length - x.p.length);
            for (const { i } of ending) expected.push(`${i}@${end}`);
          }
          const out = new Int32Array(capacity * 2);
          const count = automaton.scan(text, text.length, out);
          expect(Array.from({ length: count }, (_, i) => `${out[i * 2]}@${out[i * 2 + 1]}`)).toEqual(expected.slice(0, capacity));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('aliases and tokens', () => {
  it('one-word aliases need an @', () => {
    expect(agentAliases('review', 'review', 'x/review.md')).toEqual(['@review']);
    expect(agentAliases('ml-ops-graphql-architect', 'ml-ops-graphql-architect', 'plugins/ml-ops/agents/graphql-architect.md')).toContain(
      'graphql architect',
    );
  });
  it('stems plurals and drops stop words', () => {
    expect(tokenize('Adding the GraphQL resolvers')).toEqual(['add', 'graphql', 'resolver']);
    expect(stem('dependencies')).toBe('dependency');
  });
});

describe('phraseBonus', () => {
  it('counts words as split(/\\s+/) does, for any mix of ASCII and Unicode spaces', () => {
    const reference = (phrase: string) => Math.min(2, 1 + 0.5 * Math.max(0, phrase.split(/\s+/).filter(Boolean).length - 1));
    const units = fc.constantFrom('a', 'é', '#', ' ', '\t', '\n', '\u00a0', '\u2003', '\u3000', '\ufeff', '\u200b');
    fc.assert(
      fc.property(
        fc.array(units, { maxLength: 12 }).map((parts) => parts.join('')),
        (phrase) => phraseBonus(phrase) === reference(phrase),
      ),
    );
    expect(phraseBonus('graphql resolver')).toBe(1.5);
    expect(phraseBonus('a b c d')).toBe(2);
  });
});
