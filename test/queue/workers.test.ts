/**
 * Three `codex-flow worker` processes, one `codex-flow run` of 300 tasks over four aliases with
 * limits, a worker SIGKILLed mid-run (its calls held open first, so each of its tasks is mid-call)
 * and a Redis restart: every task's model call completes exactly once (counted by the model server,
 * not by log lines), no alias ever has more calls in flight or more active jobs than its limit
 * (sampled), and the run record holds every task, with two attempts for the killed worker's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { queueName } from '../../src/queue/keys.js';
import { redisServer, skipWithout } from '../support/requirements.js';
import { startQueueRedis, type QueueRedis } from './support/redis.js';
import { startCountingProvider, type CountingProvider } from './support/provider.js';
import { queueProject, workerBundle, writeTasks, type QueueProject } from './support/project.js';
import { startWorkerProcess, type WorkerProcess } from './support/worker-process.js';

const withoutRedis = skipWithout(redisServer, 'workers on a BullMQ queue');
const LIMITS = { q1: 2, q2: 3, q3: 4, q4: 5 };
const ALIASES = Object.keys(LIMITS);
const TASKS = 300;
const ENV = { OPENAI_API_KEY: 'sk-test-queue-0123456789abcdef', CODEX_FLOW_PROVIDER: 'openai', CI: 'true' };

function startWorker(bundle: string, root: string, provider: CountingProvider, number: number): Promise<WorkerProcess> {
  return startWorkerProcess(bundle, root, ['--concurrency', '4', '--grace-ms', '5000', '--aliases', ALIASES.join(',')], {
    ...ENV,
    OPENAI_BASE_URL: provider.baseUrl(number),
  });
}

const until = async (condition: () => boolean, timeoutMs: number, what: string) => {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe.skipIf(withoutRedis)('workers on a BullMQ queue', () => {
  let redis: QueueRedis;
  let provider: CountingProvider;
  let project: QueueProject;
  let bundle: Awaited<ReturnType<typeof workerBundle>>;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    redis = await startQueueRedis();
    provider = await startCountingProvider(60);
    project = queueProject(redis.url, LIMITS);
    bundle = await workerBundle();
    workers.push(...(await Promise.all([1, 2, 3].map((number) => startWorker(bundle.file, project.root, provider, number)))));
  }, 60_000);
  afterAll(async () => {
    for (const worker of workers) worker.child.kill('SIGKILL');
    await provider?.close();
    await redis?.stop();
    project?.remove();
    bundle?.remove();
  });

  it('300 tasks over 4 aliases, a worker SIGKILLed and Redis restarted: each task done exactly once, no alias above its limit, the record complete', async () => {
    const texts = writeTasks(project.root, ALIASES, TASKS);
    const io = memoryIO(project.root, ENV, '');
    const run = main(['run', '--tasks', 'tasks.jsonl', '--json'], io);
    // Sample the active jobs per alias in Redis while the run goes (a client of our own, through the restart).
    const sampler = new Redis(redis.url, { maxRetriesPerRequest: null, retryStrategy: () => 50 });
    sampler.on('error', () => undefined);
    const queues = ALIASES.map((alias) => new Queue(queueName(alias), { connection: sampler, prefix: 'codex-flow' }));
    const activePeak = new Map<string, number>();
    let sampling = true;
    const sampled = (async () => {
      let samples = 0;
      while (sampling) {
        const counts = await Promise.all(queues.map((queue) => queue.getActiveCount().catch(() => 0)));
        counts.forEach((count, index) => activePeak.set(ALIASES[index]!, Math.max(activePeak.get(ALIASES[index]!) ?? 0, count)));
        samples++;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return samples;
    })();

    // Bounds sized for a machine at load 20+ on 2 cores, where a task's path costs a third of a second.
    await until(() => provider.total() >= 60, 90_000, '60 tasks done');
    // Worker 1's calls are held open, then it dies: each task it holds is mid-call, none half done.
    // Half done is a call answered whose job is not yet completed: the kill waits until every call
    // worker 1 had answered shows as a completed job in its log (written once Redis has the
    // job's completion), else the next attempt rightly calls the model again; and until it has a
    // call held open, the mid-call task the kill is about.
    provider.hold(1);
    const finished = () => (workers[0]!.stderr().match(/\) completed in \d+ ms/g) ?? []).length;
    const held = () => provider.calls.filter((call) => call.worker === 1).length - (provider.completedBy.get(1) ?? 0);
    await until(
      () => finished() >= (provider.completedBy.get(1) ?? 0) && held() > 0,
      60_000,
      "worker 1's answered tasks completed and one call held",
    );
    workers[0]!.child.kill('SIGKILL');
    await workers[0]!.exited;
    await until(() => provider.total() >= 150, 120_000, '150 tasks done');
    await redis.restart();

    const code = await run;
    sampling = false;
    const samples = await sampled;
    await Promise.all(queues.map((queue) => queue.close()));
    sampler.disconnect();

    const result = JSON.parse(io.out());
    expect(result.counts, io.err()).toEqual({ ok: TASKS, failed: 0, rejected: 0 });
    expect(code).toBe(0);
    // Exactly once, counted by the model server: every task's call completed once, none twice.
    const twice = texts.filter((text) => (provider.completed.get(text) ?? 0) !== 1);
    const dir = join(project.root, result.record);
    const events = readFileSync(join(dir, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const story = (text: string) =>
      events
        .filter((event) => event.task === texts.indexOf(text))
        .map((event) => `${event.at} ${event.event} ${event.attempt ?? ''}@${event.worker ?? ''} ${event.stop_reason ?? ''}`)
        .join('\n');
    expect(twice, `${twice.map(story).join('\n\n')}\n${workers.map((worker) => worker.stderr()).join('\n')}`).toEqual([]);
    expect(provider.total()).toBe(TASKS);
    expect(provider.aborted).toBeGreaterThan(0); // the killed worker's calls
    for (const alias of ALIASES) {
      expect(provider.peak.get(alias), `calls in flight on ${alias}`).toBeLessThanOrEqual(LIMITS[alias as keyof typeof LIMITS]);
      expect(activePeak.get(alias) ?? 0, `active jobs on ${alias}`).toBeLessThanOrEqual(LIMITS[alias as keyof typeof LIMITS]);
    }
    expect(samples).toBeGreaterThan(20);
    // The record: every task's result, and the killed worker's tasks with both attempts.
    const stored = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8'));
    expect(stored.tasks).toHaveLength(TASKS);
    expect(stored.tasks.every((task: { ok: boolean }) => task.ok)).toBe(true);
    const ends = events.filter((event) => event.event === 'task-end' && event.ok);
    expect(new Set(ends.map((event) => event.task)).size).toBe(TASKS);
    const attempts = new Map<number, Set<string>>();
    for (const event of events.filter((entry) => entry.event === 'task-attempt')) {
      attempts.set(event.task, (attempts.get(event.task) ?? new Set()).add(`${event.attempt}@${event.worker}`));
    }
    const retried = [...attempts.values()].filter((seen) => seen.size >= 2);
    expect(retried.length).toBeGreaterThan(0);
    expect(events.at(-1).event).toBe('run-end');
  }, 360_000);

  it('SIGTERM: a worker stops taking jobs and exits 0', async () => {
    const worker = workers[2]!;
    worker.child.kill('SIGTERM');
    const code = await Promise.race([worker.exited, new Promise((resolve) => setTimeout(() => resolve('hung'), 15_000))]);
    expect(code).toBe(0);
    expect(worker.stderr()).toMatch(/stopped after \d+ job\(s\)/);
  }, 20_000);
});
