import { describe, expect, it } from 'vitest';
import { builtinPrice, costOf, resolvePrice } from '../../src/providers/pricing.js';
import { resolveProviderOptions } from '../../src/providers/options.js';

describe('pricing', () => {
  it('matches the longest model-id prefix', () => {
    expect(builtinPrice('openai', 'gpt-4o-mini-2024-07-18')).toEqual({ input: 0.00015, cached: 0.000075, output: 0.0006 });
    expect(builtinPrice('openai', 'gpt-4o-2024-08-06')!.input).toBe(0.0025);
    expect(builtinPrice('anthropic', 'claude-sonnet-4-5-20250929')!.output).toBe(0.015);
    expect(builtinPrice('anthropic', 'claude-opus-4-5')!.input).toBe(0.005);
    expect(builtinPrice('anthropic', 'claude-opus-4-1')!.input).toBe(0.015);
  });

  it('knows no price for unknown models, and Ollama is free by default', () => {
    expect(builtinPrice('openai', 'my-finetune')).toBeNull();
    expect(builtinPrice('ollama', 'llama3.2')).toEqual({ input: 0, output: 0, cached: 0 });
  });

  it('prices cached input tokens separately', () => {
    const price = builtinPrice('openai', 'gpt-4.1')!; // 2 / 0.5 / 8 per 1M
    expect(costOf({ input: 1_000_000, output: 0, cached: 400_000 }, price)).toBeCloseTo(0.6 * 2 + 0.4 * 0.5, 10);
    expect(costOf({ input: 0, output: 1_000_000, cached: 0 }, price)).toBeCloseTo(8, 10);
    expect(costOf({ input: 10, output: 10, cached: 0 }, null)).toBeNull();
  });

  it('lets <PROVIDER>_PRICE_IN/OUT (USD per 1K) override the table', () => {
    const options = resolveProviderOptions({
      OPENAI_API_KEY: 'k',
      OPENAI_PRICE_IN: '0.01',
      OPENAI_PRICE_OUT: '0.03',
      OLLAMA_PRICE_IN: '0.001',
      OLLAMA_PRICE_OUT: '0.002',
      ANTHROPIC_API_KEY: 'k',
      ANTHROPIC_PRICE_OUT: '1',
    });
    expect(options.providers.openai!.price).toEqual({ input: 0.01, output: 0.03, cached: 0.01 });
    expect(options.providers.ollama!.price).toEqual({ input: 0.001, output: 0.002, cached: 0.001 });
    expect(options.providers.anthropic!.price).toEqual({ input: 0.003, output: 1, cached: 0.0003 });
    expect(resolvePrice('openai', 'unknown-model', { input: 0.5 })).toBeNull(); // no output price known
  });

  it('reports an unusable price variable instead of silently using it', () => {
    const options = resolveProviderOptions({ OPENAI_PRICE_IN: 'cheap' });
    expect(options.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['CF7001', 'OPENAI_PRICE_IN="cheap" is not a non-negative number; ignored'],
    ]);
  });
});
