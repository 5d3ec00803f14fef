import fc from 'fast-check';
import RE2 from 're2';
import { describe, expect, it } from 'vitest';
import { isAscii, requiredRegexLiteral } from '../../src/router/stages/regex/regex-literal.js';
import { REGEX_FLAGS } from '../../src/router/regex-check.js';
import { RegexStage } from '../../src/router/stages/regex/regex-stage.js';
import type { HitBuffers } from '../../src/router/types.js';
import { emptyHitBuffers } from '../support/hit-buffers.js';

describe('requiredRegexLiteral', () => {
  it('takes the longest top-level run of plain characters, lower-cased', () => {
    expect(requiredRegexLiteral('\\bkubectl\\b')).toBe('kubectl');
    expect(requiredRegexLiteral('\\bp[- ]?value\\b')).toBe('value');
    expect(requiredRegexLiteral('\\b[Dd]ockerfile\\b')).toBe('ockerfile');
    expect(requiredRegexLiteral('\\bterraform (plan|apply|state)\\b')).toBe('terraform ');
    expect(requiredRegexLiteral('node\\.js')).toBe('node.js');
    expect(requiredRegexLiteral('GraphQL')).toBe('graphql');
  });
  it('drops a quantified character from the run', () => {
    expect(requiredRegexLiteral('colou?r')).toBe('colo');
    expect(requiredRegexLiteral('ab{2,3}c')).toBe('a');
    expect(requiredRegexLiteral('x+yz')).toBe('yz');
  });
  it('gives up on what it does not decode', () => {
    for (const pattern of ['a|b', '\\x41pple', '\\pLabc', '\\Qa.b\\E', '(abc)', '[abc]']) expect(requiredRegexLiteral(pattern)).toBe('');
    expect(requiredRegexLiteral('caf\u00e9s')).toBe('caf');
    expect(requiredRegexLiteral('\u212Aelvin')).toBe('elvin');
    expect(requiredRegexLiteral('ab{,2}cd')).toBe('cd');
  });
  it('is contained in every ASCII text the pattern matches', () => {
    const atom = fc.constantFrom(
      'a',
      'B',
      'k',
      's',
      'x',
      ' ',
      '-',
      '\\.',
      '\\+',
      '\\b',
      '\\d',
      '.',
      '[ab]',
      '[^a]',
      '(a|b)',
      '(?:ks)',
      '^',
      '$',
      '{',
      '}',
      '?',
      '*',
      '+',
      '{2}',
      '{1,}',
      '|',
    );
    const pattern = fc.array(atom, { minLength: 1, maxLength: 8 }).map((parts) => parts.join(''));
    const text = fc
      .array(fc.constantFrom('a', 'A', 'b', 'k', 'K', 's', 'S', 'x', ' ', '-', '.', '+', '1', '{', '}'), { maxLength: 12 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(pattern, text, (source, subject) => {
        let regex: RE2;
        try {
          regex = new RE2(source, REGEX_FLAGS);
        } catch {
          return;
        }
        if (regex.test(subject)) expect(subject.toLowerCase()).toContain(requiredRegexLiteral(source));
      }),
      { numRuns: 3000, seed: 7 },
    );
  });
});

describe('RegexStage pre-check', () => {
  const buffers = (): HitBuffers => emptyHitBuffers();
  it('reports every copy of a repeated pattern and skips a set whose literals are absent', () => {
    const stage = new RegexStage();
    ['\\bkubectl\\b', '\\bhelm\\b', '\\bkubectl\\b'].forEach((pattern, i) => stage.add({ pattern, priority: 5 }, [i]));
    stage.build();
    const hits = buffers();
    stage.match('run KUBECTL apply', hits);
    expect(hits.regexHits).toEqual([0, 2]);
    hits.regexHits.length = 0;
    stage.match('nothing here', hits);
    expect(hits.regexHits).toEqual([]);
  });
  it('runs the sets on a non-ASCII task (Unicode case folding: K is U+212A)', () => {
    const stage = new RegexStage();
    stage.add({ pattern: 'kubectl', priority: 5 }, [0]);
    stage.build();
    const hits = buffers();
    stage.match('run \u212Aubectl apply', hits);
    expect(isAscii('run \u212Aubectl')).toBe(false);
    expect(hits.regexHits).toEqual([0]);
  });
});
