/**
 * A budget stops work with a partial status and a clear message, and never fails over.
 */
import { describe, expect, it } from 'vitest';
import { Budget } from '../../src/providers/budget.js';
import { ProviderError } from '../../src/providers/errors.js';
import { collectStream } from '../../src/providers/transcript.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { testChain } from '../support/provider-env.js';

const server = useProviderServer();

const ask = { messages: [{ role: 'user' as const, content: 'hi' }] };

describe('budget', () => {
  it('charges each call and refuses the next once spent, without trying any provider', async () => {
    server.setDefault('openai', { text: 'x', usage: { input: 10_000, output: 10_000 } }); // gpt-4.1-mini: $0.004 + $0.016
    const budget = new Budget(0.03);
    const { chain } = testChain(server, { provider: 'openai', fallback: ['ollama'] }, { budget });
    await chain.generate(ask);
    expect(budget.spentUsd).toBeCloseTo(0.02, 10);
    await chain.generate(ask);
    expect(budget.exhausted).toBe(true);
    const calls = server.requests.length;
    let error: ProviderError | undefined;
    try {
      for await (const _ of chain.stream(ask)) {
        /* never reached */
      }
    } catch (thrown) {
      error = thrown as ProviderError;
    }
    expect(error?.kind).toBe('budget');
    expect(error?.isRetryable).toBe(false);
    expect(error?.message).toBe('budget of $0.0300 reached ($0.0400 spent); stopping with partial results');
    expect(error?.hint).toContain('CODEX_FLOW_BUDGET_USD');
    expect(server.requests.length).toBe(calls);
  });

  it.each([false, true])('estimates the tokens of a call whose server reports none, so it is not free (streamed: %s)', async (streamed) => {
    server.setDefault('openai', { text: 'twelve characters of text here', omitUsage: true });
    const budget = new Budget(1);
    const { chain } = testChain(server, { provider: 'openai' }, { budget });
    const result = streamed ? await collectStream(chain.stream(ask)) : await chain.generate(ask);
    expect(result.usage).toMatchObject({ estimated: true, output: 8 }); // 30 characters ≈ 8 tokens
    expect(result.usage.input).toBeGreaterThan(0);
    expect(result.costUsd).toBeGreaterThan(0);
    expect(budget.spentUsd).toBe(result.costUsd);
  });

  it('counts calls it cannot price instead of guessing', async () => {
    const budget = new Budget(1);
    const { chain } = testChain(server, { provider: 'compatible' }, { budget });
    await chain.generate(ask);
    expect(budget).toMatchObject({ spentUsd: 0, unpricedCalls: 1 });
  });

  it('reserves before a call: parallel calls that together would pass the limit are refused, released on failure, settled at cost', () => {
    const budget = new Budget(0.05);
    const first = budget.reserve(0.02);
    const second = budget.reserve(0.02);
    expect(() => budget.reserve(0.02)).toThrow(/would be passed: \$0\.0000 spent, \$0\.0400 held by calls in flight/);
    second.release(); // failed: nothing charged
    expect(budget).toMatchObject({ spentUsd: 0, reservedUsd: 0.02 });
    expect(first.settle(0.015)).toBe(false);
    first.release(); // after settle: no effect
    expect(budget).toMatchObject({ spentUsd: 0.015, reservedUsd: 0 });
  });

  it('warns once when the warning threshold is crossed', () => {
    const budget = new Budget(1, { warnAt: 0.5 });
    expect(budget.reserve(0.1).settle(0.4)).toBe(false);
    expect(budget.reserve(0.1).settle(0.2)).toBe(true);
    expect(budget.reserve(0.1).settle(0.1)).toBe(false);
    expect(budget.describe()).toBe('70 % of the budget of $1.0000 spent ($0.7000); calls that would pass it are refused');
  });

  it('holds the estimate of the dearest provider in the chain while a call is in flight', async () => {
    server.setDefault('openai', { text: 'x', latencyMs: 100 });
    const budget = new Budget(1);
    const { chain } = testChain(server, { provider: 'openai', fallback: ['anthropic'] }, { budget });
    const call = chain.generate({ ...ask, maxOutputTokens: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    // claude-sonnet (anthropic's default) at $15/M output beats gpt-4.1-mini's $1.6/M: 10,000 tokens ≈ $0.15
    expect(budget.reservedUsd).toBeCloseTo(0.15, 3);
    await call;
    expect(budget.reservedUsd).toBe(0);
  });
});
