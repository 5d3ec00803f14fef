/**
 * Route decisions under the server: recorded off the request path (regression: every route
 * appended its decision with synchronous file calls on the event loop, and rotated the log inside
 * the request), findable by feedback from the moment the route answers, and all on disk once the
 * server has stopped.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, makeProject, serve, type Started } from './support.js';

const DECISIONS = '.codex-flow/decisions.jsonl';
let root: string;

beforeAll(async () => {
  root = await makeProject();
}, 60_000);

describe('route decisions under serve', () => {
  let started: Started | undefined;
  afterAll(async () => {
    await started?.server.stop();
  });

  it('routes never write the decision log on the request path; feedback finds the decision at once; stop writes them all', async () => {
    // A batch that waits a minute: whatever reaches the log before the stop was written by a request.
    started = await serve(root, { decisionFlushMs: 60_000 });
    const { url } = started.server;
    const routeIds: string[] = [];
    for (const task of ['review the GraphQL resolver change', 'fix the flaky login test', 'tune the postgres query planner']) {
      const { status, body } = await call(url, '/v1/route', { body: { task, explore: false } });
      expect(status, JSON.stringify(body)).toBe(200);
      expect(body.learning.recorded).toBe(true);
      routeIds.push(body.result.routeId);
    }
    expect(existsSync(join(root, DECISIONS))).toBe(false);

    const feedback = await call(url, '/v1/feedback', { body: { route_id: routeIds[0], ok: true } });
    expect(feedback.status, JSON.stringify(feedback.body)).toBe(200);
    expect(feedback.body.diagnostics).toEqual([]);
    expect(feedback.body.context_features).toBeGreaterThan(0);

    await started.server.stop();
    started = undefined;
    const written = readFileSync(join(root, DECISIONS), 'utf8')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { route_id: string }).route_id);
    expect(written).toEqual(routeIds);
  }, 60_000);

  it('feedback sent right after the answer finds the decision with the default batch delay', async () => {
    started = await serve(root);
    const { url } = started.server;
    for (let attempt = 0; attempt < 5; attempt++) {
      const routed = await call(url, '/v1/route', { body: { task: `add a GraphQL resolver for orders ${attempt}`, explore: false } });
      expect(routed.status).toBe(200);
      const feedback = await call(url, '/v1/feedback', { body: { route_id: routed.body.result.routeId, ok: attempt % 2 === 0 } });
      expect(feedback.status, JSON.stringify(feedback.body)).toBe(200);
      expect(feedback.body.diagnostics).toEqual([]);
      expect(feedback.body.outcome.agent).toBe(routed.body.result.candidates[0].id);
    }
  }, 60_000);

  it('decisions dropped at the bound are counted in /metrics and logged with CF9621', async () => {
    await started?.server.stop();
    started = await serve(root, { maxUnwrittenDecisions: 0 });
    const { url } = started.server;
    for (const task of ['review the GraphQL resolver change', 'fix the flaky login test']) {
      const routed = await call(url, '/v1/route', { body: { task, explore: false } });
      expect(routed.status).toBe(200);
      // A dropped decision is not recorded, and the answer says so (feedback cannot find it).
      expect(routed.body.learning.recorded).toBe(false);
    }
    const metrics = await call(url, '/metrics');
    expect(metrics.body).toMatch(/codex_flow_route_decisions_dropped_total 2/);
    expect(metrics.body).toMatch(/codex_flow_route_decisions_unwritten 0/);
    expect(started.lines.filter((line) => line.startsWith('CF9621'))).toHaveLength(1);
  }, 60_000);
});
