/**
 * Time for the failover layer: a clock that tests replace (so backoff never really sleeps in a
 * test) and the backoff schedule.
 *
 * Backoff is exponential with full jitter: attempt n waits a uniformly random time in
 * [0, min(cap, base · 2ⁿ)). Full jitter (rather than a fixed or "equal jitter" delay) spreads a
 * crowd of clients that failed together, so they do not all hit the fallback at the same moment.
 *
 * @example
 * fullJitterDelay(2, 250, 8_000, Math.random) // somewhere in [0, 1000)
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `ms`; rejects when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    if (ms > 0) await sleep(ms, undefined, { signal });
  },
};

export function fullJitterDelay(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}
