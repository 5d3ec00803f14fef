/**
 * Reading what providers say about their limits in response headers.
 *
 * - `Retry-After` (seconds or an HTTP date) and OpenAI's `retry-after-ms`: how long to leave a
 *   provider alone after a 429 or 503.
 * - `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` (OpenAI and most compatible
 *   gateways; resets like `6m0s`) and `anthropic-ratelimit-{requests,tokens,…}-{limit,remaining,reset}`
 *   (resets as RFC 3339 times): the fraction of the quota left, the lowest across dimensions.
 *
 * @example
 * parseRetryAfter({ 'retry-after': '2' }, Date.now()) // 2000
 * rateLimitSnapshot({ 'x-ratelimit-limit-requests': '100', 'x-ratelimit-remaining-requests': '5' }, now)
 * // { remainingFraction: 0.05, resetAtMs: null, source: 'x-ratelimit-remaining-requests 5/100' }
 */
import type { RateLimitSnapshot } from './provider.js';

type Headers = Record<string, string | undefined> | undefined;

/** Milliseconds to wait, or undefined when the headers say nothing usable. */
export function parseRetryAfter(headers: Headers, nowMs: number): number | undefined {
  if (!headers) return undefined;
  const ms = headers['retry-after-ms'];
  if (ms !== undefined && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers['retry-after']?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** `1s`, `6m0s`, `20ms`, `1h2m3.5s` → milliseconds. */
export function parseDuration(value: string): number | undefined {
  const pattern = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let total = 0;
  let matched = '';
  for (const [whole, amount, unit] of value.matchAll(pattern)) {
    total += Number(amount) * (unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000);
    matched += whole;
  }
  return matched.length > 0 && matched === value.trim() ? total : undefined;
}

const OPENAI_HEADER = /^x-ratelimit-(limit|remaining|reset)-(.+)$/;
const ANTHROPIC_HEADER = /^anthropic-ratelimit-(.+)-(limit|remaining|reset)$/;

interface Dimension {
  limit?: number;
  remaining?: number;
  resetAtMs?: number;
}

/** The tightest quota the headers describe, or undefined when they describe none. */
export function rateLimitSnapshot(headers: Headers, nowMs: number): RateLimitSnapshot | undefined {
  if (!headers) return undefined;
  const dimensions = new Map<string, Dimension>();
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined || !name.includes('ratelimit')) continue;
    const openai = OPENAI_HEADER.exec(name);
    const anthropic = openai ? null : ANTHROPIC_HEADER.exec(name);
    if (!openai && !anthropic) continue;
    const field = (openai ? openai[1] : anthropic![2]) as keyof Dimension | 'reset';
    const key = openai ? `x-ratelimit-remaining-${openai[2]}` : `anthropic-ratelimit-${anthropic![1]}-remaining`;
    const dimension = dimensions.get(key) ?? {};
    if (field === 'reset') {
      const reset = openai ? parseDuration(raw) : Date.parse(raw) - nowMs;
      if (reset !== undefined && Number.isFinite(reset)) dimension.resetAtMs = nowMs + Math.max(0, reset);
    } else if (Number.isFinite(Number(raw))) {
      dimension[field === 'limit' ? 'limit' : 'remaining'] = Number(raw);
    }
    dimensions.set(key, dimension);
  }
  let tightest: RateLimitSnapshot | undefined;
  for (const [key, { limit, remaining, resetAtMs }] of dimensions) {
    if (limit === undefined || remaining === undefined || limit <= 0) continue;
    const remainingFraction = Math.min(1, remaining / limit);
    if (!tightest || remainingFraction < tightest.remainingFraction) {
      tightest = { remainingFraction, resetAtMs: resetAtMs ?? null, source: `${key} ${remaining}/${limit}` };
    }
  }
  return tightest;
}
