import { describe, expect, it } from 'vitest';
import {
  ollamaHost,
  resolveProviderOptions,
  DEFAULT_COOLDOWN_BASE_MS,
  DEFAULT_COOLDOWN_MAX_MS,
  DEFAULT_PROACTIVE_THRESHOLD,
} from '../../src/providers/options.js';
import { parseDuration, parseRetryAfter, rateLimitSnapshot } from '../../src/providers/rate-limit.js';

describe('resolveProviderOptions', () => {
  it('configures providers from the variables users already have', () => {
    const options = resolveProviderOptions({ OPENAI_API_KEY: 'sk-1', ANTHROPIC_API_KEY: 'sk-ant-1', OPENAI_MODEL: 'gpt-4o' });
    expect(options.providers.openai).toMatchObject({
      configured: true,
      model: 'gpt-4o',
      baseURL: 'https://api.openai.com/v1',
      apiKey: 'sk-1',
    });
    expect(options.providers.anthropic).toMatchObject({ configured: true, baseURL: 'https://api.anthropic.com/v1' });
    expect(options.providers.ollama).toMatchObject({ configured: true, baseURL: 'http://127.0.0.1:11434/api' });
    expect(options.providers.cli).toMatchObject({ configured: false, missing: 'CODEX_FLOW_CLI_CMD is not set' });
    expect(options.providers.http).toMatchObject({ configured: false, missing: 'CODEX_FLOW_HTTP_URL is not set' });
    expect(options.secrets.sort()).toEqual(['sk-1', 'sk-ant-1']);
  });

  it('treats OPENAI_BASE_URL at a local server as configured without a key', () => {
    const options = resolveProviderOptions({ OPENAI_BASE_URL: 'http://localhost:8000/v1/' });
    expect(options.providers.openai).toMatchObject({ configured: true, baseURL: 'http://localhost:8000/v1', apiKey: undefined });
    expect(resolveProviderOptions({}).providers.openai).toMatchObject({ configured: false, missing: 'OPENAI_API_KEY is not set' });
  });

  it('accepts ANTHROPIC_BASE_URL with or without /v1, and ANTHROPIC_AUTH_TOKEN for gateways', () => {
    expect(resolveProviderOptions({ ANTHROPIC_BASE_URL: 'https://gw.example.com/anthropic' }).providers.anthropic!.baseURL).toBe(
      'https://gw.example.com/anthropic/v1',
    );
    expect(resolveProviderOptions({ ANTHROPIC_BASE_URL: 'https://gw.example.com/v1/' }).providers.anthropic!.baseURL).toBe(
      'https://gw.example.com/v1',
    );
    expect(resolveProviderOptions({ ANTHROPIC_AUTH_TOKEN: 'tok-123456' }).providers.anthropic).toMatchObject({
      configured: true,
      authToken: 'tok-123456',
      credentialEnv: 'ANTHROPIC_AUTH_TOKEN',
    });
  });

  it.each([
    [undefined, 'http://127.0.0.1:11434'],
    ['0.0.0.0', 'http://127.0.0.1:11434'],
    ['ollama.internal', 'http://ollama.internal:11434'],
    ['10.0.0.5:9999', 'http://10.0.0.5:9999'],
    ['https://ollama.example.com', 'https://ollama.example.com'],
    ['http://box:11434/', 'http://box:11434'],
  ])('reads OLLAMA_HOST=%s as Ollama does', (raw, expected) => {
    expect(ollamaHost(raw)).toBe(expected);
  });

  it('defines extra OpenAI-compatible providers from the config', () => {
    const options = resolveProviderOptions(
      { VLLM_KEY: 'v-123456' },
      {
        definitions: {
          vllm: {
            kind: 'openai-compatible',
            baseURL: 'http://gpu:8000/v1',
            model: 'qwen2.5-coder',
            apiKeyEnv: 'VLLM_KEY',
            priceIn: 0.0001,
            priceOut: 0.0002,
          },
          lmstudio: { baseURL: 'http://localhost:1234/v1', model: 'local' },
          broken: { kind: 'openai-compatible', model: 'x' },
        },
      },
    );
    expect(options.providers.vllm).toMatchObject({
      configured: true,
      kind: 'openai-compatible',
      apiKey: 'v-123456',
      price: { input: 0.0001, output: 0.0002, cached: 0.0001 },
    });
    expect(options.providers.lmstudio).toMatchObject({ configured: true, kind: 'openai-compatible' });
    expect(options.providers.broken).toMatchObject({ configured: false, missing: 'providers.definitions.broken.baseURL is not set' });
  });

  it.each([
    ['OPENAI_BASE_URL', 'not a url', 'openai'],
    ['ANTHROPIC_BASE_URL', 'ftp://gw.example.com', 'anthropic'],
    ['OPENAI_COMPATIBLE_BASE_URL', 'localhost:8000/v1', 'compatible'],
    ['CODEX_FLOW_HTTP_URL', '://', 'http'],
  ])('a bad %s=%s makes %s unusable, with the reason, instead of failing at call time', (name, value, id) => {
    const options = resolveProviderOptions({
      OPENAI_API_KEY: 'sk-1',
      ANTHROPIC_API_KEY: 'sk-ant-1',
      OPENAI_COMPATIBLE_MODEL: 'm',
      [name]: value,
    });
    expect(options.providers[id]).toMatchObject({ configured: false, missing: `${name}=${JSON.stringify(value)} is not an http(s) URL` });
  });

  it.each(['http://[bad', 'ftp://host', 'a b'])('a bad OLLAMA_HOST=%s makes ollama unusable, with the reason', (value) => {
    expect(ollamaHost(value)).toBeUndefined();
    expect(resolveProviderOptions({ OLLAMA_HOST: value }).providers.ollama).toMatchObject({
      configured: false,
      missing: `OLLAMA_HOST=${JSON.stringify(value)} is not a host, host:port or http(s) URL`,
    });
  });

  it.each([
    ['llm "unclosed', 'CODEX_FLOW_CLI_CMD has an unclosed " quote'],
    ["llm 'x", "CODEX_FLOW_CLI_CMD has an unclosed ' quote"],
    ['"" --flag', 'CODEX_FLOW_CLI_CMD names no command'],
  ])('a CLI template that cannot run (%s) is reported when resolved', (command, missing) => {
    expect(resolveProviderOptions({ CODEX_FLOW_CLI_CMD: command }).providers.cli).toMatchObject({ configured: false, missing });
  });

  it('a definition that fixes a built-in drops the built-in reason', () => {
    const options = resolveProviderOptions({}, { definitions: { openai: { baseURL: 'http://localhost:8000/v1' } } });
    expect(options.providers.openai).toMatchObject({ configured: true, baseURL: 'http://localhost:8000/v1' });
    expect(options.providers.openai!.missing).toBeUndefined();
  });

  it('reports chain names that match no provider, with a guess', () => {
    const fromEnv = resolveProviderOptions({ CODEX_FLOW_PROVIDER: 'opnai', CODEX_FLOW_FALLBACK: 'ollama,antropic' });
    expect(fromEnv.diagnostics.map((d) => [d.code, d.severity, d.message])).toEqual([
      ['CF7002', 'error', 'CODEX_FLOW_PROVIDER: unknown provider "opnai" (did you mean openai?)'],
      ['CF7002', 'error', 'CODEX_FLOW_FALLBACK: unknown provider "antropic" (did you mean anthropic?)'],
    ]);
    const fromConfig = resolveProviderOptions(
      {},
      { provider: 'vllm', definitions: { vllm: { baseURL: 'http://gpu:8000/v1' } }, fallback: ['nope'] },
    );
    expect(fromConfig.diagnostics.map((d) => d.message)).toEqual(['providers.fallback: unknown provider "nope"']);
  });

  it('checks the config section field by field: wrong types are warnings and the default applies', () => {
    const options = resolveProviderOptions({}, {
      fallback: 'anthropic, ollama',
      rounds: 'two',
      requestTimeoutMs: 0,
      continueOnFallback: 'yes',
      breaker: { failureThreshold: 50, minRequests: 3 },
      definitions: { vllm: { baseURL: 'http://gpu:8000/v1', priceIn: 'free', model: 'qwen' }, bad: 'http://x' },
    } as never);
    expect(options).toMatchObject({ fallback: ['anthropic', 'ollama'], rounds: 2, requestTimeoutMs: 120_000, continueOnFallback: false });
    expect(options.breaker).toMatchObject({ failureThreshold: 0.5, minRequests: 3 });
    expect(options.providers.vllm).toMatchObject({ configured: true, model: 'qwen', price: null });
    expect(options.providers.bad).toBeUndefined();
    expect(options.diagnostics.map((d) => d.message)).toEqual([
      'providers.requestTimeoutMs should be milliseconds, more than 0; ignored',
      'providers.rounds should be a whole number ≥ 1; ignored',
      'providers.continueOnFallback should be true or false; ignored',
      'providers.breaker.failureThreshold should be a fraction in (0, 1]; ignored',
      'providers.definitions.vllm.priceIn should be USD per 1K tokens; ignored',
      'providers.definitions.bad should be a mapping of settings; ignored',
    ]);
    expect(resolveProviderOptions({}, 'oops' as never).diagnostics[0]!.message).toBe('providers should be a mapping of settings; ignored');
  });

  it('refuses a zero timeout from the environment: it would fail every call at once', () => {
    const options = resolveProviderOptions({ CODEX_FLOW_REQUEST_TIMEOUT_MS: '0', CODEX_FLOW_STALL_TIMEOUT_MS: '5000' });
    expect(options).toMatchObject({ requestTimeoutMs: 120_000, stallTimeoutMs: 5_000 });
    expect(options.diagnostics.map((d) => d.message)).toEqual(['CODEX_FLOW_REQUEST_TIMEOUT_MS="0" is not a number above 0; ignored']);
  });

  it('resolves the chain and every tuning default in one place', () => {
    const options = resolveProviderOptions(
      { CODEX_FLOW_PROVIDER: 'anthropic', CODEX_FLOW_FALLBACK: 'openai, ollama', CODEX_FLOW_BUDGET_USD: '2.5' },
      { stallTimeoutMs: 5_000 },
    );
    expect(options).toMatchObject({
      provider: 'anthropic',
      fallback: ['openai', 'ollama'],
      budgetUsd: 2.5,
      stallTimeoutMs: 5_000,
      rounds: 2,
      stateFile: '.codex-flow/providers-state.json',
    });
    expect(options.breaker).toMatchObject({
      cooldownBaseMs: DEFAULT_COOLDOWN_BASE_MS,
      cooldownMaxMs: DEFAULT_COOLDOWN_MAX_MS,
      proactiveThreshold: DEFAULT_PROACTIVE_THRESHOLD,
    });
    expect([DEFAULT_COOLDOWN_BASE_MS, DEFAULT_COOLDOWN_MAX_MS, DEFAULT_PROACTIVE_THRESHOLD]).toEqual([60_000, 600_000, 0.2]);
  });
});

