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
      for await (const _ of chain.stream(ask)) { /* never reached */ }
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
});
