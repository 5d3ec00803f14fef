/**
 * Failover through the real client libraries: every failure kind the issue names, scripted on
 * the fixture server, with a fake clock so backoff costs no time.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CONTINUE_PROMPT, formatLogEvent } from '../../src/providers/chain.js';
import { ProviderChainError, ProviderError } from '../../src/providers/errors.js';
import type { ProviderRequest, StreamEvent } from '../../src/providers/provider.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { drain, failure, fixtureEnv, testChain, textsOf } from '../support/provider-env.js';

const server = useProviderServer();

const ask: ProviderRequest = { messages: [{ role: 'user', content: 'Explain failover' }] };
const FAST = { config: { stallTimeoutMs: 150 } };

const texts = (events: StreamEvent[]) => textsOf(events).join('');

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('retryable failures fail over', () => {
  it.each([408, 409, 429, 500, 503, 529])('HTTP %i moves on to the fallback', async (status) => {
    server.enqueue('openai', { status });
    server.enqueue('anthropic', { text: 'served by anthropic' });
    const { chain, events } = testChain(server, { provider: 'openai', fallback: ['anthropic'] });
    const result = await chain.generate(ask);
    expect(result.text).toBe('served by anthropic');
    expect(result.provider).toBe('anthropic');
    expect(result.attempts.map((a) => [a.provider, a.ok])).toEqual([
      ['openai', false],
      ['anthropic', true],
    ]);
    expect(result.attempts[0]!.error!.status).toBe(status);
    const failover = events.find((e) => e.event === 'provider-failover')!;
    expect(failover).toMatchObject({ provider: 'openai', to: 'anthropic' });
    expect(failover.reason).toContain(`(${status})`);
  });

  it('429 with Retry-After: fails over now and blocks the provider until then', async () => {
    server.enqueue('openai', { status: 429, retryAfter: 7, errorMessage: 'Rate limit reached for requests' });
    server.enqueue('ollama', { text: 'local answer' });
    const { chain, clock } = testChain(server, { provider: 'openai', fallback: ['ollama'] });
    const start = clock.now();
    const result = await chain.generate(ask);
    expect(result.provider).toBe('ollama');
    const error = result.attempts[0]!.error!;
    expect(error.kind).toBe('rate-limit');
    expect(error.retryAfterMs).toBe(7000);
    expect(error.message).toContain('Rate limit reached');
    expect(chain.store.health('openai').blockedUntil).toBe(start + 7000);
    // the next request skips openai without calling it
    server.enqueue('ollama', { text: 'again local' });
    const next = await chain.generate(ask);
    expect(next.attempts.map((a) => a.provider)).toEqual(['ollama']);
    expect(server.requests.filter((r) => r.wire === 'openai')).toHaveLength(1);
  });

  it('honours Retry-After on a lone provider by waiting, up to the cap', async () => {
    server.enqueue('openai', { status: 503, retryAfter: 3 }, { text: 'back' });
    const { chain, clock, events } = testChain(server, { provider: 'openai' });
    const result = await chain.generate(ask);
    expect(result.text).toBe('back');
    expect(clock.sleeps).toEqual([3000]);
    // a person watching knows why nothing happens for a while
    expect(events.filter((e) => e.event === 'provider-wait').map(formatLogEvent)).toEqual([
      'waiting 3000 ms for openai: every provider is blocked; waiting for the earliest Retry-After to end',
    ]);

    server.enqueue('openai', { status: 429, retryAfter: 3600 }, { text: 'after the cap' });
    const capped = testChain(server, { provider: 'openai' }, { config: { retryAfterCapMs: 20_000 } });
    const second = await capped.chain.generate(ask);
    expect(second.text).toBe('after the cap');
    expect(capped.clock.sleeps).toEqual([20_000]);
  });

  it('logs each move in one line: a failover to the next provider, a retry of a lone one', async () => {
    server.enqueue('openai', { status: 503, errorMessage: 'overloaded' }, { status: 500 }, { text: 'ok' });
    server.enqueue('anthropic', { text: 'ok' });
    const pair = testChain(server, { provider: 'openai', fallback: ['anthropic'] });
    await pair.chain.generate(ask);
    const lone = testChain(server, { provider: 'openai' });
    await lone.chain.generate(ask);
    const lines = [...pair.events, ...lone.events].filter((e) => e.event === 'provider-failover').map(formatLogEvent);
    expect(lines).toEqual([
      'failover openai → anthropic after 125 ms: openai: server (503): overloaded',
      'retrying openai after 125 ms: openai: server (500): fixture error 500',
    ]);
  });

  it('backs off exponentially with full jitter between attempts', async () => {
    server.setDefault('openai', { status: 500 });
    server.setDefault('anthropic', { status: 502 });
    server.setDefault('ollama', { status: 503 });
    const { chain, clock } = testChain(
      server,
      { provider: 'openai', fallback: ['anthropic', 'ollama'] },
      { random: () => 0.5, config: { backoffBaseMs: 100, backoffCapMs: 300 } },
    );
    await failure(chain.generate(ask));
    // 6 attempts (2 rounds × 3): delays 0.5 × min(300, 100·2ⁿ) for n = 0…4
    expect(clock.sleeps).toEqual([50, 100, 150, 150, 150]);
  });

  it('network errors (nothing listening) fail over', async () => {
    const port = await closedPort();
    server.enqueue('anthropic', { text: 'reachable' });
    const { chain } = testChain(
      server,
      { provider: 'openai', fallback: ['anthropic'] },
      { env: fixtureEnv(server, { OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1` }) },
    );
    const result = await chain.generate(ask);
    expect(result.text).toBe('reachable');
    expect(result.attempts[0]!.error!.kind).toBe('network');
    expect(result.attempts[0]!.error!.message).toContain('ECONNREFUSED');
  });

  it.each([
    ['openai', 'malformed', 'malformed'],
    ['anthropic', 'malformed', 'malformed'],
    ['ollama', 'malformed', 'malformed'],
    ['http', 'malformed', 'malformed'],
    ['openai', 'cut', 'stream-cut'],
    ['http', 'cut', 'stream-cut'],
  ] as const)('%s: a %s JSON body fails over', async (provider, fault, kind) => {
    server.enqueue(provider, { text: 'half an answer', fault: { kind: fault, afterChunks: 0 } });
    const fallback = provider === 'ollama' ? 'openai' : 'ollama';
    server.enqueue(fallback, { text: 'whole answer' });
    const { chain } = testChain(server, { provider, fallback: [fallback] });
    const result = await chain.generate(ask);
    expect(result.text).toBe('whole answer');
    expect(result.attempts[0]!.error!.kind).toBe(kind);
  });

  it('a stream that keeps arriving outlives the default timeout, which only bounds the wait for its first chunk', async () => {
    server.enqueue('openai', { text: 'one two three four five six', chunkIntervalMs: 40 });
    const { chain } = testChain(server, { provider: 'openai' }, { config: { requestTimeoutMs: 100 } });
    const streamed = await drain(chain.stream(ask));
    expect(texts(streamed)).toBe('one two three four five six');

    server.enqueue('openai', { text: 'too late', ttftMs: 1_000 });
    server.enqueue('anthropic', { text: 'started in time' });
    const slow = testChain(server, { provider: 'openai', fallback: ['anthropic'] }, { config: { requestTimeoutMs: 100 } });
    expect(texts(await drain(slow.chain.stream(ask)))).toBe('started in time');
    expect(slow.events.find((e) => e.event === 'provider-error')!.reason).toContain('timeout: no answer started within 100 ms');
  });

  it('a timeout set on the request caps the whole stream', async () => {
    server.enqueue('openai', { text: 'one two three four five six', chunkIntervalMs: 40 });
    const { chain } = testChain(server, { provider: 'openai' });
    const error = await failure(drain(chain.stream({ ...ask, timeoutMs: 100 })));
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain('the answer is incomplete');
  });

  it('a call over its time budget times out and fails over', async () => {
    server.enqueue('openai', { text: 'too late', latencyMs: 2_000 });
    server.enqueue('anthropic', { text: 'on time' });
    const { chain } = testChain(server, { provider: 'openai', fallback: ['anthropic'] });
    const result = await chain.generate({ ...ask, timeoutMs: 100 });
    expect(result.text).toBe('on time');
    expect(result.attempts[0]!.error!.kind).toBe('timeout');
  });
});

describe('streams', () => {
  it.each([
    ['cut', 'stream-cut'],
    ['stall', 'stall'],
    ['malformed', 'malformed'],
    ['end', 'stream-cut'],
  ] as const)('a %s before the first chunk fails over invisibly', async (fault, kind) => {
    server.enqueue('openai', { text: 'never shown', fault: { kind: fault, afterChunks: 0 } });
    server.enqueue('anthropic', { text: 'clean answer' });
    const { chain, events } = testChain(server, { provider: 'openai', fallback: ['anthropic'] }, FAST);
    const streamed = await drain(chain.stream(ask));
    expect(streamed.map((e) => e.type)).toEqual(['text', 'text', 'finish']);
    expect(texts(streamed)).toBe('clean answer');
    expect(events.find((e) => e.event === 'provider-error')!.reason).toContain(kind);
  });

  it.each([
    ['openai', 'cut', 'stream-cut'],
    ['anthropic', 'cut', 'stream-cut'],
    ['ollama', 'cut', 'stream-cut'],
    ['http', 'cut', 'stream-cut'],
    ['openai', 'stall', 'stall'],
    ['ollama', 'stall', 'stall'],
    ['openai', 'malformed', 'malformed'],
    ['anthropic', 'malformed', 'malformed'],
    ['ollama', 'malformed', 'malformed'],
    ['http', 'malformed', 'malformed'],
    ['openai', 'end', 'stream-cut'],
    ['anthropic', 'end', 'stream-cut'],
    ['ollama', 'end', 'stream-cut'],
    ['http', 'end', 'stream-cut'],
  ] as const)('%s: a %s after the first chunk is an error, never a shorter answer', async (provider, fault, kind) => {
    // chunks 5 ms apart, so the fault does not share a TCP read with the chunks before it
    server.enqueue(provider, { text: 'one two three four five', chunkIntervalMs: 5, fault: { kind: fault, afterChunks: 2 } });
    server.enqueue('ollama', { text: 'fallback must not be used' });
    const { chain } = testChain(server, { provider, fallback: provider === 'ollama' ? ['openai'] : ['ollama'] }, FAST);
    const seen: StreamEvent[] = [];
    const error = await failure(
      (async () => {
        for await (const event of chain.stream(ask)) seen.push(event);
      })(),
    );
    expect(error.kind).toBe(kind);
    expect(error.message).toContain('the answer is incomplete');
    expect(texts(seen)).toBe('one two');
    expect(seen.some((e) => e.type === 'finish')).toBe(false);
  });

  it('with continueOnFallback, prose continues on the fallback after a visible failover event', async () => {
    server.enqueue('openai', { text: 'The first half', fault: { kind: 'cut', afterChunks: 2 } });
    server.enqueue('anthropic', { text: ' and the second half.' });
    const { chain } = testChain(server, { provider: 'openai', fallback: ['anthropic'] }, { continueOnFallback: true });
    const streamed = await drain(chain.stream(ask));
    const failover = streamed.find((e) => e.type === 'failover');
    expect(failover).toMatchObject({ type: 'failover', from: 'openai', to: 'anthropic' });
    expect((failover as { reason: string }).reason).toContain('stream-cut');
    const finish = streamed.at(-1) as Extract<StreamEvent, { type: 'finish' }>;
    expect(finish.result.text).toBe('The first and the second half.');
    const continued = JSON.stringify(server.requests.at(-1)!.body);
    expect(continued).toContain('The first');
    expect(continued).toContain(CONTINUE_PROMPT);
  });

  it('a cut with tool calls in flight ends in an explicit incomplete state', async () => {
    // chunks: "Checking" + 2 tool-argument fragments; cut after the first fragment
    server.enqueue('openai', {
      text: 'Checking',
      toolCalls: [{ name: 'get_weather', input: { city: 'Oslo' } }],
      fault: { kind: 'cut', afterChunks: 2 },
    });
    const { chain } = testChain(server, { provider: 'openai', fallback: ['anthropic'] }, { continueOnFallback: true });
    const streamed = await drain(
      chain.stream({ ...ask, tools: [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }] }),
    );
    const last = streamed.at(-1)!;
    expect(last.type).toBe('incomplete');
    const incomplete = last as Extract<StreamEvent, { type: 'incomplete' }>;
    expect(incomplete.error.kind).toBe('stream-cut');
    expect(incomplete.partial.text).toBe('Checking');
    expect(streamed.some((e) => e.type === 'tool-call-start')).toBe(true);
    expect(server.requests.filter((r) => r.wire === 'anthropic')).toHaveLength(0);
  });
});

describe('errors that must not fail over', () => {
  it.each([
    [401, 'auth', 'OPENAI_API_KEY'],
    [403, 'auth', 'OPENAI_API_KEY'],
    [400, 'request', 'openai rejected the request'],
    [404, 'request', 'OPENAI_MODEL'],
    [422, 'request', 'openai rejected the request'],
  ] as const)('HTTP %i stops at once and says what to fix', async (status, kind, hint) => {
    server.enqueue('openai', { status, errorMessage: 'Incorrect API key provided: sk-proj-TESTKEY...' });
    const { chain, clock } = testChain(server, { provider: 'openai', fallback: ['anthropic', 'ollama'] });
    const error = await failure(chain.generate(ask));
    expect(error.kind).toBe(kind);
    expect(error.isRetryable).toBe(false);
    expect(error.status).toBe(status);
    expect(error.hint).toContain(hint);
    expect(server.requests.map((r) => r.wire)).toEqual(['openai']);
    expect(clock.sleeps).toEqual([]);
  });

  it('a 401 in a stream does not fail over either', async () => {
    server.enqueue('anthropic', { status: 401 });
    const { chain } = testChain(server, { provider: 'anthropic', fallback: ['openai'] });
    const error = await failure(drain(chain.stream(ask)));
    expect(error.kind).toBe('auth');
    expect(error.hint).toContain('ANTHROPIC_API_KEY');
    expect(server.requests.map((r) => r.wire)).toEqual(['anthropic']);
  });

  it('a cancelled call stops without failover', async () => {
    server.enqueue('openai', { text: 'slow', latencyMs: 1_000 });
    const { chain } = testChain(server, { provider: 'openai', fallback: ['anthropic'] });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await failure(chain.generate(ask, controller.signal));
    expect(error.kind).toBe('aborted');
    expect(server.requests.map((r) => r.wire)).toEqual(['openai']);
  });
});

describe('skips and exhaustion', () => {
  it('skips a provider without credentials with a one-line reason and never calls it', async () => {
    server.enqueue('ollama', { text: 'ok' });
    const env = fixtureEnv(server, { ANTHROPIC_API_KEY: undefined });
    const { chain, events } = testChain(server, { provider: 'anthropic', fallback: ['ollama'] }, { env });
    const result = await chain.generate(ask);
    expect(result.provider).toBe('ollama');
    const skip = events.find((e) => e.event === 'provider-skip')!;
    expect(skip).toMatchObject({ provider: 'anthropic', reason: 'not configured: ANTHROPIC_API_KEY is not set' });
    expect(skip.reason).not.toContain('\n');
    expect(server.requests.map((r) => r.wire)).toEqual(['ollama']);
  });

  it('skips providers that cannot call tools when the request has tools', async () => {
    server.enqueue('openai', { text: 'ok' });
    const env = fixtureEnv(server, { CODEX_FLOW_CLI_CMD: 'cat' });
    const { chain, events } = testChain(server, { provider: 'cli', fallback: ['openai'] }, { env });
    await chain.generate({ ...ask, tools: [{ name: 't', parameters: { type: 'object' } }] });
    expect(events.find((e) => e.event === 'provider-skip')).toMatchObject({ provider: 'cli', reason: 'cannot call tools' });
  });

  it('fails with every cause listed when nothing can serve the request', async () => {
    server.setDefault('openai', { status: 500, errorMessage: 'upstream exploded' });
    server.setDefault('ollama', { status: 503, errorMessage: 'model is loading' });
    const env = fixtureEnv(server, { ANTHROPIC_API_KEY: undefined });
    const { chain } = testChain(server, { provider: 'openai', fallback: ['anthropic', 'ollama'] }, { env });
    const error = await failure(chain.generate(ask));
    expect(error).toBeInstanceOf(ProviderChainError);
    const chainError = error as ProviderChainError;
    expect(chainError.kind).toBe('unavailable');
    expect(chainError.message).toContain('openai: server (500): upstream exploded');
    expect(chainError.message).toContain('anthropic: skipped: not configured: ANTHROPIC_API_KEY is not set');
    expect(chainError.message).toContain('ollama: server (503): model is loading');
    expect(chainError.causes.filter((c) => c.error).length).toBe(4); // two rounds × two providers
  });

  it('rejects an unknown provider name at creation with the known names', () => {
    expect(() => testChain(server, { provider: 'opnai' })).toThrowError(/unknown provider "opnai"/);
    try {
      testChain(server, { provider: 'opnai' });
    } catch (error) {
      expect((error as ProviderError).hint).toContain('openai');
    }
  });
});
