/**
 * Per-provider health: a circuit breaker with growing cooldowns, Retry-After blocks and a
 * low-quota flag for proactive switching.
 *
 * - closed: calls flow. Every retryable failure and every success is an outcome in a sliding
 *   window; when the window holds at least `minRequests` outcomes and the failure rate reaches
 *   `failureThreshold`, the circuit opens.
 * - open: calls are refused until `openUntil`. The cooldown doubles with each opening in a row
 *   (60 s, 120 s, … up to 600 s by default).
 * - half-open: after the cooldown one probe call goes through; success closes the circuit and
 *   resets the cooldown, failure opens it again with the next, longer cooldown.
 *
 * Independently, a `Retry-After` blocks the provider until then (capped), and rate-limit headers
 * showing less than `proactiveThreshold` of the quota left mark it low-quota until the reset:
 * still usable, but tried after the others. Auth and request errors say nothing about health and
 * are not counted. The health record is plain JSON so the state store can persist it.
 *
 * @example
 * const breaker = new CircuitBreaker(health, options, retryAfterCapMs, onChange);
 * const gate = breaker.availability(now);
 * if (gate.ok) { breaker.begin(gate); … breaker.recordSuccess(now, result.rateLimit); }
 */
import type { ProviderError } from './errors.js';
import type { BreakerOptions } from './options.js';
import type { RateLimitSnapshot } from './provider.js';

/** Outcomes kept per provider whatever the window: bounds the state file. */
const MAX_OUTCOMES = 100;

export interface ProviderHealth {
  state: 'closed' | 'open' | 'half-open';
  /** Consecutive openings; the cooldown grows with it. */
  opens: number;
  openUntil?: number;
  blockedUntil?: number;
  lowQuota?: { remainingFraction: number; until: number; source: string };
  /** [epoch ms, 1 = ok / 0 = failed], oldest first. */
  outcomes: Array<[number, 0 | 1]>;
  lastError?: { kind: string; message: string; at: number };
  lastSuccessAt?: number;
}

export function freshHealth(): ProviderHealth {
  return { state: 'closed', opens: 0, outcomes: [] };
}

export type Availability =
  { ok: true; probe: boolean; deprioritised?: string } | { ok: false; reason: string; untilMs: number; retryAfter: boolean };

/** `urgent` changes (state transitions, blocks) are persisted at once; outcomes lazily. */
export type HealthChange = (urgent: boolean) => void;

const NOT_COUNTED = new Set(['auth', 'request', 'unsupported', 'aborted', 'budget', 'unavailable']);

export class CircuitBreaker {
  private probeInFlight = false;

  constructor(
    readonly health: ProviderHealth,
    private readonly options: BreakerOptions,
    private readonly retryAfterCapMs: number,
    private readonly onChange: HealthChange = () => {},
  ) {}

  availability(now: number): Availability {
    const health = this.health;
    if (health.blockedUntil !== undefined && health.blockedUntil > now) {
      return {
        ok: false,
        reason: `rate-limited until ${iso(health.blockedUntil)} (Retry-After)`,
        untilMs: health.blockedUntil,
        retryAfter: true,
      };
    }
    if (health.state === 'open') {
      if (now < (health.openUntil ?? 0)) {
        return {
          ok: false,
          reason: `circuit open, cooling down until ${iso(health.openUntil!)}`,
          untilMs: health.openUntil!,
          retryAfter: false,
        };
      }
      health.state = 'half-open';
      this.onChange(true);
    }
    if (health.state === 'half-open') {
      if (this.probeInFlight) return { ok: false, reason: 'circuit half-open, a probe call is in flight', untilMs: now, retryAfter: false };
      return { ok: true, probe: true };
    }
    const low = health.lowQuota;
    if (low && low.until > now) {
      return {
        ok: true,
        probe: false,
        deprioritised: `${low.source} (${Math.round(low.remainingFraction * 100)} % left) until ${iso(low.until)}`,
      };
    }
    return { ok: true, probe: false };
  }

  /** Call when a call starts after `availability` said ok. */
  begin(gate: { probe: boolean }): void {
    if (gate.probe) this.probeInFlight = true;
  }

  /** A call ended with no verdict (the consumer stopped reading): free the probe slot. */
  release(): void {
    this.probeInFlight = false;
  }

