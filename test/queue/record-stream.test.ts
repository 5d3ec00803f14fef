/**
 * A worker's task events reach the run's stream in batches: the events of its tasks bound for one
 * run share an XADD (one XADD per event was most of a worker's Redis work per task), arrive in
 * their order, and a task's flush sends at once. The run's reader takes single and batched entries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { StreamBatches, StreamRecord } from '../../src/queue/record-stream.js';
import { StreamReader } from '../../src/queue/stream-reader.js';
import { redisServer, skipWithout } from '../support/requirements.js';
import { startRedis, type TestRedis } from '../support/runner-redis.js';

const withoutRedis = skipWithout(redisServer, 'the task queue');

describe.skipIf(withoutRedis)("a worker's task events", () => {
  let redis: TestRedis;
  let client: Redis;
  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url);
  });
  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
  });

  it('one XADD per event: the events of two tasks of a run share one stream entry, in order', async () => {
    const batches = new StreamBatches(client);
    const stream = 'codex-flow:run:r1:events';
    const first = new StreamRecord('r1', batches, stream, { job_id: 'j1' });
    const second = new StreamRecord('r1', batches, stream, { job_id: 'j2' });
    for (let step = 0; step < 3; step++) {
      first.event({ event: 'step', step });
      second.event({ event: 'step', step });
    }
    await first.flush();
    expect(await client.xlen(stream)).toBe(1);
    second.event({ event: 'task-done' });
    await second.flush();
    expect(await client.xlen(stream)).toBe(2);

    const events: Array<Record<string, unknown>> = [];
    const reader = new StreamReader(client.duplicate(), () => undefined);
    reader.watch(stream, '0', { dir: undefined, runId: 'r1', event: (event) => void events.push(event), finish: () => undefined });
    await reader.drain(stream, client);
    await reader.close();
    expect(events.map((event) => `${event.job_id}:${event.step ?? event.event}`)).toEqual([
      'j1:0',
      'j2:0',
      'j1:1',
      'j2:1',
      'j1:2',
      'j2:2',
      'j2:task-done',
    ]);
    expect(typeof events[0]!.at).toBe('string');
  });

  it('an event nobody flushes is sent within the batch interval', async () => {
    const stream = 'codex-flow:run:r2:events';
    new StreamRecord('r2', new StreamBatches(client), stream, {}).event({ event: 'alone' });
    const deadline = Date.now() + 2_000;
    while ((await client.xlen(stream)) === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    const entries = (await client.xrange(stream, '-', '+')) as Array<[string, string[]]>;
    const fields = entries[0]![1];
    expect(fields.slice(0, 3)).toEqual(['v', '2', 'e']);
    expect(JSON.parse(fields[3]!).event).toBe('alone');
  });
});
