/**
 * `codex-flow run` end to end, called through `main` with a captured CommandIO, on a copy of the
 * sample fleet, with every provider pointed at the fixture server.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { fixtureEnv } from '../support/provider-env.js';
import { startRedis } from '../support/runner-redis.js';
import { redisServer, skipWithout } from '../support/requirements.js';

const withoutRedis = skipWithout(redisServer, 'memory on Redis through `run`');
import { Redis } from 'ioredis';

const server = useProviderServer();
let project: string;
beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'cf-run-cli-'));
  await cp(new URL('../../codex/agents', import.meta.url), join(project, 'codex/agents'), { recursive: true });
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

async function cli(argv: string[], options: { cwd?: string; stdin?: string; env?: Record<string, string> } = {}) {
  // CI=true: routing without Thompson sampling, so which agent a task routes to is deterministic.
  const io = memoryIO(
    options.cwd ?? project,
    { ...fixtureEnv(server), CODEX_FLOW_PROVIDER: 'openai', CI: 'true', ...options.env },
    options.stdin ?? '',
  );
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

function readJsonl(file: string) {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

describe('codex-flow run', () => {
  it('--dry-run prints the plan (agent, why, tools, providers, limits, hooks) and runs nothing', async () => {
    const { code, out } = await cli(['run', '--route', 'fix the flaky login test', '--dry-run', '--fallback', 'ollama']);
    expect(code).toBe(0);
    expect(out).toContain('agent     flaky-test-hunter');
    expect(out).toMatch(/why\s+routed \(keyword/);
    expect(out).toMatch(/tools\s+Read, Grep, Glob, Edit, Bash/);
    expect(out).toContain('providers openai → ollama');
    expect(out).toMatch(/limits\s+timeout 600000 ms, 200 steps, 2 parallel \(priority, 256 queued max\)/);
    expect(out).toContain('address space 1024 MB (ulimit -v)');
    expect(out).not.toContain(' 0.000 ');
    expect(server.requests).toHaveLength(0);
    expect(existsSync(join(project, '.runs'))).toBe(false);
    expect(existsSync(join(project, '.codex-flow/decisions.jsonl'))).toBe(false);
  });

  it('--dry-run --json gives the same plan as data, hooks included', async () => {
    const { code, out } = await cli(['run', '--agent', 'graphql-resolver-engineer', 'add a resolver', '--dry-run', '--json']);
    expect(code).toBe(0);
    const plan = JSON.parse(out).plans[0];
    expect(plan).toMatchObject({
      agent: 'graphql-resolver-engineer',
      why: ['named on the command line or in the task'],
      hooks: { pre_task: ['npm run lint --silent'] },
    });
    expect(plan.tools.offered).toEqual(expect.arrayContaining(['Read']));
  });

  it('routes, runs the top agent and prints the answer; --json prints the run record', async () => {
    server.enqueue('openai', { text: 'The login test waits on a timer; use fake timers.' });
    const text = await cli(['run', '--route', 'fix the flaky login test']);
    expect(text.code).toBe(0);
    expect(text.out).toContain('The login test waits on a timer');
    expect(text.out).toMatch(/ok  flaky-test-hunter: completed · \d+ ms · 1 step\(s\) · openai\/gpt-4\.1-mini/);
    server.enqueue('openai', { text: 'ok' });
    const json = await cli(['run', '--agent', 'api-designer', 'review the pagination', '--json']);
    const result = JSON.parse(json.out);
    expect(result).toMatchObject({
      command: 'run',
      ok: true,
      counts: { ok: 1, failed: 0, rejected: 0 },
      tasks: [{ agent: 'api-designer', stop_reason: 'completed' }],
    });
    expect(existsSync(join(project, result.record, 'result.json'))).toBe(true);
    const log = (await readFile(join(project, '.codex-flow/logs/agents.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(log.at(-1)).toMatchObject({
      agent: { id: 'api-designer' },
      alias: 'api-designer',
      ok: true,
      provider: 'openai',
      stop_reason: 'completed',
    });
    const outcomes = (await readFile(join(project, '.codex-flow/outcomes.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(outcomes.at(-1)).toMatchObject({ agent: 'api-designer', ok: true, task_hash: result.tasks[0].task_hash });
    expect(outcomes.at(-2)).toMatchObject({ agent: 'flaky-test-hunter', route_id: expect.any(String) });
  });

  it('feeds the learner: a routed run records the decision, its outcome names it, and stats shows the task', async () => {
    const root = await mkdtemp(join(tmpdir(), 'cf-run-learn-'));
    try {
      await cp(join(project, 'codex/agents'), join(root, 'codex/agents'), { recursive: true });
      server.enqueue('openai', { text: 'fixed' });
      const run = await cli(['run', '--route', 'fix the flaky login test', '--json'], { cwd: root });
      expect(run.code).toBe(0);
      const routeId = JSON.parse(run.out).tasks[0].route.route_id;
      const decisions = readJsonl(join(root, '.codex-flow/decisions.jsonl'));
      expect(decisions).toEqual([expect.objectContaining({ route_id: routeId, chosen: 'flaky-test-hunter', explore: false })]);
      const [outcome] = readJsonl(join(root, '.codex-flow/outcomes.jsonl'));
      // The learner copied the decision's context in: the bandit updates W[trigger → agent] from it.
      expect(outcome).toMatchObject({ route_id: routeId, agent: 'flaky-test-hunter', ok: true, context: decisions[0].features });
      expect(outcome.context.length).toBeGreaterThan(0);
      const stats = await cli(['stats', '--json'], { cwd: root });
      expect(stats.code).toBe(0);
      const report = JSON.parse(stats.out);
      expect(report.outcomes).toBe(1);
      expect(report.agents).toEqual([expect.objectContaining({ id: 'flaky-test-hunter', tasks: 1 })]);
      expect(report.weights.some((w: { agent: string }) => w.agent === 'flaky-test-hunter')).toBe(true);
      // A named agent is not a routing decision: its outcome has no route_id and no decision is added.
      server.enqueue('openai', { text: 'ok' });
      expect((await cli(['run', '--agent', 'api-designer', 'x'], { cwd: root })).code).toBe(0);
      expect(readJsonl(join(root, '.codex-flow/decisions.jsonl'))).toHaveLength(1);
      expect(readJsonl(join(root, '.codex-flow/outcomes.jsonl'))[1]).not.toHaveProperty('route_id');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('--route-files routes by files, --alias runs a configured alias, --prompt reaches the model, --fallback takes over', async () => {
    server.enqueue('openai', { text: 'resolver reviewed' });
    const files = await cli(['run', '--route-files', 'src/graphql/schema.graphql', '--prompt', 'release is on Friday', '--json']);
    expect(files.code).toBe(0);
    expect(JSON.parse(files.out).tasks[0]).toMatchObject({
      agent: 'graphql-resolver-engineer',
      route: { stages: expect.arrayContaining(['files']) },
    });
    expect(JSON.stringify(server.requests[0]!.body.messages)).toContain('release is on Friday');
    const config = 'alias.config.yaml';
    await writeFile(
      join(project, config),
      'runner:\n  aliases:\n    fast-api: { id: api-designer, overrides: { runtime: { timeout_ms: 1234 } } }\n',
    );
    const plan = await cli(['run', '--alias', 'fast-api', 'review', '--config', config, '--dry-run', '--json']);
    expect(plan.err).toBe('');
    expect(JSON.parse(plan.out).plans[0]).toMatchObject({ agent: 'api-designer', alias: 'fast-api' });
    expect(plan.out).toContain('1234');
    // A retryable failure of the first provider moves on to the fallback within the same task.
    server.enqueue(
      'openai',
      { status: 500, errorMessage: 'down' },
      { status: 500, errorMessage: 'down' },
      { status: 500, errorMessage: 'down' },
    );
    server.enqueue('anthropic', { text: 'from anthropic' });
    const failover = await cli([
      'run',
      '--alias',
      'fast-api',
      'review',
      '--config',
      config,
      '--provider',
      'openai',
      '--fallback',
      'anthropic',
      '--json',
    ]);
    expect(failover.code).toBe(0);
    expect(JSON.parse(failover.out).tasks[0]).toMatchObject({
      alias: 'fast-api',
      agent: 'api-designer',
      provider: 'anthropic',
      text: 'from anthropic',
    });
  });

  it('--stream prints the output as it arrives', async () => {
    server.enqueue('openai', { text: 'streamed words here' });
    const { code, out } = await cli(['run', '--agent', 'api-designer', 'x', '--stream']);
    expect(code).toBe(0);
    expect(out.startsWith('streamed words here')).toBe(true);
  });

  it('a failed task exits 1 with the stop reason and the provider hint', async () => {
    server.enqueue('openai', { status: 400, errorMessage: 'bad request' });
    const { code, out } = await cli(['run', '--agent', 'api-designer', 'x']);
    expect(code).toBe(1);
    expect(out).toMatch(/FAIL api-designer: error/);
  });

  it('--tasks runs every valid line and reports the bad ones at their line; a skipped line fails the run (exit 1)', async () => {
    server.setDefault('openai', { text: 'done' });
    await writeFile(
      join(project, 'tasks.jsonl'),
      ['{"agent": "api-designer", "task": "one"}', 'not json', '{"task": "fix the flaky login test", "priority": 2}', ''].join('\n'),
    );
    const { code, out, err } = await cli(['run', '--tasks', 'tasks.jsonl']);
    expect(err).toContain('tasks.jsonl:2:1: error CF8005: not JSON');
    // Regression: the run exited 0 and --json said ok: true with a task silently lost.
    expect(code).toBe(1);
    const json = await cli(['run', '--tasks', 'tasks.jsonl', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toMatchObject({
      ok: false,
      diagnostics: expect.arrayContaining([expect.objectContaining({ code: 'CF8005' })]),
    });
    expect(out).toMatch(/ok  #1 api-designer: completed/);
    expect(out).toMatch(/ok  #2 flaky-test-hunter: completed/);
    // A line that parses but names an unknown agent is reported at its line too, and fails the run.
    await writeFile(
      join(project, 'tasks.jsonl'),
      ['{"agent": "api-designer", "task": "one"}', '', '{"alias": "ghost", "task": "two"}'].join('\n'),
    );
    const ghost = await cli(['run', '--tasks', 'tasks.jsonl']);
    expect(ghost.code).toBe(1);
    expect(ghost.err).toContain('tasks.jsonl:3:1: error CF8002: no agent or alias "ghost"');
    expect(ghost.out).toMatch(/FAIL #2 ghost: invalid/);
  });

  it.each([
    [['run', '--agent', 'no-such-agent', 'x'], 2, /CF8002: no agent or alias "no-such-agent"/],
    [['run', '--agent', 'api-desinger', 'x'], 2, /CF8002: no agent or alias "api-desinger"\n\s+hint: did you mean "api-designer"\?/],
    [['run'], 2, /give a task/],
    [['run', '--agent', 'a', '--alias', 'b', 'x'], 2, /not both/],
    [['run', '--agent', 'api-designer', 'x', '--provider', 'nope'], 2, /unknown provider "nope"/],
    [['run', '--agent', 'api-designer', 'x', '--provider', 'cli'], 2, /no provider configured \(cli: CODEX_FLOW_CLI_CMD is not set\)/],
  ])('user mistakes: %j exits %i with one line and no stack', async (argv, exit, message) => {
    const { code, err, out } = await cli(argv);
    expect(code).toBe(exit);
    expect(err).toMatch(message);
    expect(err.split('\n').filter((line) => /error|codex-flow:/.test(line))).toHaveLength(1);
    expect(err).not.toMatch(/\n\s+at /);
    expect(out).not.toMatch(/^run /m); // no run was started for a usage mistake
  });

  it.skipIf(withoutRedis)(
    'MEM_REDIS_URL selects Redis: the task is remembered there; an unreachable Redis is a warning and the file store serves',
    async () => {
      const redis = await startRedis();
      try {
        server.setDefault('openai', { text: 'remember me' });
        const plan = await cli(['run', '--agent', 'api-designer', 'x', '--dry-run'], { env: { MEM_REDIS_URL: redis.url } });
        expect(plan.out).toContain('memory    redis: reads agent/api-designer');
        const { code } = await cli(['run', '--agent', 'api-designer', 'remember this'], { env: { MEM_REDIS_URL: redis.url } });
        expect(code).toBe(0);
        const client = new Redis(redis.url);
        const keys = await client.keys('codex-flow:mem:agent/api-designer:e:*');
        expect(keys).toHaveLength(1);
        expect(await client.get(keys[0]!)).toContain('remember me');
        await client.quit();
      } finally {
        await redis.stop();
      }
      const down = await cli(['run', '--agent', 'api-designer', 'x'], { env: { MEM_REDIS_URL: 'redis://127.0.0.1:1/0' } });
      expect(down.code).toBe(0);
      expect(down.err).toContain('warning CF8020: Redis memory at redis://127.0.0.1:1/0 is unreachable');
    },
  );

  it('a missing fleet is one error with a hint', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'cf-empty-'));
    const { code, err } = await cli(['run', '--agent', 'x', 'y'], { cwd: empty });
    expect(code).toBe(1);
    expect(err).toBe(
      'codex-flow: error CF8002: no compiled fleet in codex/agents\n  hint: run `codex-flow convert` first, or point --fleet at the folder\n',
    );
    await rm(empty, { recursive: true, force: true });
  });
});
