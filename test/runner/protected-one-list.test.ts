/**
 * One protected list for file tools and the command sandbox (regressions: entries of
 * `runner.sandbox.protected_paths` were refused to nothing but commands, so Write changed them;
 * `runner.tools.protected` globs and the control names below the root (a nested config file, a
 * nested `.git`) were writable by a sandboxed Bash, which mounts paths, not patterns). A scripted
 * model (fixture provider server, OpenAI wire) aims Write and Bash at each.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { resolveRunnerOptions } from '../../src/runner/options.js';
import { runTasks } from '../../src/runner/runner.js';
import { sandboxSupport } from '../../src/runner/sandbox.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { agent, fleetOf, readEvents, runnerInit, useTempProject } from '../support/runner-fixtures.js';

const server = useProviderServer();
const project = useTempProject('cf-one-list-');
const ORIGINAL = 'original\n';
const available = sandboxSupport().kind === 'bubblewrap';
const sandboxed = available || process.env.CI ? it : it.skip;
const FILES = ['ops/deploy.key', 'ops/notes.txt', 'legacy/secret.env', 'packages/app/codex-flow.config.yaml', 'vendor/lib/.git/config'];

beforeEach(() => {
  for (const file of FILES) {
    mkdirSync(join(project.root, file, '..'), { recursive: true });
    writeFileSync(join(project.root, file), ORIGINAL);
  }
});

const config = { tools: { protected: ['ops/*.key'], bash: { timeout_ms: 5_000 } }, sandbox: { protected_paths: ['legacy/secret.env'] } };

describe('runner.tools.protected is the one list', () => {
  it('sandbox.protected_paths is an alias: its entries join tools.protected, once', () => {
    const { options, diagnostics } = resolveRunnerOptions({
      tools: { protected: ['a/', 'b.txt'] },
      sandbox: { protected_paths: ['b.txt', 'c/'] },
    });
    expect(options.tools.protected).toEqual(['a/', 'b.txt', 'c/']);
    expect(options.sandbox.protectedPaths).toEqual(options.tools.protected);
    expect(diagnostics).toEqual([]);
  });

  it('file tools refuse an entry given as sandbox.protected_paths', async () => {
    const writer = fleetOf(
      agent('writer', { capabilities: { detail: { tools: { allowed: ['Write'], restricted: [] } } }, runtime: { max_steps: 2 } }),
    );
    server.enqueue('openai', {
      toolCalls: [
        { id: 'alias', name: 'Write', input: { file_path: 'legacy/secret.env', content: 'pwned' } },
        { id: 'glob', name: 'Write', input: { file_path: 'ops/deploy.key', content: 'pwned' } },
      ],
    });
    server.enqueue('openai', { text: 'done' });
    const result = await runTasks([{ agent: 'writer', task: 'write' }], runnerInit(server, project.root, writer, { config }));
    const refused = readEvents(join(project.root, result.record!))
      .filter((event) => event.event === 'tool-refused')
      .map((event) => event.call_id)
      .sort();
    expect(refused).toEqual(['alias', 'glob']);
    for (const file of ['legacy/secret.env', 'ops/deploy.key']) expect(readFileSync(join(project.root, file), 'utf8')).toBe(ORIGINAL);
  });

  sandboxed(
    'a sandboxed Bash cannot change what a glob or a name below the root protects, nor an aliased entry',
    async () => {
      const shell = fleetOf(
        agent('shell', {
          capabilities: { detail: { tools: { allowed: ['Bash'], restricted: [] } } },
          runtime: { max_steps: 2, timeout_ms: 30_000 },
        }),
      );
      const commands = FILES.map((file, index) => ({ id: `b${index}`, name: 'Bash', input: { command: `echo pwned > ${file}` } }));
      server.enqueue('openai', { toolCalls: commands });
      server.enqueue('openai', { text: 'done' });
      const result = await runTasks(
        [{ agent: 'shell', task: 'overwrite' }],
        runnerInit(server, project.root, shell, { config, record: false }),
      );
      expect(result.sandbox).toEqual({ kind: 'bubblewrap' });
      expect(result.tasks[0]).toMatchObject({ tool_calls: FILES.length });
      for (const file of FILES.filter((file) => file !== 'ops/notes.txt'))
        expect(readFileSync(join(project.root, file), 'utf8'), file).toBe(ORIGINAL);
      expect(readFileSync(join(project.root, 'ops/notes.txt'), 'utf8')).toBe('pwned\n');
    },
    60_000,
  );
});
