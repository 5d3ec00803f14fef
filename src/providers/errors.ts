/**
 * Provider failures as values the failover layer can act on. The error decides failover: a
 * `ProviderError` carries a `kind`, the HTTP `status` when there was one, the `Retry-After` it was
 * given, and `isRetryable`, computed from the kind and status rather than set by each caller.
 * Messages are for people (no stack traces, secrets already redacted) and `hint` says what to fix.
 *
 * @example
 * if (error instanceof ProviderError && !error.isRetryable) console.error(`${error.message}\n  hint: ${error.hint}`);
 */
import { closest } from '../util/closest.js';

export type ProviderErrorKind =
  | 'auth' // 401/403: the key is missing, wrong or lacks access
  | 'request' // 400/404/413/422 or a configuration mistake: the request itself must change
  | 'rate-limit' // 429
  | 'server' // 5xx, 409, a CLI exiting non-zero
  | 'timeout' // 408, or the call exceeded its time budget
  | 'network' // no HTTP response at all
  | 'stream-cut' // the stream ended before the provider's end-of-stream marker
  | 'stall' // no chunk for longer than the stall timeout
  | 'malformed' // a chunk or body that does not parse
  | 'unsupported' // the provider cannot serve this request (e.g. tools on a CLI provider)
  | 'aborted' // the caller cancelled
  | 'budget' // the cost budget is spent
  | 'unavailable'; // no provider in the chain could serve the request

const RETRYABLE_KINDS: ReadonlySet<ProviderErrorKind> = new Set([
  'rate-limit',
  'server',
  'timeout',
  'network',
  'stream-cut',
  'stall',
  'malformed',
]);

/**
 * The kind an HTTP error status means. Retryable statuses (408, 409, 429, 5xx) map to retryable
 * kinds, so `isRetryable` follows from the status without a second table.
 */
export function kindForStatus(status: number): ProviderErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate-limit';
  if (status === 409 || status >= 500) return 'server';
  return 'request';
}

const DEFAULT_HINTS: Record<ProviderErrorKind, string> = {
  auth: 'check the API key for this provider',
  request: 'fix the request or the provider configuration shown in the message',
  'rate-limit': 'wait, or add a fallback provider: --fallback anthropic,ollama',
  server: 'the provider is failing; retry later or add a fallback provider',
  timeout: 'raise the timeout or add a fallback provider',
  network: 'check the base URL and that the server is reachable',
  'stream-cut': 'the connection dropped; retry, or add a fallback provider',
  stall: 'the provider stopped sending; raise the stall timeout or add a fallback provider',
  malformed: 'the server sent data that does not parse; check the base URL points at the right API',
  unsupported: 'use a provider that supports this request',
  aborted: 'the call was cancelled',
  budget: 'raise the budget (CODEX_FLOW_BUDGET_USD or providers.budgetUsd) to continue',
  unavailable: 'fix the first cause listed, or add another fallback provider',
};

export interface ProviderErrorInit {
  provider?: string;
  status?: number;
  retryAfterMs?: number;
  hint?: string;
}

export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly kind: ProviderErrorKind;
  readonly provider: string | undefined;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly hint: string;

  constructor(kind: ProviderErrorKind, message: string, init: ProviderErrorInit = {}) {
    super(message);
    this.kind = kind;
    this.provider = init.provider;
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
    this.hint = init.hint ?? DEFAULT_HINTS[kind];
  }

  /** Whether another attempt (here or on a fallback) may succeed. */
  get isRetryable(): boolean {
    return RETRYABLE_KINDS.has(this.kind);
  }

  /** One line for logs and tables: `openai: rate-limit (429): slow down`. */
  summary(): string {
    const status = this.status !== undefined ? ` (${this.status})` : '';
    return `${this.provider ? `${this.provider}: ` : ''}${this.kind}${status}: ${this.message}`;
  }

  toJSON(): Record<string, unknown> {
    return {
      kind: this.kind,
      provider: this.provider,
      status: this.status,
      message: this.message,
      hint: this.hint,
      retryable: this.isRetryable,
    };
  }
}

/** A provider name that is neither built in nor defined in the config: a usage mistake. */
export class UnknownProviderError extends ProviderError {
  constructor(name: string, known: readonly string[]) {
    const guess = closest(name, known);
    super('request', `unknown provider "${name}"${guess ? ` (did you mean ${guess}?)` : ''}`, {
      provider: name,
      hint: `use one of: ${known.join(', ')} (or define it under providers.definitions)`,
    });
  }
}

/** One entry per provider the chain considered: the error it gave, or why it was skipped. */
export interface ChainCause {
  provider: string;
  error?: ProviderError;
  skipped?: string;
}

/** No provider in the chain could serve the request; every cause is listed in the message. */
export class ProviderChainError extends ProviderError {
  readonly causes: readonly ChainCause[];

  constructor(causes: readonly ChainCause[]) {
    // The chain walks its members for several rounds; the same failure each round is one line with
    // its count, in first-seen order (`causes` keeps every attempt for --json and the run record).
    const counts = new Map<string, number>();
    for (const cause of causes) {
      const line = cause.error ? cause.error.summary() : `${cause.provider}: skipped: ${cause.skipped}`;
      counts.set(line, (counts.get(line) ?? 0) + 1);
    }
    const lines = [...counts].map(([line, count]) => `  - ${line}${count > 1 ? ` (${count} attempts)` : ''}`);
    super('unavailable', `no provider could serve the request:\n${lines.join('\n')}`);
    this.causes = causes;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), causes: this.causes.map((c) => ({ provider: c.provider, skipped: c.skipped, error: c.error?.toJSON() })) };
  }
}
