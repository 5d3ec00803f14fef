/**
 * A spending cap shared by every call of a run. The chain checks it before each request and
 * charges each result; once spent, the next request fails with a `budget` error (not retryable,
 * no failover: another provider would spend the same money) and callers report a partial run.
 * Calls whose price is unknown are counted, not guessed.
 *
 * @example
 * const budget = new Budget(2.5);
 * const chain = createProviderChain({ provider: 'openai' }, env, { budget });
 */
import { ProviderError } from './errors.js';
import type { ProviderResult } from './provider.js';

export class Budget {
  spentUsd = 0;
  unpricedCalls = 0;

  constructor(readonly limitUsd: number) {}

  get exhausted(): boolean {
    return this.spentUsd >= this.limitUsd;
  }

  charge(result: Pick<ProviderResult, 'costUsd'>): void {
    if (result.costUsd === null) this.unpricedCalls++;
    else this.spentUsd += result.costUsd;
  }

  /** Throws the `budget` error once the limit is reached. */
  check(): void {
    if (!this.exhausted) return;
    throw new ProviderError('budget', `budget of ${usd(this.limitUsd)} reached (${usd(this.spentUsd)} spent); stopping with partial results`);
  }
}

export function usd(amount: number): string {
  return `$${amount < 0.01 && amount > 0 ? amount.toFixed(6) : amount.toFixed(4)}`;
}
