/**
 * The embedding providers against the fixture server's OpenAI `/v1/embeddings` and Ollama
 * `/api/embed`: vectors, batching, usage, and each failure as a classified ProviderError.
 */
import { describe, expect, it } from 'vitest';
import { openTextEmbedder } from '../../../src/providers/embeddings/open.js';
import { ProviderError } from '../../../src/providers/errors.js';
import { useProviderServer } from '../../support/use-provider-server.js';
import { fixtureVector } from '../../support/provider-server-embeddings.js';

const server = useProviderServer();

async function embedder(provider: 'openai' | 'ollama' | 'compatible', extra: Record<string, unknown> = {}) {
  const wire = provider === 'ollama' ? 'ollama' : 'openai';
  const opened = await openTextEmbedder(
    { provider, model: 'fixture-embed', baseURL: server.baseUrl(wire), timeoutMs: 2_000, ...extra },
    { root: '/nonexistent', env: { OPENAI_API_KEY: 'sk-test-key-123456789', OPENAI_COMPATIBLE_API_KEY: 'k' } },
  );
  if ('problem' in opened) throw new Error(opened.problem);
  return opened.embedder;
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe.each(['openai', 'ollama', 'compatible'] as const)('%s embeddings', (provider) => {
  const wire = provider === 'ollama' ? 'ollama' : 'openai';

  it('answers the fixture vectors in input order, counting calls', async () => {
    const model = await embedder(provider);
    const texts = ['add a graphql resolver', 'fix the flaky test', 'add a graphql resolver'];
    expect(await model.embed(texts)).toEqual(texts.map(fixtureVector));
    expect(model.usage.calls).toBe(1);
    expect(server.requests.map((request) => request.path)).toEqual([wire === 'ollama' ? '/ollama/api/embed' : '/openai/v1/embeddings']);
  });

  it('splits the texts into batches of maxBatch', async () => {
    const model = await embedder(provider, { maxBatch: 2 });
    const texts = ['one', 'two', 'three', 'four', 'five'];
    expect(await model.embed(texts)).toEqual(texts.map(fixtureVector));
    expect(server.requests.map((request) => (request.body.input as string[]).length)).toEqual([2, 2, 1]);
    expect(model.usage.calls).toBe(3);
  });

  it('is a rate-limit error on 429 and a server error on 503, without retrying', async () => {
    server.enqueue(wire, { status: 429, retryAfter: 3 }, { status: 503 });
    const model = await embedder(provider);
    const limited = await failure(model.embed(['a']));
    expect([limited.kind, limited.status]).toEqual(['rate-limit', 429]);
    expect((await failure(model.embed(['b']))).kind).toBe('server');
    expect(server.requests).toHaveLength(2);
  });

  it('is a timeout when the server stalls past timeoutMs', async () => {
    server.enqueue(wire, { latencyMs: 3_000 });
    const model = await embedder(provider, { timeoutMs: 200 });
    const started = Date.now();
    expect((await failure(model.embed(['a']))).kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it('is malformed when the body does not parse or the vectors do not match the texts', async () => {
    server.enqueue(wire, { fault: { kind: 'malformed', afterChunks: 0 } }, { vectors: [[1, 2]] }, { vectors: [[1, 2], [1]] });
    const model = await embedder(provider);
    expect((await failure(model.embed(['a']))).kind).toBe('malformed');
    expect((await failure(model.embed(['a', 'b']))).kind).toBe('malformed');
    expect((await failure(model.embed(['a', 'b']))).kind).toBe('malformed');
  });
});

describe('openTextEmbedder', () => {
  it('names what is missing instead of calling a provider that cannot answer', async () => {
    const opened = await openTextEmbedder({ provider: 'openai' }, { root: '/nonexistent', env: {} });
    expect(opened).toEqual({ problem: 'router.embeddings: OPENAI_API_KEY is not set' });
    expect(await openTextEmbedder({ provider: 'compatible' }, { root: '/nonexistent', env: {} })).toHaveProperty('problem');
  });
});
