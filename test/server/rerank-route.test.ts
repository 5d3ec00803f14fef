/**
 * POST /v1/route with `rerank: true` on a served fleet: the model (the local wire-format server)
 * reorders the lexical top k as `route --rerank on` does, the body carries the `rerank` report, a
 * repeated request is answered from the cache without a call, and `rerank: false` never calls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureEnv } from '../support/provider-env.js';
import type { RecordedRequest } from '../support/provider-server.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { call, makeProject, serve, type Started } from './support.js';

const providers = useProviderServer();
let started: Started;
let url: string;

beforeAll(async () => {
  const root = await makeProject();
  started = await serve(root, { env: { ...fixtureEnv(providers), CODEX_FLOW_PROVIDER: 'openai', CODEX_FLOW_HTTP_URL: undefined } });
  url = started.server.url;
});
afterAll(async () => {
  await started?.server.stop();
});

function promptIds(request: RecordedRequest): string[] {
  const user = (request.body.messages as Array<{ role: string; content: unknown }>).find((message) => message.role === 'user');
  return [...String(user?.content).matchAll(/^- ([a-z0-9-]+): /gm)].map((match) => match[1]!);
}

const ids = (body: any): string[] => body.result.candidates.map((candidate: { id: string }) => candidate.id);

describe('serve: POST /v1/route with rerank', () => {
  it('reorders by the model, reports it, and answers a repeated request from the cache', async () => {
    const task = { task: 'review this change before merge', top: 3, record: false, explore: false };
    const lexical = await call(url, '/v1/route', { body: { ...task, rerank: false } });
    expect(lexical.status).toBe(200);
    expect(lexical.body.rerank).toBeUndefined();
    expect(providers.requests).toHaveLength(0);
    providers.setDefault('openai', (request) => ({
      text: JSON.stringify({
        ranking: promptIds(request)
          .reverse()
          .map((id) => ({ id, reason: 'scripted' })),
      }),
    }));
    const reranked = await call(url, '/v1/route', { body: { ...task, rerank: true } });
    expect(reranked.status).toBe(200);
    expect(providers.requests).toHaveLength(1);
    const shortlist = promptIds(providers.requests[0]!);
    expect(shortlist.slice(0, 3)).toEqual(ids(lexical.body));
    expect(ids(reranked.body)).toEqual([...shortlist].reverse().slice(0, 3));
    expect(reranked.body.rerank).toMatchObject({ status: 'reranked', cacheHit: false, calls: 1 });
    const again = await call(url, '/v1/route', { body: { ...task, rerank: true } });
    expect(providers.requests).toHaveLength(1);
    expect(again.body.rerank).toMatchObject({ status: 'reranked', cacheHit: true });
    expect(ids(again.body)).toEqual(ids(reranked.body));
  });

  it('feedback after a reranked route credits the reranked top-1, not the lexical one', async () => {
    const task = { task: 'write terraform for the orders queue', top: 3, explore: false };
    const lexical = await call(url, '/v1/route', { body: { ...task, record: false, rerank: false } });
    providers.setDefault('openai', (request) => ({
      text: JSON.stringify({
        ranking: promptIds(request)
          .reverse()
          .map((id) => ({ id, reason: 'scripted' })),
      }),
    }));
    const reranked = await call(url, '/v1/route', { body: { ...task, rerank: true } });
    expect(reranked.body.rerank.status).toBe('reranked');
    expect(reranked.body.learning.recorded).toBe(true);
    expect(ids(reranked.body)[0]).not.toBe(ids(lexical.body)[0]);
    const feedback = await call(url, '/v1/feedback', { body: { route_id: reranked.body.result.routeId, ok: true } });
    expect(feedback.status).toBe(200);
    expect(feedback.body.outcome.agent).toBe(ids(reranked.body)[0]);
  });

  it('a provider failure answers 200 with the lexical order and the reason', async () => {
    const task = { task: 'add a resolver for the orders query', top: 3, record: false, explore: false };
    const lexical = await call(url, '/v1/route', { body: task });
    providers.setDefault('openai', { status: 401, errorMessage: 'bad key' });
    const routed = await call(url, '/v1/route', { body: { ...task, rerank: true } });
    expect(routed.status).toBe(200);
    expect(ids(routed.body)).toEqual(ids(lexical.body));
    expect(routed.body.rerank).toMatchObject({ status: 'lexical', fallback: { reason: 'provider' } });
    expect(routed.body.diagnostics.map((entry: { code: string }) => entry.code)).toContain('CF3205');
  });
});
