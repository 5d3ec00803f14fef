/**
 * A provider outage is not the agent's failure: a task whose model never answered (every provider
 * failed first) is recorded as `unavailable`, and learning neither counts it as a task of the agent
 * nor lowers its score; a request the providers refuse, and a task the model answered, count as before.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { fixtureEnv } from '../support/provider-env.js';

const server = useProviderServer();
let project: string;
beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'cf-outage-'));
  await cp(new URL('../../codex/agents', import.meta.url), join(project, 'codex/agents'), { recursive: true });
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

async function cli(argv: string[], env: Record<string, string> = {}) {
  const io = memoryIO(project, { ...fixtureEnv(server), CODEX_FLOW_PROVIDER: 'openai', CI: 'true', ...env });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

const agentCard = async () =>
  (JSON.parse((await cli(['stats', '--json'])).out).agents as Array<{ id: string; tasks: number }>).find(
    (card) => card.id === 'flaky-test-hunter',
  );

describe('a provider outage and learning', () => {
  it('a task no model answered is recorded as unavailable and is not a task of the agent', async () => {
    // Port 9 (discard) is closed on the loopback: every call fails before any model answers.
    const down = await cli(['run', '--agent', 'flaky-test-hunter', 'fix the flaky login test'], {
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
    });
    expect(down.code).toBe(1);
    const outcomes = readFileSync(join(project, '.codex-flow/outcomes.jsonl'), 'utf8').trim().split('\n');
    expect(JSON.parse(outcomes.at(-1)!)).toMatchObject({ agent: 'flaky-test-hunter', ok: false, stop_reason: 'unavailable' });
    expect((await agentCard())?.tasks ?? 0).toBe(0);
    // Nor is it a mistake for the rule book to remember.
    const rulesFile = join(project, '.codex-flow/rules.json');
    expect(existsSync(rulesFile) ? JSON.parse(readFileSync(rulesFile, 'utf8')).pending : []).toEqual([]);
  }, 60_000);

  it("a request every provider refuses (400: the brief's model, a prompt too long) is the agent's own failure", async () => {
    server.enqueue('openai', { status: 400 }, { status: 400 }, { status: 400 }, { status: 400 });
    expect((await cli(['run', '--agent', 'flaky-test-hunter', 'fix the flaky login test'])).code).toBe(1);
    const outcomes = readFileSync(join(project, '.codex-flow/outcomes.jsonl'), 'utf8').trim().split('\n');
    expect(JSON.parse(outcomes.at(-1)!)).toMatchObject({ agent: 'flaky-test-hunter', ok: false, stop_reason: 'error' });
    expect((await agentCard())?.tasks).toBe(1);
  }, 60_000);

  it('a task the model answered still counts', async () => {
    server.enqueue('openai', { text: 'done' });
    expect((await cli(['run', '--agent', 'flaky-test-hunter', 'fix the flaky login test'])).code).toBe(0);
    expect((await agentCard())?.tasks).toBe(2);
  }, 60_000);
});
