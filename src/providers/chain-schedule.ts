/**
 * Which provider a request tries next, and when: the attempt schedule of the failover chain.
 *
 * The naive loop — "for each provider: try it, on failure try the next" — calls providers it
 * knows cannot answer and retries without pause. Here each round starts from a fresh plan:
 * providers that are not configured, cannot take the request (tools on a CLI), have an open
 * circuit or are blocked by a Retry-After are skipped with a one-line reason; low-quota providers
 * go last. Between attempts the schedule waits a full-jitter exponential backoff (backoff.ts).
 * When a later round finds every provider blocked by a Retry-After that ends within the cap, it
 * waits for the earliest one instead of giving up.
 *
 * Invariants: every attempt after the first is preceded by exactly one backoff and one
 * `provider-failover` log event, or one Retry-After wait and one `provider-wait` event; a cause is recorded once per skipped
 * provider; rounds re-plan, so a circuit that opened in round one is skipped in round two.
 *
 * @example
 * for await (const { member, gate, delayMs } of scheduleAttempts(context, request, causes, signal)) { … }
 */
import { fullJitterDelay, type Clock } from './backoff.js';
import type { Availability, CircuitBreaker } from './breaker.js';
import type { ProviderLogEvent } from './chain-log.js';
import type { ChainCause } from './errors.js';
import type { ResolvedProviderOptions } from './options.js';
import type { Provider, ProviderRequest } from './provider.js';
import type { ProviderSettings } from './provider-settings.js';
import { kindSupportsTools } from './registry.js';

/** One provider of a chain: its settings, its health and, once built, the provider itself. */
export interface Member {
  id: string;
  settings: ProviderSettings;
  breaker: CircuitBreaker;
  provider?: Provider | Promise<Provider>;
}

export type OpenGate = Extract<Availability, { ok: true }>;

export interface Plan {
  ready: Array<{ member: Member; gate: OpenGate }>;
  skipped: ChainCause[];
  /** Earliest end of a Retry-After block among the skipped, if any. */
  retryAfterUntil?: number;
}

export interface ScheduleContext {
  members: readonly Member[];
  options: Pick<ResolvedProviderOptions, 'rounds' | 'retryAfterCapMs' | 'backoffBaseMs' | 'backoffCapMs'>;
  clock: Clock;
  random: () => number;
  log: (event: ProviderLogEvent) => void;
  /** Sees the first plan of each request (the chain logs its skips once). */
  onFirstPlan?: (plan: Plan) => void;
}

export interface ScheduledAttempt {
  member: Member;
  gate: OpenGate;
  /** The backoff waited before this attempt (0 for the first, or after a Retry-After wait). */
  delayMs: number;
}

/**
 * The attempts of one request, each yielded after its backoff. The caller records failures in
 * `causes` as they happen; the schedule reads the last one to log why it fails over.
 */
export async function* scheduleAttempts(
  context: ScheduleContext,
  request: ProviderRequest,
  causes: ChainCause[],
  signal?: AbortSignal,
): AsyncGenerator<ScheduledAttempt> {
  const { options, clock } = context;
  let attempt = 0;
  let waitedForRetryAfter = false;
  for (let round = 0; round < options.rounds; round++) {
    let plan = planAttempts(context.members, request, clock.now());
    if (round === 0) context.onFirstPlan?.(plan);
    if (plan.ready.length === 0 && round > 0 && plan.retryAfterUntil !== undefined) {
      const wait = plan.retryAfterUntil - clock.now();
      if (wait > options.retryAfterCapMs) break;
      const blocked = plan.skipped.find((cause) => cause.skipped?.includes('Retry-After'));
      context.log({
        event: 'provider-wait',
        provider: blocked?.provider ?? '-',
        delayMs: wait,
        reason: 'every provider is blocked; waiting for the earliest Retry-After to end',
      });
      await clock.sleep(wait, signal);
      waitedForRetryAfter = true;
      plan = planAttempts(context.members, request, clock.now());
    }
    for (const cause of plan.skipped) if (!causes.some((c) => c.provider === cause.provider)) causes.push(cause);
    for (const { member, gate } of plan.ready) {
      let delayMs = 0;
      if (attempt > 0 && !waitedForRetryAfter) {
        delayMs = fullJitterDelay(attempt - 1, options.backoffBaseMs, options.backoffCapMs, context.random);
        const last = causes.at(-1);
        context.log({
          event: 'provider-failover',
          provider: last?.provider ?? '-',
          to: member.id,
          delayMs,
          reason: last?.error?.summary() ?? last?.skipped ?? 'retry',
        });
        await clock.sleep(delayMs, signal);
      }
      waitedForRetryAfter = false;
      attempt++;
      yield { member, gate, delayMs };
    }
  }
}

/** The providers that may take `request` at `now`, in order, and why the others may not. */
export function planAttempts(members: readonly Member[], request: ProviderRequest, now: number): Plan {
  const wantsTools = (request.tools?.length ?? 0) > 0;
  const ready: Plan['ready'] = [];
  const later: Plan['ready'] = [];
  const skipped: ChainCause[] = [];
  let retryAfterUntil: number | undefined;
  for (const member of members) {
    if (!member.settings.configured) {
      skipped.push({ provider: member.id, skipped: `not configured: ${member.settings.missing}` });
      continue;
    }
    if (wantsTools && !kindSupportsTools(member.settings.kind)) {
      skipped.push({ provider: member.id, skipped: 'cannot call tools' });
      continue;
    }
    const gate = member.breaker.availability(now);
    if (!gate.ok) {
      skipped.push({ provider: member.id, skipped: gate.reason });
      if (gate.retryAfter) retryAfterUntil = Math.min(retryAfterUntil ?? Infinity, gate.untilMs);
      continue;
    }
    (gate.deprioritised ? later : ready).push({ member, gate });
  }
  return { ready: ready.concat(later), skipped, retryAfterUntil };
}
