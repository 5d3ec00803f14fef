/**
 * The queue on the server's /metrics (ServerMetrics.watchQueue): jobs per alias and state and the
 * workers seen, read on the scrape; a Redis that accepts and never answers (SIGSTOP) gives
 * `codex_flow_queue_up 0` within the bound instead of a stalled scrape.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { ServerMetrics } from '../../src/server/metrics.js';
import { SCRAPE_TIMEOUT_MS } from '../../src/queue/metrics.js';
import { aliasesKey, queueName } from '../../src/queue/keys.js';
import { redisServer, skipWithout } from '../support/requirements.js';
import { startRedis, type TestRedis } from '../support/runner-redis.js';
import { queueProject, type QueueProject } from './support/project.js';

const withoutRedis = skipWithout(redisServer, 'queue metrics');

describe.skipIf(withoutRedis)('the queue on /metrics', () => {
  let redis: TestRedis;
  let project: QueueProject;
  beforeAll(async () => {
    redis = await startRedis();
    project = queueProject(redis.url, { q1: 2 });
    const client = new Redis(redis.url);
    await client.hset(aliasesKey('codex-flow'), 'q1', queueName('q1'));
    const queue = new Queue(queueName('q1'), { connection: client, prefix: 'codex-flow' });
    await queue.add('task', { v: 1 }, { jobId: 'one' });
    await queue.add('task', { v: 1 }, { jobId: 'two', delay: 60_000 });
    await queue.close();
    client.disconnect();
  });
  afterAll(async () => {
    redis?.signal('SIGCONT');
    await redis?.stop();
    project?.remove();
  });

  it('jobs per alias and state, workers seen, up 1', async () => {
    const metrics = new ServerMetrics();
    metrics.watchQueue({ root: project.root, env: {} });
    const text = await metrics.registry.metrics();
    expect(text).toContain('codex_flow_queue_up 1');
    expect(text).toContain('codex_flow_queue_jobs{alias="q1",state="waiting"} 1');
    expect(text).toContain('codex_flow_queue_jobs{alias="q1",state="delayed"} 1');
    expect(text).toContain('codex_flow_queue_jobs{alias="q1",state="active"} 0');
    expect(text).toContain('codex_flow_queue_workers 0');
  });

  it('metrics-stalled-by-slow-redis: a Redis that never answers gives up 0 within the bound', async () => {
    const metrics = new ServerMetrics();
    metrics.watchQueue({ root: project.root, env: {} });
    redis.signal('SIGSTOP');
    try {
      for (let scrape = 0; scrape < 2; scrape++) {
        const started = Date.now();
        const text = await metrics.registry.metrics();
        expect(Date.now() - started).toBeLessThan(SCRAPE_TIMEOUT_MS + 1_500);
        expect(text).toContain('codex_flow_queue_up 0');
        expect(text).not.toContain('codex_flow_queue_jobs{');
        expect(text).toContain('codex_flow_http_requests_total'); // the rest of /metrics is there
      }
    } finally {
      redis.signal('SIGCONT');
    }
  }, 20_000);
});
