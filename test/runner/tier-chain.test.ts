/**
 * Workload tiers end to end through the CLI and the real client libraries against the fixture
 * server: an agent's calls go to its tier's chain (`providers.tiers`), each member with the model
 * its entry names, failover walks that chain, and `run --dry-run` / `route --explain` show the tier,
 * the chain and why its members are in that order.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { fixtureEnv } from '../support/provider-env.js';
import { useProviderServer } from '../support/use-provider-server.js';

const server = useProviderServer();
let project: string;
beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'cf-tiers-'));
  await cp(new URL('../../codex/agents', import.meta.url), join(project, 'codex/agents'), { recursive: true });
  await writeFile(
    join(project, 'codex-flow.config.yaml'),
    [
      'providers:',
      '  backoffBaseMs: 0',
      '  tiers:',
      '    librarian: [anthropic:haiku, "ollama:qwen2.5:3b"]',
      '    reasoning: [openai:gpt-5]',
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

async function cli(argv: string[]) {
  const io = memoryIO(project, { ...fixtureEnv(server), CI: 'true' }, '');
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe("an agent runs on its tier's chain", () => {
  it('a librarian agent fails over from anthropic to ollama, each with its own model, whatever --provider says', async () => {
    server.enqueue('anthropic', { status: 503 });
    server.enqueue('ollama', { text: 'changelog written' });
    const { code, out } = await cli(['run', '--agent', 'changelog-writer', 'write the changelog', '--provider', 'openai', '--json']);
    expect(code).toBe(0);
    expect(server.requests.map((request) => [request.wire, request.body.model])).toEqual([
      ['anthropic', 'claude-haiku-4-5'],
      ['ollama', 'qwen2.5:3b'],
    ]);
    expect(JSON.parse(out).tasks[0]).toMatchObject({ provider: 'ollama', model: 'qwen2.5:3b' });
  });

  it("a tier without a chain (coding) runs on the run's providers", async () => {
    server.enqueue('openai', { text: 'done' });
    const { code } = await cli(['run', '--agent', 'graphql-resolver-engineer', 'add a resolver', '--provider', 'openai']);
    expect(code).toBe(0);
    expect(server.requests.map((request) => request.wire)).toEqual(['openai']);
  });

  it('run --dry-run shows the tier, the chain in order and why, in text and JSON', async () => {
    const text = await cli(['run', '--agent', 'changelog-writer', 'write the changelog', '--dry-run']);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/tier {6}librarian: no outcomes in this tier yet: the configured order/);
    expect(text.out).toMatch(/anthropic:haiku — configured position 1/);
    expect(text.out).toMatch(/providers anthropic → ollama/);
    const json = JSON.parse((await cli(['run', '--agent', 'security-auditor', 'audit', '--dry-run', '--json'])).out);
    expect(json.plans[0].tier).toMatchObject({ workload: 'reasoning', members: [{ provider: 'openai', model: 'gpt-5' }] });
    expect(json.plans[0].providers).toEqual(['openai']);
    expect(json.plans[0].model.per_provider[0]).toMatchObject({ provider: 'openai', model: 'gpt-5' });
    expect(server.requests).toEqual([]);
  });

  it("route --explain names the chosen agent's tier and chain", async () => {
    const text = await cli(['route', 'audit the login form for injection vulnerabilities', '--explain', 'security-auditor', '--no-record']);
    expect(text.out).toMatch(/tier of security-auditor: reasoning/);
    expect(text.out).toMatch(/1\. openai gpt-5/);
    const json = JSON.parse((await cli(['route', 'write the changelog for this release', '--explain', '--json', '--no-record'])).out);
    expect(json.tier.workload).toBe('librarian');
    expect(json.tier.chain.map((member: { provider: string }) => member.provider)).toEqual(['anthropic', 'ollama']);
  });
});
