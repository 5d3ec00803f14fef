/**
 * Redis memory faults, each a regression test for what was found from outside:
 * - MEM_REDIS_URL pointing at nothing turned memory off silently and `run` never exited (still
 *   running at 90 s): it now falls back to the file store with a warning and exits;
 * - with `runner.memory.required: true` the same run fails with a clear error within 5 s;
 * - a Redis that accepts connections and never answers (SIGSTOP) hung `run` forever;
 * - a Redis killed mid-run lost memory writes with exit 0 and no warning.
 * Each test starts its own redis-server on a free loopback port; every wait is bounded.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { openMemoryStore } from '../../src/runner/memory/agent-memory.js';
import { fixtureEnv } from '../support/provider-env.js';
import { startRedis, type TestRedis } from '../support/runner-redis.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { bundledCli } from '../support/child-script.js';

const server = useProviderServer();
let project: string;
let redis: TestRedis | undefined;

beforeEach(async () => {
  project = await mkdtemp(join(tmpdir(), 'cf-memfault-'));
  await cp(new URL('../../codex/agents', import.meta.url), join(project, 'codex/agents'), { recursive: true });
});
afterEach(async () => {
  await redis?.stop();
  redis = undefined;
  await rm(project, { recursive: true, force: true });
});

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** `promise`, or a rejection after `ms`: a hang fails the test instead of stalling the suite. */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

async function cli(argv: string[], env: Record<string, string>) {
  const io = memoryIO(project, { ...fixtureEnv(server), CODEX_FLOW_PROVIDER: 'openai', CI: 'true', ...env }, '');
  const started = Date.now();
  const code = await within(45_000, main(argv, io));
  return { code, out: io.out(), err: io.err(), ms: Date.now() - started };
}

function lastResult() {
  const runs = join(project, '.runs');
  const [record] = readdirSync(runs).sort().reverse();
  return JSON.parse(readFileSync(join(runs, record!, 'result.json'), 'utf8'));
}

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('MEM_REDIS_URL pointing at nothing', () => {
  it('falls back to the file store with a warning, and the process exits by itself', async () => {
    const url = `redis://:hunter2@127.0.0.1:${await closedPort()}/0`;
    server.enqueue('openai', { text: 'reviewed' });
    const child = new Promise<{ code: number | null; stderr: string; killed: boolean }>((resolve) => {
      execFile(
        process.execPath,
        [
          // The CLI bundled once as plain node (test/support/child-script.ts): no tsx loader to start.
          bundledCli(),
          'run',
          '--agent',
          'api-designer',
          'review the pagination',
        ],
        {
          cwd: project,
          timeout: 60_000,
          killSignal: 'SIGKILL',
          env: {
            ...process.env,
            ...fixtureEnv(server),
            CODEX_FLOW_PROVIDER: 'openai',
            CI: 'true',
            MEM_REDIS_URL: url,
          } as NodeJS.ProcessEnv,
        },
        (error, _stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stderr, killed: error?.killed ?? false }),
      );
    });
    const { code, stderr, killed } = await child;
    expect(killed).toBe(false);
    expect({ code, stderr }).toMatchObject({ code: 0 });
    expect(stderr).toContain('CF8020');
    expect(stderr).toContain('using the file store');
    expect(stderr).not.toContain('hunter2');
    const files = readdirSync(join(project, '.codex-flow/memory'));
    expect(files).toEqual(['agent%2Fapi-designer.jsonl']);
  }, 90_000);

  it('with runner.memory.required: true, fails with a clear error within 5 s and runs nothing', async () => {
    await writeFile(join(project, 'codex-flow.config.yaml'), 'runner:\n  memory:\n    required: true\n');
    const url = `redis://127.0.0.1:${await closedPort()}/0`;
    const { code, err } = await cli(['run', '--agent', 'api-designer', 'review'], { MEM_REDIS_URL: url });
    expect(code).toBe(1);
    expect(err).toMatch(/error CF8021: Redis memory at redis:\/\/127\.0\.0\.1:\d+\/0 is unreachable: connect ECONNREFUSED/);
    // the store's part of that, timed alone (the CLI's own start-up varies with the machine's load)
    const started = Date.now();
    await expect(openMemoryStore(project, { dir: 'm', redisUrl: url, required: true })).rejects.toThrow(/unreachable/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(server.requests).toHaveLength(0);
    expect(existsSync(join(project, '.runs'))).toBe(false);
  });
});

describe('a Redis that accepts connections and never answers', () => {
  it('at start: the store falls back within the connect timeout', async () => {
    redis = await startRedis();
    redis.signal('SIGSTOP');
    const warnings: string[] = [];
    const started = Date.now();
    const store = await within(
      10_000,
      openMemoryStore(project, { dir: '.codex-flow/memory', redisUrl: redis.url }, Date.now, (message) => warnings.push(message)),
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(store.kind).toBe('file');
    expect(warnings[0]).toMatch(/no answer from redis:\/\/127\.0\.0\.1:\d+\/0 within 2000 ms/);
  });

  it('mid-run: the write fails within the command timeout; a task warning, in the record, exit 1', async () => {
    redis = await startRedis();
    server.enqueue('openai', { text: 'reviewed', latencyMs: 300 });
    const running = cli(['run', '--agent', 'api-designer', 'review the pagination'], { MEM_REDIS_URL: redis.url });
    await until(() => server.requests.length > 0);
    redis.signal('SIGSTOP');
    const { code, out, err } = await running;
    expect(code).toBe(1);
    expect(out).toContain('ok  api-designer: completed');
    expect(out).toMatch(/memory write failed: .*timed out/i);
    expect(err).toContain('error CF8022');
    expect(lastResult()).toMatchObject({ ok: false, tasks: [{ stop_reason: 'completed', memory_errors: [{ op: 'write' }] }] });
  });
});

describe('a Redis killed mid-run', () => {
  it('loses no memory write silently: every task either wrote or says it did not, and the exit code is 1', async () => {
    redis = await startRedis();
    const tasks = Array.from({ length: 6 }, (_, index) => JSON.stringify({ agent: 'api-designer', task: `review endpoint ${index}` })).join(
      '\n',
    );
    await writeFile(join(project, 'tasks.jsonl'), `${tasks}\n`);
    for (let index = 0; index < 6; index++) server.enqueue('openai', { text: `done ${index}`, latencyMs: 200 });
    const running = cli(['run', '--tasks', 'tasks.jsonl', '--json'], { MEM_REDIS_URL: redis.url });
    await until(() => server.requests.length > 0);
    redis.signal('SIGKILL');
    const { code, out } = await running;
    const result = JSON.parse(out);
    expect(code).toBe(1);
    expect(result.ok).toBe(false);
    const lost = result.tasks.filter((task: { memory_errors?: Array<{ op: string }> }) =>
      task.memory_errors?.some((problem) => problem.op === 'write'),
    );
    expect(lost.length).toBeGreaterThan(0);
    const events = readFileSync(join(project, result.record, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const writes = events.filter((event) => event.event === 'memory-write' && event.ok).length;
    const failures = events.filter((event) => event.event === 'memory-error' && event.op === 'write').length;
    expect(writes + failures).toBe(6);
    expect(failures).toBe(lost.length);
    expect(result.diagnostics.filter((d: { code: string }) => d.code === 'CF8022')).toHaveLength(lost.length);
  });
});
