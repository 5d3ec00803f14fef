/**
 * A Redis killed mid-run (SIGKILL, not restarted): the waiting run ends within its grace
 * (queue.redis_grace_ms) plus a few seconds, its unfinished tasks failed with CF8600 saying what
 * happened and how to go on, instead of waiting for ever; the worker says once that it lost Redis,
 * keeps reconnecting, and stops within its bound when told to.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { runWorker } from '../../src/cli/commands/worker.js';
import { redisServer, skipWithout } from '../support/requirements.js';
import { startRedis, type TestRedis } from '../support/runner-redis.js';
import { startCountingProvider, type CountingProvider } from './support/provider.js';
import { queueProject, writeTasks, type QueueProject } from './support/project.js';

const withoutRedis = skipWithout(redisServer, 'a Redis lost mid-run');
const ENV = { OPENAI_API_KEY: 'sk-test-queue-0123456789abcdef', CODEX_FLOW_PROVIDER: 'openai', CI: 'true' };
const GRACE_MS = 1_500;

describe.skipIf(withoutRedis)('a queue whose Redis dies mid-run', () => {
  let redis: TestRedis;
  let provider: CountingProvider;
  let project: QueueProject;
  beforeAll(async () => {
    redis = await startRedis();
    provider = await startCountingProvider(1_500);
    project = queueProject(redis.url, { q1: 2 }, `  redis_grace_ms: ${GRACE_MS}\n`);
  });
  afterAll(async () => {
    await provider?.close();
    await redis?.stop();
    project?.remove();
  });

  it('redis-killed-mid-run: the run fails its pending tasks with CF8600 after the grace; the worker says so and stops', async () => {
    const stop = new AbortController();
    const workerIO = memoryIO(project.root, { ...ENV, OPENAI_BASE_URL: provider.baseUrl(1) }, '');
    const worker = runWorker(workerIO, { concurrency: '2', graceMs: '500', aliases: 'q1' }, stop.signal);
    writeTasks(project.root, ['q1'], 6);
    const io = memoryIO(project.root, ENV, '');
    const run = main(['run', '--tasks', 'tasks.jsonl', '--json'], io);
    // The run's first start loads its modules: at load 30 that alone took over 30 s.
    const end = Date.now() + 90_000;
    while (provider.calls.length === 0) {
      if (Date.now() > end) throw new Error(`no model call within 90 s: ${io.err()}\n${workerIO.err()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    redis.signal('SIGKILL');
    const killed = Date.now();
    const code = await Promise.race([run, new Promise((resolve) => setTimeout(() => resolve('hung'), GRACE_MS + 15_000))]);
    expect(code, `${io.err()}\n${workerIO.err()}`).toBe(1);
    expect(Date.now() - killed).toBeGreaterThanOrEqual(GRACE_MS - 100);
    const result = JSON.parse(io.out());
    expect(result.counts.failed).toBe(6);
    for (const task of result.tasks) {
      expect(task.error).toContain('CF8600');
      expect(task.error).toContain('run the tasks again');
    }
    expect(io.err()).not.toMatch(/\n\s+at /); // no stack trace

    stop.abort();
    const stopped = await Promise.race([worker, new Promise((resolve) => setTimeout(() => resolve('hung'), 15_000))]);
    expect(stopped, workerIO.err()).toBe(0);
    const said = workerIO.err();
    expect(said.match(/lost the queue's Redis/g), said).toHaveLength(1);
    expect(said).toMatch(/stopped after \d+ job\(s\)/);
  }, 150_000);
});
