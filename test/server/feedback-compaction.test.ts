/**
 * Feedback under serve never compacts the outcome log in the request (regression: `record`
 * compacted inline once the log passed learning.compact_after_bytes, so the feedback that crossed
 * it waited for the rotation, for open appends (up to 2 s) and for the fold). The compaction runs
 * on the server's compaction thread: the main thread's Learning.compact is never called, and the
 * snapshot appears all the same.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Learning } from '../../src/learn/learner.js';
import { call, makeProject, serve, type Started } from './support.js';

let started: Started | undefined;
afterAll(async () => {
  await started?.server.stop();
});

describe('feedback and outcome compaction under serve', () => {
  it('feedback answers without compacting on the request path; the compaction runs in the background', async () => {
    const root = await makeProject();
    const config = join(root, 'codex-flow.config.yaml');
    const before = existsSync(config) ? readFileSync(config, 'utf8') : '';
    expect(before).not.toMatch(/^learning:/m);
    appendFileSync(config, '\nlearning:\n  compact_after_bytes: 1024\n');
    const compactHere = vi.spyOn(Learning.prototype, 'compact');
    started = await serve(root);
    const { url } = started.server;
    for (let n = 0; n < 12; n++) {
      const routed = await call(url, '/v1/route', { body: { task: `review the resolver change ${n}`, explore: false } });
      expect(routed.status).toBe(200);
      const feedback = await call(url, '/v1/feedback', { body: { route_id: routed.body.result.routeId, ok: n % 3 !== 0 } });
      expect(feedback.status, JSON.stringify(feedback.body)).toBe(200);
    }
    expect(compactHere).not.toHaveBeenCalled();
    await started.server.context.holder.compaction.idle();
    expect(started.server.context.holder.compaction.counts.compacted).toBeGreaterThan(0);
    expect(existsSync(join(root, '.codex-flow', 'learned-state.json'))).toBe(true);
    compactHere.mockRestore();
  }, 120_000);
});
