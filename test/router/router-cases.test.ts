/**
 * One case suite, run against both the staged router and the naive reference router: the set of
 * agents stages 0–2 find must be the same, and must be the expected one.
 */
import { describe, expect, it } from 'vitest';
import { createRouter } from '../../src/router/staged-router.js';
import { naiveCandidates } from './support/naive-router.js';
import { tableOf } from './support/tables.js';

const table = tableOf({
  'go-dev': { keywords: ['go', 'goroutine'] },
  'dotnet-dev': { keywords: ['c#', '.net', 'asp.net core'] },
  'cpp-dev': { keywords: ['c++'], files: ['**/*.{cpp,hpp}'] },
  'node-dev': { keywords: ['node.js', 'npm'], files: ['package.json'] },
  'dep-bot': { keywords: ['dependency'] },
  'graphql-dev': {
    keywords: ['graphql', 'resolver'],
    files: ['**/*.graphql'],
    regex: [{ pattern: '\\b(query|mutation)\\s+\\w+\\s*\\{', priority: 7 }],
  },
  'infra-dev': { keywords: ['terraform'], files: ['*.tf', 'infra/**'] },
  'sec-dev': {
    keywords: ['owasp'],
    files: ['**/.env*'],
    regex: [
      { pattern: 'CVE-\\d{4}-\\d+', priority: 9 },
      { pattern: '(a+)+$', priority: 1 },
    ],
  },
  'unicode-dev': { keywords: ['straße', 'über'] },
  helper: { tier: 'generalist' },
});

const cases: Array<{ name: string; task?: string; files?: string[]; expected: string[] }> = [
  { name: '"go" is a word, not part of "good"', task: 'this looks good to me', expected: [] },
  { name: '"go" on its own', task: 'write it in Go, please', expected: ['go-dev'] },
  { name: '"go" never takes a plural', task: 'the request goes out', expected: [] },
  { name: 'c# and .net match next to punctuation', task: 'port this C#/.NET service', expected: ['dotnet-dev'] },
  { name: 'c++ matches', task: 'a C++ template error', expected: ['cpp-dev'] },
  { name: 'node.js matches, "node" alone does not', task: 'upgrade Node.js; the node is fine', expected: ['node-dev'] },
  { name: 'plural s', task: 'two GraphQL resolvers', expected: ['graphql-dev'] },
  { name: 'plural ies', task: 'bump all dependencies', expected: ['dep-bot'] },
  { name: 'regex with offsets', task: 'patch CVE-2021-44228 now', expected: ['sec-dev'] },
  { name: 'nested-quantifier pattern still matches', task: 'aaaa', expected: ['sec-dev'] },
  { name: 'slash-less glob matches the basename', files: ['deep/infra-free/main.tf'], expected: ['infra-dev'] },
  { name: 'prefix glob', files: ['infra/modules/vpc/variables.yaml'], expected: ['infra-dev'] },
  { name: 'dotfiles are files', files: ['config/.env.production'], expected: ['sec-dev'] },
  { name: 'brace extensions', files: ['src/a.hpp', 'README.md'], expected: ['cpp-dev'] },
  { name: 'basename glob', files: ['web/package.json'], expected: ['node-dev'] },
  { name: 'Unicode case folding keeps offsets', task: 'ÜBER die STRASSE und die Straße', expected: ['unicode-dev'] },
  { name: 'task and files combine', task: 'add a resolver', files: ['infra/x.tf'], expected: ['graphql-dev', 'infra-dev'] },
  { name: 'agent named by id', task: 'ask @go-dev about it', expected: ['go-dev'] },
  { name: 'agent named by id with spaces', task: 'graphql dev: have a look', expected: ['graphql-dev'] },
  { name: 'nothing matches', task: 'write a sonnet', expected: [] },
];

const staged = createRouter({ triggers: table }, { options: { semantic: 'off', top: 100 } });
const implementations = {
  staged: (task: string, files: string[]) =>
    staged
      .route({ task, files })
      .candidates.filter((c) => c.stages.length > 0)
      .map((c) => c.id)
      .sort(),
  naive: (task: string, files: string[]) => naiveCandidates(table, task, files),
};

for (const [name, route] of Object.entries(implementations)) {
  describe(`${name} router`, () => {
    for (const c of cases) it(c.name, () => expect(route(c.task ?? '', c.files ?? [])).toEqual(c.expected));
  });
}
