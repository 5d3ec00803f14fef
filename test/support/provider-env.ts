/**
 * Test helpers around the fixture provider server: an environment that points every provider at
 * it, a fake clock for backoff, a log recorder, a chain wired to all three, and small helpers to
 * drain streams and catch provider errors.
 */
import { createProviderChain, type ChainOptions, type ChainSpec, type ProviderLogEvent } from '../../src/providers/chain.js';
import type { Clock } from '../../src/providers/backoff.js';
import { ProviderError } from '../../src/providers/errors.js';
import type { StreamEvent } from '../../src/providers/provider.js';
import type { ProviderServer } from './provider-server.js';

/** Keys shaped like real ones, so redaction is tested against realistic values. */
export const TEST_KEYS = {
  openai: 'sk-proj-TESTKEYopenai0123456789abcdef',
  anthropic: 'sk-ant-api03-TESTKEYanthropic0123456789',
  http: 'cf-http-token-TESTKEY-0123456789',
};

export function fixtureEnv(server: ProviderServer, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    OPENAI_API_KEY: TEST_KEYS.openai,
    OPENAI_BASE_URL: server.baseUrl('openai'),
    ANTHROPIC_API_KEY: TEST_KEYS.anthropic,
    ANTHROPIC_BASE_URL: server.baseUrl('anthropic'),
    OLLAMA_HOST: `${server.url}/ollama`,
    CODEX_FLOW_HTTP_URL: server.baseUrl('http'),
    CODEX_FLOW_HTTP_TOKEN: TEST_KEYS.http,
    OPENAI_COMPATIBLE_BASE_URL: server.baseUrl('openai'),
    OPENAI_COMPATIBLE_MODEL: 'qwen2.5-coder',
    ...extra,
  };
}

export interface FakeClock extends Clock {
  sleeps: number[];
  advance(ms: number): void;
}

/** A clock whose sleeps return at once and move time forward by the amount slept. */
export function fakeClock(start = Date.parse('2026-01-01T00:00:00Z')): FakeClock {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      sleeps.push(ms);
      now += Math.max(0, ms);
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

export function recordLog(): { events: ProviderLogEvent[]; log: (event: ProviderLogEvent) => void } {
  const events: ProviderLogEvent[] = [];
  return { events, log: (event) => events.push(event) };
}

/** A chain against the fixture server with a fake clock, in-memory state and a recorded log. */
export function testChain(
  server: ProviderServer,
  spec: ChainSpec,
  options: ChainOptions & { env?: Record<string, string | undefined> } = {},
) {
  const clock = fakeClock();
  const { events, log } = recordLog();
  const chain = createProviderChain(spec, options.env ?? fixtureEnv(server), {
    clock,
    log,
    stateFile: null,
    random: () => 0.5,
    ...options,
  });
  return { chain, clock, events };
}

export async function drain(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

/** The streamed text pieces, in order. */
export function textsOf(events: readonly StreamEvent[]): string[] {
  return events.flatMap((event) => (event.type === 'text' ? [event.text] : []));
}

/** Awaits `promise` and returns the ProviderError it rejects with; fails the test if it does not. */
export async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw error;
  }
  throw new Error('expected a ProviderError');
}
