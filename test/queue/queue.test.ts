/**
 * The queue's contracts one at a time, with a worker in this process (`runWorker` with a stop
 * signal): Redis unreachable at start says so within 5 s; a full alias queue rejects with CF8001
 * as in process; a job for another fleet is refused (CF8502), listed by `runs failed` and put back
 * by `runs retry`, and with queue.fleets set a job whose hash names no folder is that same CF8502; the shared budget never lets parallel reservations pass the limit; SIGTERM's
 * grace ends by putting the jobs in hand back in their queue.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { runWorker } from '../../src/cli/commands/worker.js';
import { queueName, aliasesKey } from '../../src/queue/keys.js';
import { sharedBudget } from '../../src/queue/budget.js';
import { bullPriority } from '../../src/queue/strategy.js';
import { JOB_FORMAT } from '../../src/queue/job.js';
import { redisServer, skipWithout } from '../support/requirements.js';
import { startRedis, type TestRedis } from '../support/runner-redis.js';
import { startCountingProvider, type CountingProvider } from './support/provider.js';
import { queueProject, writeTasks, type QueueProject } from './support/project.js';

const withoutRedis = skipWithout(redisServer, 'the task queue');
const ENV = { OPENAI_API_KEY: 'sk-test-queue-0123456789abcdef', CODEX_FLOW_PROVIDER: 'openai', CI: 'true' };

describe.skipIf(withoutRedis)('the task queue', () => {
  let redis: TestRedis;
  let provider: CountingProvider;
  let project: QueueProject;
  let client: Redis;
  beforeAll(async () => {
    redis = await startRedis();
    provider = await startCountingProvider(20);
    project = queueProject(
      redis.url,
      { q1: 1, q2: 2 },
      '',
      '    q1x:\n      id: api-designer\n      max_queued: 2\n      overrides: { runtime: { concurrency: { max_parallel_tasks: 1 } }, capabilities: { detail: { tools: { allowed: [] } } } }\n',
    );
    client = new Redis(redis.url);
  });
  afterAll(async () => {
    client?.disconnect();
    await provider?.close();
    await redis?.stop();
    project?.remove();
  });

  function worker(extra: string[] = [], env: Record<string, string> = {}) {
    const stop = new AbortController();
    const io = memoryIO(project.root, { ...ENV, OPENAI_BASE_URL: provider.baseUrl(7), ...env }, '');
    const done = runWorker(io, { concurrency: '2', graceMs: '300', ...(extra.length ? { aliases: extra.join(',') } : {}) }, stop.signal);
    return {
      stop: () => {
        stop.abort();
        return done;
      },
      io,
    };
  }

  it('Redis unreachable at start: run, worker and queue stats stop with CF8501 within 5 s, never hang', async () => {
    const silent = await startRedis();
    silent.signal('SIGSTOP'); // accepts connections, never answers
    try {
      // The modules of `run` loaded once first (a dry run needs no Redis): the bound is on the wait.
      await main(['run', '--alias', 'q1', 'hello', '--dry-run'], memoryIO(project.root, ENV, ''));
      for (const argv of [['run', '--alias', 'q1', 'hello'], ['worker'], ['queue', 'stats']]) {
        const io = memoryIO(project.root, { ...ENV, CODEX_FLOW_QUEUE_URL: silent.url }, '');
        const started = Date.now();
        const code = await main(argv, io);
        expect(Date.now() - started, argv.join(' ')).toBeLessThan(5_000);
        expect(code).toBe(1);
        expect(io.err()).toContain('CF8501');
        expect(io.err()).not.toMatch(/\n\s+at /); // no stack trace
      }
    } finally {
      await silent.stop();
    }
  }, 60_000); // the 5 s bound is per command; loading the commands' modules at load 25+ takes the rest

  it('a full alias queue rejects with CF8001, as in process', async () => {
    // No worker yet: 1 counts as running, 2 wait (max_queued), the other 2 are refused at once.
    writeTasks(project.root, ['q1x'], 5);
    const io = memoryIO(project.root, ENV, '');
    const run = main(['run', '--tasks', 'tasks.jsonl', '--json'], io);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const running = worker(['q1x']);
    const code = await run;
    await running.stop();
    const result = JSON.parse(io.out());
    expect(result.counts).toEqual({ ok: 3, failed: 0, rejected: 2 });
    expect(code).toBe(1);
    expect(result.diagnostics.filter((d: { code: string }) => d.code === 'CF8001')).toHaveLength(2);
  }, 60_000);

  it('a job for a fleet this worker does not have is refused (CF8502), listed by runs failed, re-queued by runs retry', async () => {
    await client.hset(aliasesKey('codex-flow'), 'q2', queueName('q2'));
    const queue = new Queue(queueName('q2'), { connection: client, prefix: 'codex-flow' });
    await queue.add(
      'task',
      {
        v: JOB_FORMAT,
        run_id: 'r-other',
        index: 0,
        alias: 'q2',
        agent: 'api-designer',
        task: 'q2: from elsewhere',
        files: [],
        fleet_hash: 'sha256:0000other',
        events: 'codex-flow:run:r-other:events',
      },
      { jobId: 'other-fleet-1', attempts: 3 },
    );
    const running = worker(['q2']);
    let failed: Array<{ id: string; reason: string; attempts: number }> = [];
    const end = Date.now() + 20_000;
    while (Date.now() < end) {
      const io = memoryIO(project.root, ENV, '');
      await main(['runs', 'failed', '--json'], io);
      failed = JSON.parse(io.out()).failed;
      if (failed.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await running.stop();
    expect(failed).toHaveLength(1);
    expect(failed[0]!.id).toBe('other-fleet-1');
    expect(failed[0]!.reason).toContain('CF8502');
    expect(failed[0]!.attempts).toBe(1); // refused for good: no retry can bring the fleet
    const text = memoryIO(project.root, ENV, '');
    await main(['runs', 'failed'], text);
    expect(text.out()).toContain('other-fleet-1');
    const retry = memoryIO(project.root, ENV, '');
    expect(await main(['runs', 'retry', 'other-fleet-1'], retry)).toBe(0);
    expect(await queue.getJobState('other-fleet-1')).toBe('waiting');
    const missing = memoryIO(project.root, ENV, '');
    expect(await main(['runs', 'retry', 'no-such-job'], missing)).toBe(1);
    expect(missing.err()).toContain('CF8504');
    await queue.obliterate({ force: true });
    await queue.close();
  }, 60_000);

  it('with queue.fleets set, a job whose fleet hash names no folder is refused with CF8502, never a crash of the lookup', async () => {
    const config = join(project.root, 'codex-flow.config.yaml');
    const before = readFileSync(config, 'utf8');
    writeFileSync(config, before.replace('queue:\n', 'queue:\n  fleets: fleets\n'));
    await client.hset(aliasesKey('codex-flow'), 'q2', queueName('q2'));
    const queue = new Queue(queueName('q2'), { connection: client, prefix: 'codex-flow' });
    try {
      const job = { v: JOB_FORMAT, run_id: 'r-bad', index: 0, alias: 'q2', agent: 'api-designer', task: 'q2: bad hash', files: [] };
      await queue.add(
        'task',
        { ...job, fleet_hash: '../../etc', events: 'codex-flow:run:r-bad:events' },
        { jobId: 'bad-hash-1', attempts: 3 },
      );
      const running = worker(['q2']);
      let failed: Array<{ id: string; reason: string; attempts: number }> = [];
      const end = Date.now() + 20_000;
      while (Date.now() < end) {
        const io = memoryIO(project.root, ENV, '');
        await main(['runs', 'failed', '--json'], io);
        failed = JSON.parse(io.out()).failed;
        if (failed.length > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await running.stop();
      expect(failed.map((entry) => entry.id)).toEqual(['bad-hash-1']);
      expect(failed[0]!.reason).toContain('CF8502');
      expect(failed[0]!.reason).toContain('fleets holds no copy of it');
      expect(failed[0]!.attempts).toBe(1);
    } finally {
      writeFileSync(config, before);
      await queue.obliterate({ force: true });
      await queue.close();
    }
  }, 60_000);

  it('the shared budget: parallel reservations from two clients never pass the limit', async () => {
    const other = new Redis(redis.url);
    try {
      await client.hset('codex-flow:run:budget-test:budget', 'limit', '0.001');
      const budgets = [client, other].map((connection) => sharedBudget(connection, 'codex-flow:run:budget-test:budget', () => 0.0004));
      const attempts = Array.from({ length: 10 }, (_, index) =>
        budgets[index % 2]!.reserve(0.0004).then(
          () => 'held',
          (error: Error) => error.message,
        ),
      );
      const outcomes = await Promise.all(attempts);
      expect(outcomes.filter((outcome) => outcome === 'held')).toHaveLength(2);
      expect(outcomes.find((outcome) => outcome !== 'held')).toContain('would be passed');
    } finally {
      other.disconnect();
    }
  });

  it('priority maps onto BullMQ: higher runs first, within its range', () => {
    expect(bullPriority(10)).toBeLessThan(bullPriority(0));
    expect(bullPriority(0)).toBeLessThan(bullPriority(-5));
    expect(bullPriority(1e12)).toBe(1);
    expect(bullPriority(-1e12)).toBe(2_097_152);
  });

  it('SIGTERM grace over: the job in hand goes back to its queue at once', async () => {
    provider.hold(8);
    writeTasks(project.root, ['q1'], 1);
    const io = memoryIO(project.root, ENV, '');
    const run = main(['run', '--tasks', 'tasks.jsonl', '--json'], io);
    const stop = new AbortController();
    const workerIO = memoryIO(project.root, { ...ENV, OPENAI_BASE_URL: provider.baseUrl(8) }, '');
    const done = runWorker(workerIO, { concurrency: '1', graceMs: '300', aliases: 'q1' }, stop.signal);
    const queue = new Queue(queueName('q1'), { connection: client, prefix: 'codex-flow' });
    const end = Date.now() + 20_000;
    while ((await queue.getActiveCount()) === 0 && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 300));
    stop.abort();
    expect(await done).toBe(0);
    expect(workerIO.err()).toContain('CF8505');
    expect(await queue.getWaitingCount()).toBe(1);
    // Another worker takes it and the run completes.
    const running = worker(['q1']);
    expect(await run).toBe(0);
    await running.stop();
    expect(JSON.parse(io.out()).counts.ok).toBe(1);
    await queue.close();
  }, 60_000);
});
