/**
 * POST /v1/generate when the chain cannot open or the stream fails with a bug: a configuration
 * error answers 422 and is not remembered (the next request opens the chain again), and a
 * non-provider error in a stream ends the stream with an error event and logs the stack.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ProviderChain } from '../../src/providers/chain.js';
import { HTTP_PROTOCOL_VERSION } from '../../src/providers/http-protocol.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { fixtureEnv } from '../support/provider-env.js';
import { call, makeProject, serve, type Started } from './support.js';

const providers = useProviderServer();
let started: Started;
let env: Record<string, string | undefined>;
const HI = { protocol: HTTP_PROTOCOL_VERSION, messages: [{ role: 'user', content: 'hi' }] };

beforeAll(async () => {
  env = { ...fixtureEnv(providers), CODEX_FLOW_PROVIDER: 'nope', CODEX_FLOW_HTTP_URL: undefined };
  started = await serve(await makeProject(), { env });
});
afterAll(async () => {
  await started?.server.stop();
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('serve: /v1/generate faults', () => {
  it('generate with an unknown provider answers 422, and the chain opens again once the setting is fixed', async () => {
    const refused = await call(started.server.url, '/v1/generate', { body: HI });
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    expect(refused.body.diagnostics[0].code).toBe('CF9510');
    expect(refused.body.error).toMatchObject({ kind: 'request', message: expect.stringMatching(/unknown provider "nope"/) });
    env.CODEX_FLOW_PROVIDER = 'openai';
    providers.enqueue('openai', { text: 'opened on the second try' });
    const answered = await call(started.server.url, '/v1/generate', { body: HI });
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect(answered.body.text).toBe('opened on the second try');
  });

  it('generate stream that fails with a bug ends with an internal error event instead of hanging', async () => {
    env.CODEX_FLOW_PROVIDER = 'openai';
    vi.spyOn(ProviderChain.prototype, 'stream').mockImplementation(async function* () {
      yield { type: 'text', text: 'partial' };
      throw new TypeError('a bug in the chain');
    });
    const response = await fetch(`${started.server.url}/v1/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...HI, stream: true }),
      signal: AbortSignal.timeout(5_000),
    });
    const text = await response.text();
    expect(text).toMatch(/"type":"text","text":"partial"/);
    const last = JSON.parse(
      text
        .trim()
        .split('\n\n')
        .at(-1)!
        .replace(/^data: /, ''),
    );
    expect(last).toMatchObject({ type: 'error', error: { kind: 'internal' } });
    expect(last.error.message).not.toMatch(/a bug in the chain/);
    expect(started.lines.join('\n')).toMatch(/TypeError: a bug in the chain/);
  });
});
