/**
 * What the failover chain tells people: one event per skip, error, failover, deprioritisation and
 * circuit change, named noun-verb, already redacted when it reaches a sink. The default sink
 * prints one line per event on stderr, except provider errors, which reach the caller anyway.
 *
 * @example
 * createProviderChain(spec, env, { log: (event) => io.stderr(`codex-flow: ${formatLogEvent(event)}\n`) });
 */

export type ProviderLogEventName =
  | 'provider-skip'
  | 'provider-error'
  | 'provider-failover'
  | 'provider-wait'
  | 'provider-deprioritise'
  | 'circuit-open'
  | 'state-problem'
  | 'budget-warning';

export interface ProviderLogEvent {
  event: ProviderLogEventName;
  provider: string;
  reason: string;
  to?: string;
  delayMs?: number;
}

/** The default log: one line per skip, failover and circuit change (errors reach the caller anyway). */
export function stderrLog(event: ProviderLogEvent): void {
  if (event.event !== 'provider-error') process.stderr.write(`codex-flow: ${formatLogEvent(event)}\n`);
}

/**
 * One line for people.
 *
 * @example formatLogEvent({ event: 'provider-failover', provider: 'openai', to: 'anthropic', delayMs: 180, reason: 'openai: rate-limit (429): slow down' })
 * // 'failover openai → anthropic after 180 ms: openai: rate-limit (429): slow down'
 */
export function formatLogEvent(event: ProviderLogEvent): string {
  switch (event.event) {
    case 'provider-failover':
      // a lone provider's second round is a retry, not a failover
      return event.provider === event.to
        ? `retrying ${event.to} after ${event.delayMs} ms: ${event.reason}`
        : `failover ${event.provider} → ${event.to} after ${event.delayMs} ms: ${event.reason}`;
    case 'provider-wait':
      return `waiting ${event.delayMs} ms for ${event.provider}: ${event.reason}`;
    case 'provider-skip':
      return `skipping ${event.provider}: ${event.reason}`;
    case 'provider-error':
      return `provider error: ${event.reason}`;
    case 'provider-deprioritise':
      return `${event.provider} deprioritised: ${event.reason}`;
    case 'circuit-open':
      return `circuit open for ${event.provider}: ${event.reason}`;
    case 'budget-warning':
      return `budget warning: ${event.reason}`;
    default:
      return event.reason;
  }
}
