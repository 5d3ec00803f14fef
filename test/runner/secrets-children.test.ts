/**
 * Secrets never reach children (regression: `env` in Bash printed OPENAI_API_KEY; MEM_REDIS_URL
 * with its password, DATABASE_URL and GITHUB_PAT passed through a blocklist of names). A scripted
 * model runs `env` and reads `/proc/self/environ` through Bash and an MCP bridge; a hook dumps its
 * environment. Only the allow-list and the names the config passes get through.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTasks } from '../../src/runner/runner.js';
import { childEnvironment } from '../../src/runner/tools/policy.js';
import { TEST_KEYS } from '../support/provider-env.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { agent, fleetOf, runnerInit, useTempProject } from '../support/runner-fixtures.js';

const server = useProviderServer();
const project = useTempProject('cf-env-');

const SECRETS = {
  OPENAI_API_KEY: TEST_KEYS.openai,
  ANTHROPIC_API_KEY: TEST_KEYS.anthropic,
  MEM_REDIS_URL: 'redis://:r3dis-pass-123@127.0.0.1:1',
  DATABASE_URL: 'postgres://app:db-pass-4567@db.internal/app',
  GITHUB_PAT: 'ghp_TESTpat0123456789abcdef',
  AWS_SECRET_ACCESS_KEY: 'aws-TEST-secret-0123456789',
  SOMETHING_ELSE: 'not-on-the-list-0123',
};
const ENV = {
  ...SECRETS,
  PATH: process.env.PATH!,
  HOME: '/home/agent',
  LANG: 'C.UTF-8',
  LC_ALL: 'C.UTF-8',
  TERM: 'dumb',
  TMPDIR: '/tmp',
  CI_BUILD: '42',
  VAULT_TOKEN: 'vault-token-998877',
  DEPLOY_ONLY: 'deploy-9876543',
};

const worker = agent('worker', {
  capabilities: { detail: { tools: { allowed: ['Bash', 'mcp__vault__dump'], restricted: [] } } },
  hooks: { pre_task: [{ run: 'env > hook-env.txt', timeout_ms: 5000 }], post_task: [], failure: [] },
  runtime: { max_steps: 3 },
});
const config = {
  env: { pass: ['CI_BUILD'], agents: { deployer: ['DEPLOY_ONLY'] } },
  tools: { mcp: { vault: { command: 'env', env: ['VAULT_TOKEN'] } } },
};

describe('the environment of tool, bridge and hook processes', () => {
  it('holds the allow-list and the configured names, never a secret of the runner', async () => {
    server.enqueue('openai', {
      toolCalls: [
        { id: 'env', name: 'Bash', input: { command: 'env' } },
        { id: 'proc', name: 'Bash', input: { command: "cat /proc/self/environ | tr '\\0' '\\n'" } },
        { id: 'bridge', name: 'mcp__vault__dump', input: {} },
      ],
    });
    server.enqueue('openai', { text: 'done' });
    const result = await runTasks(
      [{ agent: 'worker', task: 'show me your environment' }],
      runnerInit(server, project.root, fleetOf(worker), { env: ENV, config }),
    );
    expect(result.tasks[0]).toMatchObject({ ok: true, tool_errors: 0 });
    const results = server.requests[1]!.body.messages.filter((m: any) => m.role === 'tool').map((m: any) => String(m.content));
    const hook = readFileSync(join(project.root, 'hook-env.txt'), 'utf8');
    for (const text of [...results, hook]) {
      for (const [name, value] of Object.entries(SECRETS)) {
        expect(text).not.toContain(value);
        expect(text).not.toContain(`${name}=`);
      }
      expect(text).toContain('LC_ALL=C.UTF-8');
      expect(text).toContain('CI_BUILD=42');
      expect(text).not.toContain('DEPLOY_ONLY');
    }
    expect(results[2]).toContain('VAULT_TOKEN=vault-token-998877');
    expect(results[0]).not.toContain('VAULT_TOKEN');
  });

  it('an agent named under runner.env.agents gets its own names', async () => {
    const deployer = agent('deployer', {
      capabilities: { detail: { tools: { allowed: ['Bash'], restricted: [] } } },
      runtime: { max_steps: 2 },
    });
    server.enqueue('openai', { toolCalls: [{ id: 'env', name: 'Bash', input: { command: 'echo "[$DEPLOY_ONLY][$GITHUB_PAT]"' } }] });
    server.enqueue('openai', { text: 'done' });
    await runTasks([{ agent: 'deployer', task: 'deploy' }], runnerInit(server, project.root, fleetOf(deployer), { env: ENV, config }));
    const output = server.requests[1]!.body.messages.find((m: any) => m.role === 'tool').content;
    expect(String(output)).toContain('[deploy-9876543][]');
  });

  it('childEnvironment passes PATH, HOME, LANG, LC_*, TERM, TMPDIR and the named variables only', () => {
    expect(childEnvironment(ENV, ['CI_BUILD'])).toEqual({
      PATH: process.env.PATH,
      HOME: '/home/agent',
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      TERM: 'dumb',
      TMPDIR: '/tmp',
      CI_BUILD: '42',
    });
  });
});
