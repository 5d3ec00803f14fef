/**
 * The YAML writer round-trips: whatever it writes, a YAML 1.2 reader reads back as the same
 * value — on tricky strings, on random data (fast-check) and on every compiled corpus definition.
 */
import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { writeYaml } from '../../src/compiler/yaml-writer.js';
import { compileCollection } from '../support/corpus.js';
import { sharedCorpus, skipWithout } from '../support/requirements.js';

const withoutCorpus = skipWithout(sharedCorpus, 'the YAML writer round trip over the corpus');

const roundTrip = (value: Record<string, unknown>) => expect(parse(writeYaml(value))).toEqual(value);

describe('writeYaml', () => {
  it('round-trips strings that look like other things', () => {
    const tricky = [
      '',
      ' ',
      'true',
      'no',
      'null',
      '~',
      '1',
      '1.5',
      '-1',
      '0x1f',
      '1e3',
      '12:30',
      '.inf',
      '- a',
      '? x',
      ': y',
      'a: b',
      'a #b',
      'a#b',
      '#c',
      '"q"',
      "'s'",
      '[x]',
      '{y}',
      '*a',
      '&b',
      '!t',
      '|',
      '>',
      '%d',
      '@x',
      '`x`',
      'tab\there',
      'trailing ',
      ' leading',
      'line\nbreak',
      'two\n\nparas\n',
      'end\n\n\n',
      ' indented\nblock',
      '\nstarts with newline',
      'bell\u0007',
      'crlf\r\n',
      'nbsp\u00a0',
      'emoji 😀',
      'C#',
      'c++',
      '-',
      '--',
      '---',
      '...',
      'a - b',
      'x:y',
      'http://a.b',
    ];
    roundTrip({ values: tricky, ...Object.fromEntries(tricky.map((text, index) => [`k${index}`, text])) });
    roundTrip({ 'key: with colon': 1, true: 'yes', '': 'empty key' });
  });

  it('writes multi-line text as a literal block', () => {
    expect(writeYaml({ prompt: 'You are a reviewer.\n\n## Focus\n- tests' })).toBe(
      'prompt: |-\n  You are a reviewer.\n\n  ## Focus\n  - tests\n',
    );
  });

  it('round-trips random JSON-like data', () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
        tie('array'),
        tie('object'),
      ),
      array: fc.array(tie('value'), { maxLength: 4 }),
      object: fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 }),
    }));
    fc.assert(
      fc.property(fc.dictionary(fc.string(), json.value, { maxKeys: 6 }), (value) => {
        const normalized = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
        roundTrip(normalized);
      }),
      { numRuns: 500 },
    );
  });

  it.skipIf(withoutCorpus)('round-trips every compiled corpus definition', async () => {
    for (const collection of ['VoltAgent__awesome-claude-code-subagents', 'wshobson__agents']) {
      const result = await compileCollection(collection);
      for (const definition of result.definitions) roundTrip(definition as unknown as Record<string, unknown>);
    }
  });
});
