/**
 * Redaction is one redactor in practice (regressions: the provider chain built its own redactor
 * without the memory URL's password, so the provider log missed it; `run --json` printed what
 * opening the project found unredacted; `AUTH` and `SESSION` anywhere in a variable's name made
 * `GIT_AUTHOR_NAME` and `DESKTOP_SESSION` secrets, so "Alice Smith" was scrubbed from records).
 * Both directions are tested: what is a credential is scrubbed, what is not stays readable.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import type { ProviderLogEvent } from '../../src/providers/chain.js';
import { secretsFromEnv } from '../../src/providers/redact.js';
import { openRunContext } from '../../src/project/open-run.js';
import { runTasks } from '../../src/runner/runner.js';
import { fixtureEnv } from '../support/provider-env.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { agent, fleetOf, runnerInit, useTempProject } from '../support/runner-fixtures.js';

const server = useProviderServer();
const project = useTempProject('cf-one-redactor-');
/** A password only the config file's memory URL holds: neither the environment nor a shape knows it. */
const MEMORY_PASSWORD = 'cfg-redis-pw-7731';
const CONFIG_WITH_MEMORY_URL = `runner:\n  memory:\n    redis_url: "redis://:${MEMORY_PASSWORD}@127.0.0.1:1"\n`;
const temporary: string[] = [];
afterEach(async () => {
  for (const dir of temporary.splice(0)) await rm(dir, { recursive: true, force: true });
});

const CREDENTIALS = {
  NPM_AUTH: 'npm-auth-value-4821',
  AUTH_TOKEN: 'auth-token-value-9913',
  HTTP_AUTHORIZATION: 'authz-value-5530',
  SESSION_KEY: 'session-key-value-2217',
  APP_SESSION_TOKEN: 'app-session-tok-6642',
  SESSION_ID: 'session-id-value-8819',
};
const PLAIN = {
  GIT_AUTHOR_NAME: 'Alice Smith',
  GIT_COMMITTER_NAME: 'Bob Jones',
  DESKTOP_SESSION: 'gnome-classic',
  XDG_SESSION_TYPE: 'wayland',
  AUTHOR: 'Carol King',
};

async function projectWith(config: string, withFleet: boolean): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'cf-one-redactor-cli-'));
  temporary.push(root);
  if (withFleet) await cp(new URL('../../codex/agents', import.meta.url), join(root, 'codex/agents'), { recursive: true });
  writeFileSync(join(root, 'codex-flow.config.yaml'), config);
  return root;
}

describe('which environment variables hold credentials', () => {
  it('AUTH as a word part, AUTHORIZATION and session keys are secrets; names and desktop sessions are not', () => {
    const secrets = secretsFromEnv({ ...CREDENTIALS, ...PLAIN });
    for (const value of Object.values(CREDENTIALS)) expect(secrets).toContain(value);
    for (const value of Object.values(PLAIN)) expect(secrets).not.toContain(value);
  });

  it("a run record keeps the author's name and scrubs the credentials (scripted model echoes both)", async () => {
    const echo = [...Object.values(CREDENTIALS), ...Object.values(PLAIN)].join(' | ');
    server.enqueue('openai', { text: `environment: ${echo}` });
    const result = await runTasks(
      [{ agent: 'echo', task: 'print the environment' }],
      runnerInit(server, project.root, fleetOf(agent('echo')), { env: { ...CREDENTIALS, ...PLAIN } }),
    );
    expect(result.tasks[0]).toMatchObject({ ok: true });
    const stored =
      readFileSync(join(project.root, result.record!, 'result.json'), 'utf8') +
      readFileSync(join(project.root, result.record!, 'events.jsonl'), 'utf8');
    for (const value of Object.values(PLAIN)) expect(stored).toContain(value);
    for (const value of Object.values(CREDENTIALS)) expect(stored).not.toContain(value);
  });
});

describe("the provider log and run --json pass the run's redactor", () => {
  it("the provider log knows the memory URL's password from the config file", async () => {
    const root = await projectWith(CONFIG_WITH_MEMORY_URL, true);
    const logged: ProviderLogEvent[] = [];
    const opened = await openRunContext({
      root,
      env: fixtureEnv(server),
      needsRouter: false,
      chain: { provider: 'openai' },
      providerLog: (event) => logged.push(event),
    });
    server.setDefault('openai', { status: 500, errorMessage: `backend said: auth ${MEMORY_PASSWORD} rejected` });
    const result = await runTasks([{ agent: 'api-designer', task: 'design it' }], { ...opened.init!, record: false });
    expect(result.tasks[0]?.ok).toBe(false);
    const errors = logged.filter((event) => event.event === 'provider-error');
    expect(errors.length).toBeGreaterThan(0);
    expect(JSON.stringify(logged)).toContain('[redacted]');
    expect(JSON.stringify(logged)).not.toContain(MEMORY_PASSWORD);
  }, 30_000);

  it('run --json: what opening the project reports is redacted too', async () => {
    const root = await projectWith(`${CONFIG_WITH_MEMORY_URL}  tools:\n    protected:\n      - { pasted: "${MEMORY_PASSWORD}" }\n`, false);
    const io = memoryIO(root, { ...fixtureEnv(server), CI: 'true' }, '');
    expect(await main(['run', '--agent', 'api-designer', 'design it', '--json'], io)).toBe(1);
    const output = JSON.parse(io.out()) as { diagnostics: Array<{ code: string; message: string }> };
    expect(output.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['CF8010', 'CF8002']));
    expect(io.out()).toContain('[redacted]');
    expect(io.out()).not.toContain(MEMORY_PASSWORD);
    expect(io.err()).not.toContain(MEMORY_PASSWORD);
  });
});
