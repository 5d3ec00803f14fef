/**
 * What a call cost. A built-in table of list prices for common models, matched by the longest
 * model-id prefix (so `gpt-4o-mini-2024-07-18` finds `gpt-4o-mini`, not `gpt-4o`), overridden per
 * provider by `<PROVIDER>_PRICE_IN` / `_OUT` / `_CACHED` in USD per 1K tokens. Cached input
 * tokens (cache reads) have their own, lower price. A model with no known price costs `null`,
 * never a made-up zero — except local Ollama models, which are free by default.
 *
 * @example
 * const price = findPrice('openai', 'gpt-4o-mini-2024-07-18');
 * costOf({ input: 1000, output: 500, cached: 200 }, price); // USD
 */
import type { ProviderKind, Usage } from './provider.js';

/** USD per 1K tokens. */
export interface Price {
  input: number;
  output: number;
  cached: number;
}

/**
 * List prices in USD per 1M tokens as published by OpenAI and Anthropic (docs/providers.md says
 * when they were last checked); [input, cached input, output]. Prices change: override with the
 * environment variables.
 */
const PER_MILLION: Readonly<Record<string, readonly [number, number, number]>> = {
  'gpt-5-nano': [0.05, 0.005, 0.4],
  'gpt-5-mini': [0.25, 0.025, 2],
  'gpt-5': [1.25, 0.125, 10],
  'gpt-4.1-nano': [0.1, 0.025, 0.4],
  'gpt-4.1-mini': [0.4, 0.1, 1.6],
  'gpt-4.1': [2, 0.5, 8],
  'gpt-4o-mini': [0.15, 0.075, 0.6],
  'gpt-4o': [2.5, 1.25, 10],
  'o4-mini': [1.1, 0.275, 4.4],
  'o3-mini': [1.1, 0.55, 4.4],
  o3: [2, 0.5, 8],
  'claude-opus-4-5': [5, 0.5, 25],
  'claude-opus-4': [15, 1.5, 75],
  'claude-sonnet-4': [3, 0.3, 15],
  'claude-3-7-sonnet': [3, 0.3, 15],
  'claude-3-5-sonnet': [3, 0.3, 15],
  'claude-haiku-4-5': [1, 0.1, 5],
  'claude-3-5-haiku': [0.8, 0.08, 4],
  'claude-3-haiku': [0.25, 0.03, 1.25],
};

/** Longest prefixes first, so the most specific entry wins. */
const PREFIXES = Object.keys(PER_MILLION).sort((a, b) => b.length - a.length);

const FREE: Price = { input: 0, output: 0, cached: 0 };

/** The built-in price for a model, or null. Ollama runs locally: free unless overridden. */
export function builtinPrice(kind: ProviderKind, model: string): Price | null {
  if (kind === 'ollama') return FREE;
  const id = model.toLowerCase().replace(/^(openai|anthropic)\//, '');
  const prefix = PREFIXES.find((p) => id.startsWith(p));
  if (!prefix) return null;
  const [input, cached, output] = PER_MILLION[prefix]!;
  return { input: input / 1000, cached: cached / 1000, output: output / 1000 };
}

/** Per-1K overrides from the environment or config; any subset. */
export interface PriceOverride {
  input?: number;
  output?: number;
  cached?: number;
}

/**
 * The price to charge: overrides win field by field. When only the input price is overridden,
 * cached tokens are charged at that input price (an over- rather than under-estimate).
 */
export function resolvePrice(kind: ProviderKind, model: string, override: PriceOverride = {}): Price | null {
  const builtin = builtinPrice(kind, model);
  if (override.input === undefined && override.output === undefined && override.cached === undefined) return builtin;
  const input = override.input ?? builtin?.input;
  const output = override.output ?? builtin?.output;
  if (input === undefined || output === undefined) return null;
  const cached = override.cached ?? (override.input !== undefined ? override.input : (builtin?.cached ?? input));
  return { input, output, cached };
}

/** USD for one call; null when the price is unknown. */
export function costOf(usage: Usage, price: Price | null): number | null {
  if (!price) return null;
  const uncached = Math.max(0, usage.input - usage.cached);
  return (uncached * price.input + usage.cached * price.cached + usage.output * price.output) / 1000;
}
