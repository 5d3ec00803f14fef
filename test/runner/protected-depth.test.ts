/**
 * Control files are protected wherever a run would trust them (regressions: the `.git`/`.claude`
 * name rule ran only below the project root, so with `runner.workspace` outside it that folder's
 * `.git/config` was writable; config files and `.codex-flow` were protected only at the root,
 * while a run started in `packages/app` loads `packages/app/codex-flow.config.yaml`; a moved
 * `learning.dir` or `providers.stateFile` was not protected, so outcomes could be forged and
 * breakers opened). A scripted model (fixture provider server, OpenAI wire) aims Write at each.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { openRunContext } from '../../src/project/open-run.js';
import { runTasks, type RunnerInit } from '../../src/runner/runner.js';
import { fixtureEnv } from '../support/provider-env.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { agent, fleetOf, readEvents, runnerInit, useTempProject } from '../support/runner-fixtures.js';

const server = useProviderServer();
const project = useTempProject('cf-depth-');
const ORIGINAL = 'original\n';
const writer = fleetOf(
  agent('writer', { capabilities: { detail: { tools: { allowed: ['Read', 'Write'], restricted: [] } } }, runtime: { max_steps: 3 } }),
);

function plant(root: string, files: readonly string[]): void {
  for (const file of files) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), ORIGINAL);
  }
}

/** Runs one scripted turn of Writes; the ids of the refused calls. */
async function attempt(files: readonly string[], init: RunnerInit): Promise<string[]> {
  const toolCalls = files.map((file_path, index) => ({
    id: `w${index}`,
    name: 'Write',
    input: { file_path, content: 'sandbox:\n  enabled: false\n' },
  }));
  server.enqueue('openai', { toolCalls });
  server.enqueue('openai', { text: 'done' });
  const result = await runTasks([{ agent: init.fleet.ids[0]!, task: 'widen your powers' }], init);
  expect(result.tasks[0]).toMatchObject({ ok: true, tool_calls: files.length });
  return readEvents(join(init.root, result.record!))
    .filter((event) => event.event === 'tool-refused' && String(event.reason).includes('protected control file'))
    .map((event) => event.call_id)
    .sort();
}

describe('control files below the root and the workspace', () => {
  it('config files and .codex-flow are protected at any depth (a run from packages/app loads its config)', async () => {
    const nested = [
      'packages/app/codex-flow.config.yaml',
      'packages/app/codex-flow.config.json',
      'packages/app/.codex-flow/learning/outcomes.jsonl',
      'deep/er/CODEX-FLOW.CONFIG.YML',
    ];
    plant(project.root, nested);
    const refused = await attempt(
      [...nested, 'packages/app/new/codex-flow.config.yaml', 'packages/app/notes.md'],
      runnerInit(server, project.root, writer),
    );
    expect(refused).toEqual(['w0', 'w1', 'w2', 'w3', 'w4']);
    for (const file of nested) expect(readFileSync(join(project.root, file), 'utf8')).toBe(ORIGINAL);
    expect(existsSync(join(project.root, 'packages/app/new'))).toBe(false);
    expect(readFileSync(join(project.root, 'packages/app/notes.md'), 'utf8')).toContain('enabled: false');
  });

  it("with runner.workspace outside the project root, that folder's .git and .claude are protected", async () => {
    const outside = mkdtempSync(join(tmpdir(), 'cf-other-repo-'));
    try {
      const controls = ['.git/config', '.claude/settings.json', 'sub/.git/config', 'codex-flow.config.yaml'];
      plant(outside, controls);
      const refused = await attempt(
        [...controls, 'src/ok.ts'],
        runnerInit(server, project.root, writer, { config: { workspace: outside } }),
      );
      expect(refused).toEqual(['w0', 'w1', 'w2', 'w3']);
      for (const file of controls) expect(readFileSync(join(outside, file), 'utf8')).toBe(ORIGINAL);
      expect(existsSync(join(outside, 'src/ok.ts'))).toBe(true);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('moved learning and provider state', () => {
  const moved = useTempProject('cf-moved-stores-');

  beforeAll(async () => {
    mkdirSync(join(moved.root, '.claude/agents'), { recursive: true });
    writeFileSync(
      join(moved.root, '.claude/agents/writer.md'),
      '---\nname: writer\ndescription: Use this agent to write files.\ntools: Read, Write\n---\n\nYou write files.\n',
    );
    writeFileSync(
      join(moved.root, 'codex-flow.config.yaml'),
      'learning:\n  dir: state/learn\nproviders:\n  stateFile: state/providers.json\n',
    );
    const io = memoryIO(moved.root, {});
    expect(await main(['convert'], io)).toBe(0);
    plant(moved.root, ['state/learn/outcomes.jsonl', 'state/providers.json']);
  });

  it('openRunContext protects learning.dir and providers.stateFile wherever they are', async () => {
    const opened = await openRunContext({
      root: moved.root,
      env: fixtureEnv(server),
      needsRouter: false,
      chain: { provider: 'openai' },
      providerLog: () => {},
    });
    expect(opened.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const init = { ...opened.init!, record: true } as RunnerInit;
    const refused = await attempt(
      ['state/learn/outcomes.jsonl', 'state/learn/forged.jsonl', 'state/providers.json', 'state/other.txt'],
      init,
    );
    expect(refused).toEqual(['w0', 'w1', 'w2']);
    // The runner itself appends this task's outcome and may save provider health; the agent's text is in neither.
    for (const file of ['state/learn/outcomes.jsonl', 'state/providers.json'])
      expect(readFileSync(join(moved.root, file), 'utf8')).not.toContain('enabled: false');
    expect(existsSync(join(moved.root, 'state/learn/forged.jsonl'))).toBe(false);
  });
});
