/**
 * Provider-specific error reporting: codex-flow HTTP (our own protocol) and Ollama's native API.
 */
import { describe, expect, it } from 'vitest';
import { useProviderServer } from '../support/use-provider-server.js';
import { failure, testChain } from '../support/provider-env.js';

const server = useProviderServer();

const ask = { messages: [{ role: 'user' as const, content: 'hi' }] };

describe('codex-flow HTTP provider', () => {
  it('sends protocol 1 requests to /v1/generate', async () => {
    const { chain } = testChain(server, { provider: 'http' });
    await chain.generate({ system: 'sys', ...ask, maxOutputTokens: 64, tools: [{ name: 't', parameters: { type: 'object' } }] });
    const request = server.requests[0]!;
    expect(request.path).toBe('/http/v1/generate');
    expect(request.body).toEqual({
      protocol: 1,
      system: 'sys',
      messages: ask.messages,
      tools: [{ name: 't', parameters: { type: 'object' } }],
      maxOutputTokens: 64,
      stream: false,
    });
  });

  it('points a 401 at CODEX_FLOW_HTTP_TOKEN', async () => {
    server.enqueue('http', { status: 401, errorMessage: 'bad token' });
    const { chain } = testChain(server, { provider: 'http' });
    const error = await failure(chain.generate(ask));
    expect(error).toMatchObject({ kind: 'auth', status: 401, message: 'bad token' });
    expect(error.hint).toContain('CODEX_FLOW_HTTP_TOKEN');
  });

  it('honours Retry-After from the server', async () => {
    server.enqueue('http', { status: 503, retryAfter: 4 }, { text: 'up again' });
    const { chain, clock } = testChain(server, { provider: 'http' });
    expect((await chain.generate(ask)).text).toBe('up again');
    expect(clock.sleeps).toEqual([4000]);
  });
});

describe('Ollama provider', () => {
  it('reports a missing model as a request error naming OLLAMA_MODEL', async () => {
    server.enqueue('ollama', { status: 404, errorMessage: "model 'llama9' not found, try pulling it first" });
    const { chain } = testChain(server, { provider: 'ollama', fallback: ['openai'] });
    const error = await failure(chain.generate(ask));
    expect(error.kind).toBe('request');
    expect(error.message).toContain("model 'llama9' not found");
    expect(error.hint).toContain('OLLAMA_MODEL=llama3.2');
    expect(server.requests.map((r) => r.wire)).toEqual(['ollama']);
  });
});
