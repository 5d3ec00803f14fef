/**
 * Circuit breaker, cooldowns, half-open probing, proactive switching and persisted state: the
 * state machine alone, then through the chain against the fixture server.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CircuitBreaker, freshHealth } from '../../src/providers/breaker.js';
import { ProviderError } from '../../src/providers/errors.js';
import { resolveProviderOptions } from '../../src/providers/options.js';
import type { ProviderRequest } from '../../src/providers/provider.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { fakeClock, fixtureEnv, recordLog, testChain } from '../support/provider-env.js';
import { createProviderChain } from '../../src/providers/chain.js';

const OPTIONS = resolveProviderOptions({}).breaker;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const serverError = new ProviderError('server', 'boom', { status: 500 });

describe('CircuitBreaker', () => {
  it('stays closed below the minimum number of requests, whatever the failure rate', () => {
    const breaker = new CircuitBreaker(freshHealth(), OPTIONS, 60_000);
    for (let i = 0; i < OPTIONS.minRequests - 1; i++) breaker.recordFailure(T0 + i, serverError);
    expect(breaker.health.state).toBe('closed');
    breaker.recordFailure(T0 + 10, serverError);
    expect(breaker.health.state).toBe('open');
  });

  it('opens on the failure rate over the window, not on old failures', () => {
    const breaker = new CircuitBreaker(freshHealth(), OPTIONS, 60_000);
    for (let i = 0; i < 4; i++) breaker.recordFailure(T0, serverError);
    // two minutes later the old failures have left the window
    const later = T0 + 2 * OPTIONS.windowMs;
    for (let i = 0; i < 3; i++) breaker.recordSuccess(later);
    breaker.recordFailure(later, serverError);
    breaker.recordFailure(later, serverError);
    expect(breaker.health.outcomes).toHaveLength(5);
    expect(breaker.health.state).toBe('closed'); // 2/5 = 40 % < 50 %
    breaker.recordFailure(later, serverError);
    expect(breaker.health.state).toBe('open'); // 3/6
  });

  it('cools down 60 s, then doubles on each failed probe up to 600 s; a good probe resets it', () => {
    const breaker = new CircuitBreaker(freshHealth(), OPTIONS, 60_000);
    let now = T0;
    for (let i = 0; i < 5; i++) breaker.recordFailure(now, serverError);
    const cooldowns: number[] = [];
    for (let probe = 0; probe < 6; probe++) {
      cooldowns.push(breaker.health.openUntil! - now);
      expect(breaker.availability(now + 1)).toMatchObject({ ok: false, retryAfter: false });
      now = breaker.health.openUntil!;
      const gate = breaker.availability(now);
      expect(gate).toEqual({ ok: true, probe: true });
      expect(breaker.health.state).toBe('half-open');
      breaker.begin(gate as { probe: boolean });
      expect(breaker.availability(now)).toMatchObject({ ok: false, reason: 'circuit half-open, a probe call is in flight' });
      breaker.recordFailure(now, serverError);
    }
    expect(cooldowns).toEqual([60_000, 120_000, 240_000, 480_000, 600_000, 600_000]);
    now = breaker.health.openUntil!;
    breaker.begin(breaker.availability(now) as { probe: boolean });
    breaker.recordSuccess(now);
    expect(breaker.health).toMatchObject({ state: 'closed', opens: 0 });
    expect(breaker.availability(now)).toEqual({ ok: true, probe: false });
  });

  it('does not count auth, request or cancelled calls against the provider', () => {
    const breaker = new CircuitBreaker(freshHealth(), OPTIONS, 60_000);
    for (const kind of ['auth', 'request', 'aborted', 'budget'] as const) {
      for (let i = 0; i < 10; i++) breaker.recordFailure(T0, new ProviderError(kind, 'x'));
    }
    expect(breaker.health.outcomes).toEqual([]);
    expect(breaker.health.state).toBe('closed');
  });

  it('blocks for Retry-After, capped', () => {
    const breaker = new CircuitBreaker(freshHealth(), OPTIONS, 30_000);
    breaker.recordFailure(T0, new ProviderError('rate-limit', 'slow down', { status: 429, retryAfterMs: 3_600_000 }));
    expect(breaker.availability(T0 + 29_999)).toMatchObject({ ok: false, retryAfter: true, untilMs: T0 + 30_000 });
    expect(breaker.availability(T0 + 30_000).ok).toBe(true);
  });

  it('deprioritises under 20 % of the quota until the reset, and recovers when the quota does', () => {
    const breaker = new CircuitBreaker(freshHealth(), OPTIONS, 60_000);
    breaker.recordSuccess(T0, { remainingFraction: 0.25, resetAtMs: T0 + 10_000, source: 'x' });
    expect(breaker.availability(T0)).toEqual({ ok: true, probe: false });
    breaker.recordSuccess(T0, { remainingFraction: 0.1, resetAtMs: T0 + 10_000, source: 'x-ratelimit-remaining-requests 1/10' });
    const gate = breaker.availability(T0 + 1);
    expect(gate.ok && gate.deprioritised).toContain('10 % left');
    expect(breaker.availability(T0 + 10_000)).toEqual({ ok: true, probe: false });
    breaker.recordSuccess(T0 + 2, { remainingFraction: 0.9, resetAtMs: null, source: 'x' });
    expect(breaker.health.lowQuota).toBeUndefined();
  });
});

describe('through the chain', () => {
  const server = useProviderServer();
  const ask: ProviderRequest = { messages: [{ role: 'user', content: 'hi' }] };

  it('opens the circuit after repeated failures, skips the provider, probes after the cooldown', async () => {
    server.setDefault('openai', { status: 500 });
    server.setDefault('anthropic', { text: 'fallback' });
    // random 0: backoff sleeps take no fake time, so cooldowns can be compared exactly
    const { chain, clock, events } = testChain(server, { provider: 'openai', fallback: ['anthropic'] }, { random: () => 0 });
    for (let i = 0; i < 5; i++) await chain.generate(ask);
    expect(events.filter((e) => e.event === 'circuit-open')).toHaveLength(1);
    const openaiCalls = () => server.requests.filter((r) => r.wire === 'openai').length;
    expect(openaiCalls()).toBe(5);

    const skipped = await chain.generate(ask);
    expect(skipped.attempts.map((a) => a.provider)).toEqual(['anthropic']);
    expect(openaiCalls()).toBe(5);

    clock.advance(60_000); // cooldown over: half-open, one probe, which fails → 120 s
    await chain.generate(ask);
    expect(openaiCalls()).toBe(6);
    expect(chain.store.health('openai').openUntil! - clock.now()).toBe(120_000);

    server.setDefault('openai', { text: 'recovered' });
    clock.advance(120_000);
    const recovered = await chain.generate(ask);
    expect(recovered.text).toBe('recovered');
    expect(chain.store.health('openai')).toMatchObject({ state: 'closed', opens: 0 });
  });

  it('a half-open probe whose reader stops early frees the probe slot', async () => {
    server.setDefault('openai', { status: 500 });
    server.setDefault('anthropic', { text: 'fallback' });
    const { chain, clock } = testChain(server, { provider: 'openai', fallback: ['anthropic'] }, { random: () => 0 });
    for (let i = 0; i < 5; i++) await chain.generate(ask);
    clock.advance(60_000);
    server.setDefault('openai', { text: 'probe answer in words', chunkIntervalMs: 5 });
    for await (const event of chain.stream(ask)) if (event.type === 'text') break;
    const next = await chain.generate(ask);
    expect(next.provider).toBe('openai');
    expect(chain.store.health('openai').state).toBe('closed');
  });

  it.each([
    ['openai', 'anthropic'],
    ['anthropic', 'openai'],
  ] as const)('switches away from %s proactively when its rate-limit headers show < 20 %% left', async (first, second) => {
    server.enqueue(first, { text: 'first', rateLimit: { remaining: 1, limit: 10, resetSeconds: 30 } });
    server.setDefault(second, { text: 'second' });
    const { chain, clock, events } = testChain(server, { provider: first, fallback: [second] });
    expect((await chain.generate(ask)).provider).toBe(first);
    const deprioritised = events.find((e) => e.event === 'provider-deprioritise')!;
    expect(deprioritised.provider).toBe(first);
    expect(deprioritised.reason).toMatch(/ratelimit-.*1\/10/);
    expect((await chain.generate(ask)).provider).toBe(second);
    // still usable when it is the only one left
    server.setDefault(second, { status: 503 });
    server.enqueue(first, { text: 'first again' });
    expect((await chain.generate(ask)).provider).toBe(first);
    clock.advance(31_000);
    server.enqueue(first, { text: 'after reset' });
    expect((await chain.generate(ask)).text).toBe('after reset');
  });

  it('persists health atomically and a new chain (a new CLI run) honours it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-state-'));
    const stateFile = join(dir, '.codex-flow', 'providers-state.json');
    server.setDefault('openai', { status: 502 });
    server.setDefault('anthropic', { text: 'ok' });
    const clock = fakeClock();
    const first = createProviderChain({ provider: 'openai', fallback: ['anthropic'] }, fixtureEnv(server), {
      clock,
      log: () => {},
      stateFile,
      random: () => 0,
    });
    for (let i = 0; i < 5; i++) await first.generate(ask);
    // the opening was written at once, without waiting for flush()
    const written = JSON.parse(readFileSync(stateFile, 'utf8'));
    expect(written.version).toBe(1);
    expect(written.providers.openai.state).toBe('open');
    expect(readdirSync(join(dir, '.codex-flow')).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const before = server.requests.length;
    const second = createProviderChain({ provider: 'openai', fallback: ['anthropic'] }, fixtureEnv(server), {
      clock,
      log: () => {},
      stateFile,
    });
    const result = await second.generate(ask);
    expect(result.attempts.map((a) => a.provider)).toEqual(['anthropic']);
    expect(server.requests.slice(before).map((r) => r.wire)).toEqual(['anthropic']);
    second.flush();
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).providers.anthropic.outcomes.length).toBeGreaterThan(0);
  });

  it('starts clean, and says so, when the state file is corrupt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-state-'));
    mkdirSync(join(dir, '.codex-flow'));
    const stateFile = join(dir, '.codex-flow', 'providers-state.json');
    writeFileSync(stateFile, '{"version":1,"providers":');
    const { events, log } = recordLog();
    server.enqueue('openai', { text: 'fine' });
    const chain = createProviderChain({ provider: 'openai' }, fixtureEnv(server), { log, stateFile });
    expect((await chain.generate(ask)).text).toBe('fine');
    expect(events[0]).toMatchObject({ event: 'state-problem' });
    expect(events[0]!.reason).toContain('not valid JSON');
  });
});
