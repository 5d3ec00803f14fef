/**
 * The server's answers to requests it cannot take: a known path asked with a method it does not
 * serve (405 with the methods it does, not a 404), and a body with a field the schema does not
 * know (400 naming the field, so a client sees which one to drop).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, makeProject, serve, type Started } from './support.js';

let started: Started;
let url: string;

beforeAll(async () => {
  started = await serve(await makeProject());
  url = started.server.url;
});
afterAll(async () => {
  await started?.server.stop();
});

describe('serve: wrong method and unknown fields', () => {
  it('a wrong method on a known path answers 405 with an Allow header, not 404', async () => {
    const routed = await call(url, '/v1/route');
    expect(routed.status).toBe(405);
    expect(routed.headers.get('allow')).toBe('POST');
    expect(routed.body.diagnostics[0].code).toBe('CF9620');
    expect(routed.body.diagnostics[0].message).toMatch(/GET \/v1\/route/);
    const agents = await call(url, '/v1/agents', { body: {} });
    expect(agents.status).toBe(405);
    expect(agents.headers.get('allow')).toMatch(/^GET(, HEAD)?$/);
    const run = await call(url, '/v1/runs/abc', { method: 'DELETE' });
    expect(run.status).toBe(405);
    expect(run.headers.get('allow')).toMatch(/GET/);
    const missing = await call(url, '/v1/nothing');
    expect(missing.status).toBe(404);
    expect(missing.body.diagnostics[0].code).toBe('CF9509');
    // Review finding: a trailing slash is another path (no route serves it), not a wrong method.
    const slash = await call(url, '/v1/route/', { body: { task: 'review this' } });
    expect(slash.status).toBe(404);
  });

  it('a body with an unknown field answers 400 naming the field', async () => {
    const { status, body } = await call(url, '/v1/route', { body: { task: 'review this', topp: 3 } });
    expect(status).toBe(400);
    expect(body.diagnostics[0].code).toBe('CF9500');
    expect(body.diagnostics[0].message).toMatch(/topp/);
    const feedback = await call(url, '/v1/feedback', { body: { route_id: 'route:x', ok: true, agnet: 'a' } });
    expect(feedback.status).toBe(400);
    expect(feedback.body.diagnostics[0].message).toMatch(/agnet/);
  });
});
