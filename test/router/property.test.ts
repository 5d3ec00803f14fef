/**
 * Property: on random fleets and random requests, the staged router's candidates for stages 0–2
 * are exactly the naive reference router's.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRouter } from '../../src/router/staged-router.js';
import { naiveCandidates } from './support/naive-router.js';
import { tableOf, type AgentSpec } from './support/tables.js';

const words = [
  'go',
  'api',
  'react',
  'node.js',
  'c#',
  'c++',
  '.net',
  'graph',
  'graphql',
  'query',
  'straße',
  'über',
  'test',
  'tests',
  'dependency',
  'class',
  'ci',
  'é',
];
const word = fc.constantFrom(...words);
const phrase = fc.array(word, { minLength: 1, maxLength: 2 }).map((w) => w.join(' '));
const pattern = fc.constantFrom('\\bapi\\b', 'gra(ph|b)', 'c\\+\\+', 'q[a-z]+y', '\\d{3}', 'node\\.js', '^test', 'ss$', 'é');
const glob = fc.constantFrom(
  '**/*.ts',
  '*.tf',
  'src/**',
  'infra/*.tf',
  '**/.env*',
  'package.json',
  '**/Dockerfile',
  '*.{ts,tsx}',
  'docs/**/*.md',
  '!**/*.md',
  '**/test/**',
);
const pathSegment = fc.constantFrom('src', 'infra', 'docs', 'test', '.github', 'a', 'b');
const fileName = fc.constantFrom(
  'main.ts',
  'x.tsx',
  'main.tf',
  '.env',
  '.env.local',
  'package.json',
  'Dockerfile',
  'README.md',
  'a.test.ts',
  'noext',
);
const path = fc.tuple(fc.array(pathSegment, { maxLength: 3 }), fileName).map(([dirs, name]) => [...dirs, name].join('/'));
const spec: fc.Arbitrary<AgentSpec> = fc.record({
  keywords: fc.array(phrase, { maxLength: 3 }),
  regex: fc.array(fc.record({ pattern, priority: fc.integer({ min: 1, max: 10 }) }), { maxLength: 1 }),
  files: fc.array(glob, { maxLength: 2 }),
});
const fleet = fc.dictionary(fc.constantFrom('a-one', 'b-two', 'c', 'd-four', 'e'), spec, { minKeys: 1, maxKeys: 5 });
const filler = fc.constantFrom(
  ' ',
  ', ',
  'good ',
  'Go',
  'API',
  'GraphQL ',
  'STRASSE ',
  'x',
  '\u{1F680}',
  'İ',
  'tests ',
  'dependencies ',
  'classes ',
  '123 ',
  'a one ',
  '@c ',
);
const task = fc.array(fc.oneof(word, filler), { maxLength: 12 }).map((parts) => parts.join(''));

describe('staged router ≡ naive router on stages 0–2', () => {
  it('finds the same candidates', () => {
    fc.assert(
      fc.property(fleet, task, fc.array(path, { maxLength: 4 }), (agents, text, files) => {
        const table = tableOf(agents);
        const router = createRouter({ triggers: table }, { options: { semantic: 'off', top: 100 } });
        const staged = router
          .route({ task: text, files })
          .candidates.filter((c) => c.stages.length > 0)
          .map((c) => c.id)
          .sort();
        expect(staged).toEqual(naiveCandidates(table, text, files));
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});
