/**
 * One redactor for everything a run or a bench writes (regression: hook output with a key was
 * stored as is in `.runs/*\/events.jsonl`; a key named through `apiKeyEnv` and echoed back in a
 * 401 body reached the record and `--json`). Each path is tested: the run record's events and
 * result, a log channel, the result a library caller gets, the memory entry the task leaves,
 * `codex-flow run --json`, and the bench report files.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBenchCommand } from '../../src/cli/commands/bench.js';
import { memoryIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { FileMemoryStore } from '../../src/runner/memory/file-store.js';
import { runTasks } from '../../src/runner/runner.js';
import { TEST_KEYS, fixtureEnv } from '../support/provider-env.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { agent, fleetOf, runnerInit, useTempProject } from '../support/runner-fixtures.js';

const server = useProviderServer();
const project = useTempProject('cf-redact-');

/** A gateway key under a name that says nothing, in a shape no pattern knows: only its value can find it. */
const GATEWAY_KEY = 'gw-Zq8mN3pL5vR7tX9wY2';
const SECRETS = {
  OPENAI_API_KEY: TEST_KEYS.openai,
  DATABASE_URL: 'postgres://app:db-pass-4567@db.internal/app',
  MEM_REDIS_URL: 'redis://:r3dis-pass-123@127.0.0.1:1',
  GITHUB_PAT: 'ghp_TESTpat0123456789abcdef',
};
const LEAKS = [TEST_KEYS.openai, 'db-pass-4567', 'r3dis-pass-123', SECRETS.GITHUB_PAT, GATEWAY_KEY];

function expectClean(where: string, text: string): void {
  for (const secret of LEAKS) expect(text, `${where} holds ${secret}`).not.toContain(secret);
}

function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('the run record, logs and result pass one redactor', () => {
  it('hook output and a model answer holding secrets are stored redacted (regression: events.jsonl held the key)', async () => {
    writeFileSync(
      join(project.root, '.env.local'),
      Object.entries(SECRETS)
        .map(([name, value]) => `${name}=${value}`)
        .join('\n'),
    );
    const leaky = agent('leaky', {
      hooks: {
        pre_task: [{ run: 'cat .env.local', timeout_ms: 5000 }],
        post_task: [{ run: 'cat .env.local >&2; exit 3', timeout_ms: 5000 }],
        failure: [],
      },
      observability: { log_channels: ['file:logs/agents.jsonl'] },
    });
    server.enqueue('openai', { text: `here you go: ${SECRETS.GITHUB_PAT} and ${SECRETS.DATABASE_URL}` });
    const memory = new FileMemoryStore(join(project.root, '.codex-flow/memory'));
    const result = await runTasks(
      [{ agent: 'leaky', task: 'leak' }],
      runnerInit(server, project.root, fleetOf(leaky), { env: SECRETS, memory }),
    );
    expect(result.tasks[0]).toMatchObject({ ok: true });
    const events = readFileSync(join(project.root, result.record!, 'events.jsonl'), 'utf8');
    expect(events).toContain('[redacted]');
    expectClean('events.jsonl', events);
    expectClean('result.json', readFileSync(join(project.root, result.record!, 'result.json'), 'utf8'));
    expectClean('the log channel', readFileSync(join(project.root, 'logs/agents.jsonl'), 'utf8'));
    expectClean('the returned result', JSON.stringify(result));
    const remembered = allFiles(join(project.root, '.codex-flow/memory'));
    expect(remembered.length).toBeGreaterThan(0);
    for (const file of remembered) expectClean(file, readFileSync(file, 'utf8'));
  });
});

describe('CLI and bench', () => {
  let cliProject: string;
  beforeAll(async () => {
    cliProject = await mkdtemp(join(tmpdir(), 'cf-redact-cli-'));
    await cp(new URL('../../codex/agents', import.meta.url), join(cliProject, 'codex/agents'), { recursive: true });
    writeFileSync(
      join(cliProject, 'codex-flow.config.yaml'),
      [
        'providers:',
        '  definitions:',
        `    gateway: { kind: openai-compatible, baseURL: "${server.baseUrl('openai')}", model: m1, apiKeyEnv: LLM_ACCESS }`,
        '',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await rm(cliProject, { recursive: true, force: true });
  });

  const env = () => ({ ...fixtureEnv(server), ...SECRETS, MEM_REDIS_URL: '', LLM_ACCESS: GATEWAY_KEY, CI: 'true' });

  it('run --json: a key named through apiKeyEnv and echoed in a 401 body is redacted in the output and the record', async () => {
    server.enqueue('openai', {
      status: 401,
      errorMessage: `Incorrect API key provided: ${GATEWAY_KEY}. Connection ${SECRETS.DATABASE_URL}`,
    });
    const io = memoryIO(cliProject, env(), '');
    const code = await main(['run', '--agent', 'api-designer', 'design it', '--provider', 'gateway', '--json'], io);
    expect(code).toBe(1);
    expect(io.out()).toContain('[redacted]');
    expectClean('--json', io.out());
    expectClean('stderr', io.err());
    for (const file of allFiles(join(cliProject, '.runs'))) expectClean(file, readFileSync(file, 'utf8'));
  });

  it('bench: the report files and --json hold no configured secret', async () => {
    server.setDefault('openai', {
      status: 401,
      errorMessage: `Incorrect API key provided: ${GATEWAY_KEY}; password ${SECRETS.MEM_REDIS_URL}`,
    });
    // A provider that answers, so the report is written (a bench where none answered writes nothing).
    server.setDefault('ollama', { text: 'fine' });
    const io = memoryIO(cliProject, env());
    await runBenchCommand(
      io,
      { prompt: 'hi', providers: 'gateway,ollama', runs: '1', warmup: '0', json: true },
      { now: () => new Date('2026-03-04T05:06:07Z') },
    );
    expectClean('bench --json', io.out());
    const files = allFiles(join(cliProject, 'data/bench'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expectClean(file, readFileSync(file, 'utf8'));
    expect(
      readFileSync(
        files.find((file) => file.endsWith('.md'))!,
        'utf8',
      ),
    ).toContain('[redacted]');
  });
});
