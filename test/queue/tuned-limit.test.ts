/**
 * With `learning.autotune: apply`, the tuned `max_parallel_tasks` is the alias's limit across the
 * queue's workers: each run sets the alias queue's global concurrency to its resolved limit (the
 * tuned value, never above the config's), and BullMQ reads that limit from Redis on every job it
 * hands out, so a worker started before the tuning holds it without a restart. Real redis-server,
 * one worker left running through three runs: untuned (4), tuned to 2, tuned past the cap (8 → 4).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { runWorker } from '../../src/cli/commands/worker.js';
import { queueName } from '../../src/queue/keys.js';
import { redisServer, skipWithout } from '../support/requirements.js';
import { startRedis, type TestRedis } from '../support/runner-redis.js';
import { startCountingProvider, type CountingProvider } from './support/provider.js';
import { queueProject, type QueueProject } from './support/project.js';

const withoutRedis = skipWithout(redisServer, 'the task queue');
const ENV = { OPENAI_API_KEY: 'sk-test-queue-0123456789abcdef', CODEX_FLOW_PROVIDER: 'openai', CI: 'true' };
const CAP = 4;
const TASKS = 12;

describe.skipIf(withoutRedis)('a tuned max_parallel_tasks on queue workers', () => {
  let redis: TestRedis;
  let provider: CountingProvider;
  let project: QueueProject;
  let stopWorker: (() => Promise<number>) | undefined;
  beforeAll(async () => {
    redis = await startRedis();
    provider = await startCountingProvider(300);
    project = queueProject(redis.url, { q1: CAP }, 'learning:\n  autotune: apply\n');
  });
  afterAll(async () => {
    await stopWorker?.();
    await provider?.close();
    await redis?.stop();
    project?.remove();
  });

  /** The agent's tuned limit, its change far from due (tasks_at ahead): this run's outcomes do not tune it again. */
  function tune(limit: number | undefined): void {
    mkdirSync(join(project.root, '.codex-flow'), { recursive: true });
    const agents = limit === undefined ? {} : { 'api-designer': { max_parallel_tasks: limit, tasks_at: 1_000_000 } };
    writeFileSync(
      join(project.root, '.codex-flow/tuning.json'),
      JSON.stringify({ format: 'codex-flow/tuning', version: 1, agents, log: [] }),
    );
  }

  /** One `run --tasks` of TASKS tasks on q1; the provider keeps their peak in flight under `label`. */
  async function run(label: string): Promise<number> {
    const lines = Array.from({ length: TASKS }, (_, index) => JSON.stringify({ task: `${label}: task ${index + 1}`, alias: 'q1' }));
    writeFileSync(join(project.root, 'tasks.jsonl'), `${lines.join('\n')}\n`);
    const io = memoryIO(project.root, ENV, '');
    const code = await main(['run', '--tasks', 'tasks.jsonl', '--json'], io);
    expect(code, io.err()).toBe(0);
    expect(JSON.parse(io.out()).counts.ok).toBe(TASKS);
    return provider.peak.get(label) ?? 0;
  }

  async function globalLimit(): Promise<number | null> {
    const queue = new Queue(queueName('q1'), { connection: { url: redis.url }, prefix: 'codex-flow' });
    try {
      return await queue.getGlobalConcurrency();
    } finally {
      await queue.close();
    }
  }

  it('a worker started before the tuning runs the alias at the tuned limit, and never above the configured one', async () => {
    const stop = new AbortController();
    const io = memoryIO(project.root, { ...ENV, OPENAI_BASE_URL: provider.baseUrl(1) }, '');
    const done = runWorker(io, { concurrency: String(CAP * 2), aliases: 'q1', graceMs: '1000' }, stop.signal);
    stopWorker = () => {
      stop.abort();
      return done;
    };
    tune(undefined);
    const untuned = await run('p1');
    expect(await globalLimit()).toBe(CAP);
    // Calls of 300 ms each from a worker taking up to 8: the untuned run goes past the tuned 2.
    expect(untuned).toBeGreaterThan(2);
    expect(untuned).toBeLessThanOrEqual(CAP);

    tune(2);
    const tuned = await run('p2');
    expect(await globalLimit()).toBe(2);
    expect(tuned).toBeLessThanOrEqual(2);
    expect(tuned).toBeGreaterThan(0);

    // A tuning file edited past the configured cap: the cap holds.
    tune(CAP * 2);
    const capped = await run('p3');
    expect(await globalLimit()).toBe(CAP);
    expect(capped).toBeLessThanOrEqual(CAP);
    expect(await stopWorker()).toBe(0);
    stopWorker = undefined;
  }, 120_000);
});
