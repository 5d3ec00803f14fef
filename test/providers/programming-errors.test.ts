/**
 * Regression: a programming error thrown inside a provider call was classed as a retryable
 * provider failure, failed over in a loop, opened healthy circuits and persisted them. Through the
 * real chain and the real AI SDK against the fixture server: a bug goes up unchanged, with no
 * failover, no breaker outcome and no state file; real network failures still fail over.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APICallError } from 'ai';
import { afterEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/providers/errors.js';
import { isProgrammingError } from '../../src/providers/faults.js';
import type { ProviderRequest } from '../../src/providers/provider.js';
import { drain, testChain } from '../support/provider-env.js';
import { useProviderServer } from '../support/use-provider-server.js';

const server = useProviderServer();

function nodeError(code: string, message: string, type: ErrorConstructor = TypeError): Error {
  return Object.assign(new type(message), { code });
}

describe('isProgrammingError', () => {
  it.each([
    ['a TypeError of our code', new TypeError("Cannot read properties of undefined (reading 'map')")],
    ['a ReferenceError', new ReferenceError('x is not defined')],
    ['a RangeError', new RangeError('Maximum call stack size exceeded')],
    ['a SyntaxError of a bad pattern', new SyntaxError('Invalid regular expression: /(/: Unterminated group')],
    [
      'Node ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING',
      nodeError('ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING', 'A dynamic import callback was not specified.'),
    ],
    ['Node ERR_MODULE_NOT_FOUND', nodeError('ERR_MODULE_NOT_FOUND', "Cannot find package 'ollama-ai-provider-v2'", Error)],
    ['CommonJS MODULE_NOT_FOUND', nodeError('MODULE_NOT_FOUND', "Cannot find module './models.js'", Error)],
  ])('%s is a programming error', (_name, error) => {
    expect(isProgrammingError(error)).toBe(true);
  });

  it.each([
    [
      "undici's fetch failed (with its cause)",
      new TypeError('fetch failed', { cause: nodeError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9', Error) }),
    ],
    ["undici's terminated (with its cause)", new TypeError('terminated', { cause: new Error('other side closed') })],
    [
      'an AI SDK APICallError',
      new APICallError({ message: 'Cannot connect to API', url: 'http://x', requestBodyValues: {}, cause: new TypeError('fetch failed') }),
    ],
    ['a body that is not JSON', new SyntaxError('Unexpected token < in JSON at position 0')],
    ['a ProviderError', new ProviderError('server', 'boom')],
    ['a premature close', nodeError('ERR_STREAM_PREMATURE_CLOSE', 'Premature close', Error)],
    ['an abort', Object.assign(new Error('aborted'), { name: 'AbortError' })],
    ['a plain Error', new Error('the CLI provider failed')],
    ['not an Error', 'boom'],
  ])('%s is not', (_name, error) => {
    expect(isProgrammingError(error)).toBe(false);
  });
});

describe('a programming error inside a provider call', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  /** `messages` missing: the adapter's own message conversion throws a TypeError inside the call. */
  const broken = { messages: undefined } as unknown as ProviderRequest;

  function chainWithStateFile() {
    dir = mkdtempSync(join(tmpdir(), 'cf-bug-'));
    const stateFile = join(dir, '.codex-flow', 'providers-state.json');
    return {
      stateFile,
      ...testChain(
        server,
        { provider: 'openai', fallback: ['anthropic', 'ollama'] },
        { stateFile, config: { breaker: { minRequests: 1 } } },
      ),
    };
  }

  it('generate: goes up unchanged, no failover, no breaker outcome, nothing persisted', async () => {
    const { chain, events, stateFile } = chainWithStateFile();
    for (let call = 0; call < 3; call++) {
      const error = await chain.generate(broken).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(TypeError);
      expect(error).not.toBeInstanceOf(ProviderError);
    }
    expect(events.filter((e) => e.event === 'provider-failover' || e.event === 'circuit-open' || e.event === 'provider-error')).toEqual([]);
    for (const id of ['openai', 'anthropic', 'ollama']) expect(chain.store.health(id)).toMatchObject({ state: 'closed', outcomes: [] });
    chain.flush();
    expect(existsSync(stateFile)).toBe(false);
    // the provider is still healthy: the next good request goes to it
    server.enqueue('openai', { text: 'still here' });
    const result = await chain.generate({ messages: [{ role: 'user', content: 'hello' }] });
    expect(result.attempts.map((a) => [a.provider, a.ok])).toEqual([['openai', true]]);
  });

  it('stream: goes up unchanged, no failover, no breaker outcome', async () => {
    const { chain, events } = chainWithStateFile();
    const error = await drain(chain.stream(broken)).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(events.filter((e) => e.event === 'provider-failover' || e.event === 'provider-error')).toEqual([]);
    expect(chain.store.health('openai').outcomes).toEqual([]);
  });

  it('a refused connection is still a retryable network failure that fails over', async () => {
    const { chain } = testChain(
      server,
      { provider: 'openai', fallback: ['anthropic'] },
      {
        env: {
          OPENAI_API_KEY: 'sk-test',
          OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
          ANTHROPIC_API_KEY: 'sk-ant-test',
          ANTHROPIC_BASE_URL: server.baseUrl('anthropic'),
        },
      },
    );
    server.enqueue('anthropic', { text: 'from anthropic' });
    const result = await chain.generate({ messages: [{ role: 'user', content: 'hello' }] });
    expect(result.attempts.map((a) => [a.provider, a.ok, a.error?.kind])).toEqual([
      ['openai', false, 'network'],
      ['anthropic', true, undefined],
    ]);
  });
});
