/**
 * A spending cap shared by every call of a run. Calls run in parallel, so checking what was spent
 * before a call is not enough: three calls started together each see the same untouched budget.
 * Each call therefore *reserves* its estimated cost before it starts (the chain estimates it from
 * the price table, the request's input and its max output tokens); a call whose reservation would
 * pass the limit — counting what is spent and what calls in flight have reserved — is refused with
 * a `budget` error (not retryable, no failover: another provider would spend the same money). On
 * completion the reservation is settled: the estimate is released and the real cost charged; a
 * failed call releases it and is charged nothing. Calls whose price is unknown reserve nothing and
 * are counted, not guessed.
 *
 * Once the spent amount reaches `warnAt` of the limit (80 % by default), `settle` says so, once.
 *
 * @example
 * const budget = new Budget(2.5);
 * const reservation = budget.reserve(0.02); // throws ProviderError('budget') when it would not fit
 * try { const result = await call(); if (reservation.settle(result.costUsd)) warn(budget.describe()); } finally { reservation.release(); }
 */
import { ProviderError } from './errors.js';
import { costOf, type Price } from './pricing.js';
import type { ProviderRequest, ProviderResult } from './provider.js';
import { estimateTokens } from './runtime.js';
import { renderTranscript } from './transcript.js';

/** Warn when this share of the budget is spent: early enough to act on a long run, late enough
 *  not to fire on every small budget's first call. */
export const DEFAULT_BUDGET_WARN_AT = 0.8;

/** Output tokens assumed for a request that sets no `maxOutputTokens`: a typical agent turn (an
 *  answer of a page, or a few tool calls) stays under it; a cap in the request replaces it. */
export const DEFAULT_OUTPUT_ESTIMATE_TOKENS = 1_024;

/**
 * What a request may cost on the dearest provider that could serve it (failover can move it
 * there): its input by the usual four characters per token, its output at `maxOutputTokens`.
 * Providers without a known price add nothing.
 *
 * @example estimateCallUsd({ messages: [{ role: 'user', content: 'hi' }], maxOutputTokens: 1000 }, [price]);
 */
export function estimateCallUsd(request: ProviderRequest, prices: ReadonlyArray<Price | null>): number {
  const usage = {
    input: estimateTokens(renderTranscript(request)),
    output: request.maxOutputTokens ?? DEFAULT_OUTPUT_ESTIMATE_TOKENS,
    cached: 0,
  };
  let highest = 0;
  for (const price of prices) highest = Math.max(highest, costOf(usage, price) ?? 0);
  return highest;
}

/** One call's hold on the budget, from before it starts until it ends. */
export interface Reservation {
  readonly estimateUsd: number;
  /** Releases the estimate and charges the real cost; true when this crossed the warning threshold. */
  settle(costUsd: number | null): boolean;
  /** Releases the estimate without a charge (the call failed); nothing once settled. */
  release(): void;
}

export class Budget {
  spentUsd = 0;
  /** Estimated cost of the calls in flight. */
  reservedUsd = 0;
  unpricedCalls = 0;
  /** Whether the warning threshold was crossed (it is reported once). */
  warned = false;
  readonly warnAt: number;

  constructor(
    readonly limitUsd: number,
    options: { warnAt?: number } = {},
  ) {
    this.warnAt = options.warnAt ?? DEFAULT_BUDGET_WARN_AT;
  }

  get exhausted(): boolean {
    return this.spentUsd >= this.limitUsd;
  }

  /** Charges a finished call that held no reservation (the bench). */
  charge(result: Pick<ProviderResult, 'costUsd'>): boolean {
    if (result.costUsd === null) this.unpricedCalls++;
    else this.spentUsd += result.costUsd;
    return this.crossedWarning();
  }

  /** Throws the `budget` error once the limit is reached. */
  check(): void {
    if (!this.exhausted) return;
    throw new ProviderError(
      'budget',
      `budget of ${usd(this.limitUsd)} reached (${usd(this.spentUsd)} spent); stopping with partial results`,
    );
  }

  /**
   * Holds `estimateUsd` for a call about to start, or throws the `budget` error when spent, plus
   * reserved by calls in flight, plus this estimate would pass the limit.
   */
  reserve(estimateUsd: number): Reservation {
    this.check();
    const estimate = Math.max(0, estimateUsd);
    if (this.spentUsd + this.reservedUsd + estimate > this.limitUsd) {
      throw new ProviderError(
        'budget',
        `budget of ${usd(this.limitUsd)} would be passed: ${usd(this.spentUsd)} spent, ${usd(this.reservedUsd)} held by calls in flight, and this call is estimated at ${usd(estimate)}; stopping with partial results`,
      );
    }
    this.reservedUsd += estimate;
    let open = true;
    const release = () => {
      if (!open) return;
      open = false;
      this.reservedUsd = Math.max(0, this.reservedUsd - estimate);
    };
    return {
      estimateUsd: estimate,
      settle: (costUsd) => {
        if (!open) return false;
        release();
        return this.charge({ costUsd });
      },
      release,
    };
  }

  /** One line for people: `budget: 84 % of $0.0500 spent ($0.0420)`. */
  describe(): string {
    const share = this.limitUsd > 0 ? Math.round((this.spentUsd / this.limitUsd) * 100) : 100;
    return `${share} % of the budget of ${usd(this.limitUsd)} spent (${usd(this.spentUsd)}); calls that would pass it are refused`;
  }

  private crossedWarning(): boolean {
    if (this.warned || this.spentUsd < this.warnAt * this.limitUsd) return false;
    this.warned = true;
    return true;
  }
}

export function usd(amount: number): string {
  return `$${amount < 0.01 && amount > 0 ? amount.toFixed(6) : amount.toFixed(4)}`;
}
