/**
 * The tarball itself: it holds what the bin and the library need and nothing of the checkout, and
 * the installed package works as a library too (the README's TypeScript example, run as the
 * JavaScript it also is). The install uses only the tarball's `dependencies`, so a runtime
 * package left in devDependencies fails here and in every other e2e test.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { addSampleFleet } from './support/user-project.js';
import { userShell } from './support/user-shell.js';

const repositoryRoot = join(import.meta.dirname, '../..');
const install = inject('packedInstall');

/** The runtime names of src/index.ts (types are checked by tsc against the same file). */
const PUBLIC_NAMES = [
  'Budget',
  'CODES',
  'HTTP_GENERATE_PATH',
  'HTTP_PROTOCOL_VERSION',
  'Learning',
  'LearningOutcomeSink',
  'MemoryOutcomeSink',
  'PROVIDER_INTERFACE_VERSION',
  'ProviderChain',
  'ProviderChainError',
  'ProviderError',
  'Runner',
  'UnknownProviderError',
  'VERSION',
  'buildPlan',
  'checkFreshness',
  'continueSwarm',
  'convertFleet',
  'createProvider',
  'createProviderChain',
  'createRouter',
  'evaluate',
  'formatDiagnostic',
  'formatExplanation',
  'formatGitHub',
  'formatRoute',
  'formatRouteMarkdown',
  'hasErrors',
  'loadConfig',
  'loadFleet',
  'main',
  'memoryIO',
  'openLearning',
  'openRunContext',
  'openServedFleet',
  'openSwarmContext',
  'parseLabels',
  'recordOutcome',
  'resolveCompilerOptions',
  'resolveLearningOptions',
  'resolveProviderOptions',
  'resolveRouterOptions',
  'resolveRunnerOptions',
  'rewardOf',
  'routeLearned',
  'runSwarm',
  'runTask',
  'runTasks',
  'scorecards',
  'startServer',
  'userPromptHookReply',
  'validateFleet',
  'watchServedFleet',
  'withUserPromptHook',
];

describe('the packed tarball', () => {
  it('ships the launcher, the CLI bundle, the library, the schema, the docs and the licence, and no sources or tests', () => {
    const manifest = JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8'));
    const shipped = new Set(install.files);
    for (const target of Object.values<string>(manifest.bin)) expect(shipped).toContain(target.replace(/^\.\//, ''));
    for (const path of [
      'dist/codex-flow.cjs',
      manifest.main.replace(/^\.\//, ''),
      manifest.types.replace(/^\.\//, ''),
      'schema/codex-agent.schema.json',
      'LICENSE',
      'README.md',
      // The CLI's hints and --help name these pages (regression: the package shipped without docs/).
      'docs/integrations.md',
      'docs/serve.md',
      'docs/configuration.md',
    ]) {
      expect(shipped).toContain(path);
    }
    expect(install.files.filter((path) => /^(src|test|bench|scripts|\.claude|codex)\//.test(path))).toEqual([]);
  });

  it('installs the bin executable, linked where npm puts bins', () => {
    const bin = join(install.installDir, 'node_modules/.bin/codex-flow');
    expect(statSync(bin).mode & 0o111).not.toBe(0);
  });

  it('runs the README library example against the installed package', async () => {
    const shell = userShell(install, 'library');
    addSampleFleet(shell.project);
    const readme = readFileSync(join(repositoryRoot, 'README.md'), 'utf8');
    const example = /```ts\n([\s\S]*?from 'codex-flow'[\s\S]*?)```/.exec(readme)?.[1];
    expect(example, 'README.md has a ```ts example importing codex-flow').toBeDefined();
    writeFileSync(join(shell.project, 'example.mjs'), example!);
    // The example checks a fleet that was never compiled: it reports the missing files, by code.
    const outcome = await shell.sh('node example.mjs');
    expect(outcome.code, outcome.transcript).toBe(0);
    expect(outcome.stdout, outcome.transcript).toMatch(/^CF\d{4} /m);
  });

  // The library surface is a decision (src/index.ts): a name added or dropped must be added or dropped here too.
  it('exports exactly the public names from the installed package, each one usable', async () => {
    const shell = userShell(install, 'public-api');
    addSampleFleet(shell.project);
    // Compile, load, route: the three calls a library user makes first, through the public names only.
    const probe = `const m = await import('codex-flow');
const missing = Object.entries(m).filter(([, value]) => value === undefined).map(([name]) => name);
await m.convertFleet(m.resolveCompilerOptions(process.cwd()));
const { fleet } = m.loadFleet('codex/agents');
const routed = m.createRouter(fleet).route({ task: 'add a GraphQL resolver' }).candidates.length;
console.log(JSON.stringify({ names: Object.keys(m).sort(), missing, routed }));`;
    writeFileSync(join(shell.project, 'public-api.mjs'), probe);
    const outcome = await shell.sh('node public-api.mjs');
    expect(outcome.code, outcome.transcript).toBe(0);
    const seen = JSON.parse(outcome.stdout) as { names: string[]; missing: string[]; routed: number };
    expect(seen.missing).toEqual([]);
    expect(seen.routed).toBeGreaterThan(0);
    expect(seen.names).toEqual(PUBLIC_NAMES);
  });

  it('resolves the schema the package exports', async () => {
    const shell = userShell(install, 'schema-export');
    const outcome = await shell.sh(`node -e 'console.log(require("codex-flow/schema/codex-agent.schema.json").$schema)'`);
    expect(outcome.code, outcome.transcript).toBe(0);
    expect(outcome.stdout).toContain('2020-12');
  });
});