describe('rate-limit headers', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('reads Retry-After as seconds, as an HTTP date, and retry-after-ms', () => {
    expect(parseRetryAfter({ 'retry-after': '2' }, now)).toBe(2000);
    expect(parseRetryAfter({ 'retry-after': '0.5' }, now)).toBe(500);
    expect(parseRetryAfter({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }, now)).toBe(30_000);
    expect(parseRetryAfter({ 'retry-after-ms': '150', 'retry-after': '1' }, now)).toBe(150);
    expect(parseRetryAfter({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('parses OpenAI reset durations', () => {
    expect(parseDuration('1s')).toBe(1000);
    expect(parseDuration('6m0s')).toBe(360_000);
    expect(parseDuration('20ms')).toBe(20);
    expect(parseDuration('1h2m3.5s')).toBe(3_723_500);
    expect(parseDuration('later')).toBeUndefined();
  });

  it('takes the tightest dimension of OpenAI headers', () => {
    const snapshot = rateLimitSnapshot(
      {
        'x-ratelimit-limit-requests': '100',
        'x-ratelimit-remaining-requests': '90',
        'x-ratelimit-reset-requests': '1s',
        'x-ratelimit-limit-tokens': '10000',
        'x-ratelimit-remaining-tokens': '500',
        'x-ratelimit-reset-tokens': '6m0s',
      },
      now,
    );
    expect(snapshot).toEqual({ remainingFraction: 0.05, resetAtMs: now + 360_000, source: 'x-ratelimit-remaining-tokens 500/10000' });
  });

  it('reads Anthropic headers with RFC 3339 resets', () => {
    const snapshot = rateLimitSnapshot(
      {
        'anthropic-ratelimit-requests-limit': '50',
        'anthropic-ratelimit-requests-remaining': '5',
        'anthropic-ratelimit-requests-reset': '2026-01-01T00:00:20Z',
        'anthropic-ratelimit-output-tokens-limit': '8000',
        'anthropic-ratelimit-output-tokens-remaining': '7000',
      },
      now,
    );
    expect(snapshot).toEqual({ remainingFraction: 0.1, resetAtMs: now + 20_000, source: 'anthropic-ratelimit-requests-remaining 5/50' });
    expect(rateLimitSnapshot({ 'content-type': 'json' }, now)).toBeUndefined();
  });
});
