/**
 * The queue through the packed bin (bullmq stays outside the bundle: this is where a bundling
 * mistake shows): `queue stats` before any run, a `run` enqueued while a `worker` takes it, the
 * stats after, and `runs failed`. Needs redis-server (skipped with the reason, a failure in CI).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fixtureEnv } from '../support/provider-env.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { redisServer, skipWithout } from '../support/requirements.js';
import { startRedis, type TestRedis } from '../support/runner-redis.js';
import { userShell } from './support/user-shell.js';
import { addSampleFleet } from './support/user-project.js';

const withoutRedis = skipWithout(redisServer, 'the packed bin on a queue');

describe.skipIf(withoutRedis)('the packed CLI on a queue', () => {
  const install = inject('packedInstall');
  const shell = userShell(install, 'queue');
  const server = useProviderServer();
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
    addSampleFleet(shell.project);
    Object.assign(shell.env, fixtureEnv(server), { CODEX_FLOW_QUEUE_URL: redis.url, CODEX_FLOW_PROVIDER: 'openai' });
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('queue stats, a run taken by a worker, the stats after, runs failed', async () => {
    const converted = await shell.cli(['convert']);
    expect(converted.code, converted.transcript).toBe(0);
    const before = await shell.cli(['queue', 'stats']);
    expect(before.code, before.transcript).toBe(0);
    expect(before.stdout).toContain('no alias queue yet');
    const run = shell.cli(['run', '--agent', 'api-designer', 'review the pagination', '--json']);
    // Through sh, as a user's terminal would: the interrupt reaches the command sh started (a Ctrl-C).
    const worker = await shell.sh('codex-flow worker --aliases api-designer', {
      interruptWhen: /job \S+ \(api-designer, attempt 1\) completed/,
    });
    expect(worker.code, worker.transcript).toBe(0);
    expect(worker.stderr).toContain('stopped after 1 job(s)');
    const ran = await run;
    expect(ran.code, ran.transcript).toBe(0);
    expect(JSON.parse(ran.stdout).counts).toEqual({ ok: 1, failed: 0, rejected: 0 });
    const after = await shell.cli(['queue', 'stats', '--json']);
    expect(after.code, after.transcript).toBe(0);
    expect(JSON.parse(after.stdout).aliases).toEqual([
      expect.objectContaining({ alias: 'api-designer', completed: 1, waiting: 0, active: 0 }),
    ]);
    const failed = await shell.cli(['runs', 'failed']);
    expect(failed.code, failed.transcript).toBe(0);
    expect(failed.stdout).toContain('no failed jobs');
  }, 120_000);
});