  recordSuccess(now: number, rateLimit?: RateLimitSnapshot): void {
    const health = this.health;
    this.probeInFlight = false;
    health.lastSuccessAt = now;
    let urgent = false;
    if (health.state !== 'closed') {
      health.state = 'closed';
      health.opens = 0;
      health.outcomes = [];
      delete health.openUntil;
      urgent = true;
    }
    this.push(now, 1);
    if (rateLimit && rateLimit.remainingFraction < this.options.proactiveThreshold) {
      health.lowQuota = {
        remainingFraction: rateLimit.remainingFraction,
        until: rateLimit.resetAtMs ?? now + this.options.proactiveHoldMs,
        source: rateLimit.source,
      };
      urgent = true;
    } else if (rateLimit && health.lowQuota) {
      delete health.lowQuota;
      urgent = true;
    }
    this.onChange(urgent);
  }

  recordFailure(now: number, error: ProviderError): void {
    this.probeInFlight = false;
    if (NOT_COUNTED.has(error.kind)) return;
    const health = this.health;
    health.lastError = { kind: error.kind, message: error.message, at: now };
    let urgent = false;
    if (error.retryAfterMs !== undefined) {
      health.blockedUntil = now + Math.min(error.retryAfterMs, this.retryAfterCapMs);
      urgent = true;
    }
    this.push(now, 0);
    if (health.state === 'half-open' || this.failureRateExceeded()) {
      this.open(now);
      urgent = true;
    }
    this.onChange(urgent);
  }

  private failureRateExceeded(): boolean {
    const outcomes = this.health.outcomes;
    if (outcomes.length < this.options.minRequests) return false;
    let failures = 0;
    for (const [, ok] of outcomes) if (ok === 0) failures++;
    return failures / outcomes.length >= this.options.failureThreshold;
  }

  private open(now: number): void {
    const health = this.health;
    const cooldown = Math.min(this.options.cooldownMaxMs, this.options.cooldownBaseMs * 2 ** health.opens);
    health.state = 'open';
    health.opens += 1;
    health.openUntil = now + cooldown;
  }

  private push(now: number, ok: 0 | 1): void {
    const outcomes = this.health.outcomes;
    outcomes.push([now, ok]);
    const oldest = now - this.options.windowMs;
    let drop = 0;
    while (drop < outcomes.length && (outcomes[drop]![0] < oldest || outcomes.length - drop > MAX_OUTCOMES)) drop++;
    if (drop > 0) outcomes.splice(0, drop);
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export type HealthStatus = 'healthy' | 'cooling-down' | 'half-open' | 'rate-limited' | 'low-quota';

export interface HealthDescription {
  status: HealthStatus;
  /** One line for people: `circuit open, cooling down until 2026-…`. */
  detail: string;
  until?: string;
  failureRate?: number;
  lastError?: ProviderHealth['lastError'];
}

/**
 * What `codex-flow providers` shows for a provider's persisted health at `now`.
 *
 * @example describeHealth(freshHealth(), Date.now()).detail === 'healthy'
 */
export function describeHealth(health: ProviderHealth, now: number, windowMs: number): HealthDescription {
  const recent = health.outcomes.filter(([at]) => at >= now - windowMs);
  const failures = recent.filter(([, ok]) => ok === 0).length;
  const extra: Partial<HealthDescription> = {};
  if (recent.length > 0) extra.failureRate = failures / recent.length;
  if (health.lastError) extra.lastError = health.lastError;
  if (health.blockedUntil !== undefined && health.blockedUntil > now) {
    return { status: 'rate-limited', detail: `rate-limited until ${iso(health.blockedUntil)}`, until: iso(health.blockedUntil), ...extra };
  }
  if (health.state === 'open' && (health.openUntil ?? 0) > now) {
    return {
      status: 'cooling-down',
      detail: `circuit open, cooling down until ${iso(health.openUntil!)}`,
      until: iso(health.openUntil!),
      ...extra,
    };
  }
  if (health.state !== 'closed') return { status: 'half-open', detail: 'circuit half-open: the next call is a probe', ...extra };
  const low = health.lowQuota;
  if (low && low.until > now) {
    return {
      status: 'low-quota',
      detail: `low quota (${Math.round(low.remainingFraction * 100)} % left), tried last until ${iso(low.until)}`,
      until: iso(low.until),
      ...extra,
    };
  }
  return { status: 'healthy', detail: 'healthy', ...extra };
}
