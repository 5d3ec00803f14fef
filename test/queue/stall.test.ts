/**
 * A worker whose event loop is held past the lock duration is alive, not stalled: two worker
 * processes, a 1 s lock, one task whose model call takes 2.5 s, and the worker running it blocked
 * (SIGUSR2: a synchronous 4 s) in the middle of the call. When locks were renewed from the event
 * loop, the lock lapsed, the other worker took the job as stalled and the model was called twice.
 * Counted by the model server: the call completes once, by the blocked worker, and the run is ok.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { redisServer, skipWithout } from '../support/requirements.js';
import { startRedis, type TestRedis } from '../support/runner-redis.js';
import { startCountingProvider, type CountingProvider } from './support/provider.js';
import { queueProject, workerBundle, writeTasks, type QueueProject } from './support/project.js';
import { startWorkerProcess, type WorkerProcess } from './support/worker-process.js';

const withoutRedis = skipWithout(redisServer, 'a blocked worker on a BullMQ queue');
const ENV = { OPENAI_API_KEY: 'sk-test-queue-0123456789abcdef', CODEX_FLOW_PROVIDER: 'openai', CI: 'true' };
const BLOCK_MS = 4_000;

describe.skipIf(withoutRedis)('a worker whose event loop is blocked past its lock', () => {
  let redis: TestRedis;
  let provider: CountingProvider;
  let project: QueueProject;
  let bundle: Awaited<ReturnType<typeof workerBundle>>;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    redis = await startRedis();
    provider = await startCountingProvider(2_500);
    project = queueProject(redis.url, { q1: 2 });
    // stall_ms 1000 (the config's minimum is 500): the lock lapses a second after its last renewal.
    const config = `${project.root}/codex-flow.config.yaml`;
    writeFileSync(config, readFileSync(config, 'utf8').replace('stall_ms: 10000', 'stall_ms: 1000'));
    bundle = await workerBundle();
    for (const number of [1, 2]) {
      const args = ['--concurrency', '1', '--grace-ms', '2000', '--aliases', 'q1'];
      workers.push(
        await startWorkerProcess(bundle.file, project.root, args, {
          ...ENV,
          OPENAI_BASE_URL: provider.baseUrl(number),
          CF_TEST_BLOCK_MS: String(BLOCK_MS),
        }),
      );
    }
  }, 90_000);
  afterAll(async () => {
    for (const worker of workers) worker.child.kill('SIGKILL');
    await provider?.close();
    await redis?.stop();
    project?.remove();
    bundle?.remove();
  });

  it('worker-blocked-past-lock: the job is not declared stalled and the model is called once', async () => {
    const [text] = writeTasks(project.root, ['q1'], 1);
    const io = memoryIO(project.root, ENV, '');
    const run = main(['run', '--tasks', 'tasks.jsonl', '--json'], io);
    // The run's first start loads its modules: at load 30 that alone took over 30 s.
    const end = Date.now() + 90_000;
    while (provider.calls.length === 0) {
      if (Date.now() > end) throw new Error(`no model call within 90 s: ${io.err()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const holder = provider.calls[0]!.worker;
    workers[holder - 1]!.child.kill('SIGUSR2');
    const code = await run;
    const result = JSON.parse(io.out());
    const stderr = workers.map((worker) => worker.stderr()).join('\n');
    expect(result.counts, `${io.err()}\n${stderr}`).toEqual({ ok: 1, failed: 0, rejected: 0 });
    expect(code).toBe(0);
    expect(provider.calls, stderr).toEqual([{ worker: holder, task: text }]);
    expect(provider.completed.get(text!)).toBe(1);
  }, 150_000);
});
