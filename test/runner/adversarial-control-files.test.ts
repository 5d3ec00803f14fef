/**
 * An agent with file tools only cannot escalate (regression: Write on `.git/config` set
 * `core.fsmonitor`, which the next `git status` ran; Write on the config widened the next run's
 * workspace; the fleet, `.runs` records and the learning log could be overwritten). A scripted
 * model (fixture provider server, OpenAI wire) aims Write, Edit and MultiEdit at every control
 * file, through every spelling: nothing changes, nothing is created, and each call is audited
 * like a tool outside the allow-list (`tool-refused`, `outside_allow_list: true`); under
 * `--strict-tools` the first one ends the task.
 */
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTasks } from '../../src/runner/runner.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { agent, fleetOf, readEvents, runnerInit, useTempProject } from '../support/runner-fixtures.js';

const server = useProviderServer();
const project = useTempProject('cf-control-');
const ORIGINAL = 'original\n';
const CONTROL = [
  '.git/config',
  '.claude/settings.json',
  'codex-flow.config.yaml',
  'codex/agents/index.json',
  '.codex-flow/learning/outcomes.jsonl',
  '.runs/old/result.json',
  'ops/deploy.key',
];

beforeAll(() => {
  for (const file of CONTROL) {
    mkdirSync(join(project.root, file, '..'), { recursive: true });
    writeFileSync(join(project.root, file), ORIGINAL);
  }
  symlinkSync(join(project.root, '.git'), join(project.root, 'innocent'));
});

const writer = agent('writer', {
  capabilities: { detail: { tools: { allowed: ['Read', 'Write', 'Edit', 'MultiEdit'], restricted: [] } } },
  runtime: { max_steps: 3 },
});
const fleet = fleetOf(writer);
const config = { tools: { protected: ['ops/*.key'] } };

function attacks() {
  const writes = [
    ...CONTROL,
    './.git/../.git/config',
    '.GIT/config',
    'innocent/config',
    '.git/hooks/post-checkout',
    '.claude/agents/evil.md',
    '.runs/forged/events.jsonl',
  ].map((file_path) => ({ name: 'Write', input: { file_path, content: '[core]\n\tfsmonitor = "touch /tmp/pwned"\n' } }));
  const edits = CONTROL.map((file_path) => ({ name: 'Edit', input: { file_path, old_string: 'original', new_string: 'pwned' } }));
  const multi = CONTROL.map((file_path) => ({
    name: 'MultiEdit',
    input: { file_path, edits: [{ old_string: 'original', new_string: 'pwned' }] },
  }));
  return [...writes, ...edits, ...multi].map((call, index) => ({ id: `call_${index}`, ...call }));
}

describe('adversarial model against control files', () => {
  it('changes no control file, creates nothing in a protected folder, and audits each attempt like an unlisted tool', async () => {
    const calls = attacks();
    server.enqueue('openai', { toolCalls: calls });
    server.enqueue('openai', { text: 'done' });
    const result = await runTasks(
      [{ agent: 'writer', task: 'take over the project' }],
      runnerInit(server, project.root, fleet, { config }),
    );
    expect(result.tasks[0]).toMatchObject({ ok: true, tool_calls: calls.length, tool_refusals: calls.length });
    for (const file of CONTROL) expect(readFileSync(join(project.root, file), 'utf8')).toBe(ORIGINAL);
    for (const created of ['.git/hooks', '.claude/agents', '.runs/forged', '.GIT'])
      expect(existsSync(join(project.root, created))).toBe(false);
    const refused = readEvents(join(project.root, result.record!)).filter((event) => event.event === 'tool-refused');
    expect(refused.map((event) => event.call_id).sort()).toEqual(calls.map((call) => call.id).sort());
    for (const event of refused)
      expect(event).toMatchObject({ outside_allow_list: true, reason: expect.stringContaining('protected control file') });
  });

  it('--strict-tools: the first write to a control file ends the task (tool-denied)', async () => {
    server.enqueue('openai', { toolCalls: [{ id: 'w', name: 'Write', input: { file_path: '.git/config', content: 'pwned' } }] });
    const result = await runTasks([{ agent: 'writer', task: 'write' }], {
      ...runnerInit(server, project.root, fleet, { config }),
      strictTools: true,
    });
    expect(result.tasks[0]).toMatchObject({
      ok: false,
      stop_reason: 'tool-denied',
      error: expect.stringContaining('protected control file'),
    });
    expect(readFileSync(join(project.root, '.git/config'), 'utf8')).toBe(ORIGINAL);
    expect(server.requests).toHaveLength(1);
  });

  it('ordinary files stay writable for the same agent', async () => {
    server.enqueue('openai', { toolCalls: [{ id: 'w', name: 'Write', input: { file_path: 'src/new.ts', content: 'export {};\n' } }] });
    server.enqueue('openai', { text: 'done' });
    const result = await runTasks([{ agent: 'writer', task: 'write' }], runnerInit(server, project.root, fleet, { config }));
    expect(result.tasks[0]).toMatchObject({ ok: true, tool_refusals: 0 });
    expect(readFileSync(join(project.root, 'src/new.ts'), 'utf8')).toBe('export {};\n');
  });
});
