/**
 * Jobs and run-stream entries carry their format, and a side of another codex-flow version refuses
 * them with a diagnostic instead of misreading them: a worker fails a job of another format for
 * good (CF8140, no retry), and a run's reader leaves an entry of another format out of the record
 * with one CF8141 event (an older worker's entries carry no format; a newer one's another).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { runWorker } from '../../src/cli/commands/worker.js';
import { queueName, aliasesKey } from '../../src/queue/keys.js';
import { JOB_FORMAT } from '../../src/queue/job.js';
import { STREAM_FORMAT, StreamBatches, StreamRecord } from '../../src/queue/record-stream.js';
import { StreamReader } from '../../src/queue/stream-reader.js';
import { redisServer, skipWithout } from '../support/requirements.js';
import { startRedis, type TestRedis } from '../support/runner-redis.js';
import { queueProject, type QueueProject } from './support/project.js';

const withoutRedis = skipWithout(redisServer, 'the task queue');
const ENV = {
  OPENAI_API_KEY: 'sk-test-queue-0123456789abcdef',
  CODEX_FLOW_PROVIDER: 'openai',
  CI: 'true',
  OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
};

describe.skipIf(withoutRedis)('queue formats', () => {
  let redis: TestRedis;
  let project: QueueProject;
  let client: Redis;
  beforeAll(async () => {
    redis = await startRedis();
    project = queueProject(redis.url, { f1: 2 });
    client = new Redis(redis.url);
  });
  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
    project?.remove();
  });

  it('the format was bumped with the batched events: a format 1 dispatcher or worker never takes these jobs', () => {
    expect(JOB_FORMAT).toBe(2);
    expect(STREAM_FORMAT).toBe('2');
  });

  it('a worker refuses an older and a newer job with CF8140, for good, instead of running it', async () => {
    await client.hset(aliasesKey('codex-flow'), 'f1', queueName('f1'));
    const queue = new Queue(queueName('f1'), { connection: client, prefix: 'codex-flow' });
    const job = (v: number | undefined, id: string) => ({
      ...(v === undefined ? {} : { v }),
      run_id: `r-${id}`,
      index: 0,
      alias: 'f1',
      agent: 'api-designer',
      task: 'f1: from another version',
      files: [],
      fleet_hash: 'sha256:0000whatever',
      events: `codex-flow:run:r-${id}:events`,
    });
    await queue.add('task', job(1, 'older'), { jobId: 'older', attempts: 3 });
    await queue.add('task', job(JOB_FORMAT + 1, 'newer'), { jobId: 'newer', attempts: 3 });
    await queue.add('task', job(undefined, 'unmarked'), { jobId: 'unmarked', attempts: 3 });
    const stop = new AbortController();
    const io = memoryIO(project.root, ENV, '');
    const done = runWorker(io, { concurrency: '2', graceMs: '300', aliases: 'f1' }, stop.signal);
    let failed: Array<{ id: string; reason: string; attempts: number }> = [];
    const end = Date.now() + 20_000;
    while (Date.now() < end) {
      const listed = memoryIO(project.root, ENV, '');
      // A listing that failed (Redis slow to answer on a loaded machine) is asked again.
      if ((await main(['runs', 'failed', '--json'], listed)) === 0) failed = JSON.parse(listed.out()).failed ?? [];
      if (failed.length >= 3) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    stop.abort();
    await done;
    const byId = new Map(failed.map((entry) => [entry.id, entry]));
    expect([...byId.keys()].sort()).toEqual(['newer', 'older', 'unmarked']);
    expect(byId.get('older')!.reason).toMatch(/^CF8140: job older has format 1; worker .* reads format 2 only/);
    expect(byId.get('newer')!.reason).toContain('CF8140: job newer has format 3');
    expect(byId.get('unmarked')!.reason).toContain('CF8140: job unmarked has format none');
    for (const entry of failed) expect(entry.attempts).toBe(1);
    await queue.obliterate({ force: true });
    await queue.close();
  }, 60_000);

  it("a run's reader refuses an older worker's entry and a newer one's with one CF8141 event, and reads its own", async () => {
    const stream = 'codex-flow:run:r-mixed:events';
    // An older worker's entry: one event as `e`, no format field.
    await client.xadd(stream, '*', 'e', JSON.stringify({ event: 'step', step: 'older' }));
    // A newer worker's: another format, its fields unknown here.
    await client.xadd(stream, '*', 'v', String(Number(STREAM_FORMAT) + 1), 'e', JSON.stringify({ event: 'step', step: 'newer' }));
    const record = new StreamRecord('r-mixed', new StreamBatches(client), stream, { job_id: 'j' });
    record.event({ event: 'step', step: 'ours' });
    await record.flush();
    const [, fields] = ((await client.xrange(stream, '-', '+')) as Array<[string, string[]]>)[2]!;
    expect(fields.slice(0, 2)).toEqual(['v', STREAM_FORMAT]);

    const events: Array<Record<string, unknown>> = [];
    const reader = new StreamReader(client.duplicate(), () => undefined);
    reader.watch(stream, '0', { dir: undefined, runId: 'r-mixed', event: (event) => void events.push(event), finish: () => undefined });
    await reader.drain(stream, client);
    await reader.close();
    expect(events.map((event) => event.step ?? event.event)).toEqual(['stream-entry-refused', 'ours']);
    expect(events[0]!.code).toBe('CF8141');
    expect(String(events[0]!.reason)).toContain('has format none; this codex-flow reads format 2 only');
  });
});
