/**
 * Every provider setting, resolved in one place from the environment and the config file:
 * `resolveProviderOptions` is the only function that applies a default. The providers themselves
 * (credentials, base URLs, models, what is missing) come from provider-settings.ts; this file adds
 * the chain, the tuning of failover, breaker and budget, and diagnostics for settings it had to
 * ignore or names that match no provider. Config (`providers:` in codex-flow.config.yaml) wins
 * over the environment for tuning, the environment wins for credentials.
 *
 * Each tuning default is a named constant with the reason for its value.
 *
 * @example
 * const options = resolveProviderOptions(process.env, config.providers);
 * options.providers.openai.configured; // false, missing: 'OPENAI_API_KEY is not set'
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { UnknownProviderError } from './errors.js';
import type { PriceOverride } from './pricing.js';
import { checkProvidersConfig } from './providers-config.js';
import { builtinProviderSettings, fromDefinition, type ProviderDefinition, type ProviderSettings } from './provider-settings.js';
import { DEFAULT_BUDGET_WARN_AT } from './budget.js';
import type { ModelTable } from './model-map.js';
import { modelTables } from './model-tables.js';
import { secretsFromEnv } from './redact.js';
import { checkTierChains, checkTierChoice, type TierChains, type TierChoiceWeights } from './tiers.js';

export { ollamaHost, type ProviderDefinition, type ProviderSettings } from './provider-settings.js';

/** A long answer from a large model takes a minute or more; two minutes stops a hung call without cutting real work. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;
/** Silence this long mid-stream is a dead connection; long enough for a reasoning model to think before its first token. */
export const DEFAULT_STALL_TIMEOUT_MS = 60_000;
/** The first failover waits at most this long: enough to spread a burst of clients, too short for a person to notice. */
export const DEFAULT_BACKOFF_BASE_MS = 250;
/** Doubling stops here; past ~8 s a person would rather see the error than wait. */
export const DEFAULT_BACKOFF_CAP_MS = 8_000;
/** Retry-After is honoured up to a minute (a per-minute quota window rolling over); longer is better spent on a fallback. */
export const DEFAULT_RETRY_AFTER_CAP_MS = 60_000;
/** Each provider gets a second chance after the others were tried; a third pass rarely helps and triples the worst case. */
export const DEFAULT_ROUNDS = 2;
/** The failure rate is measured over the last minute: recent enough to react, long enough to hold several calls. */
export const DEFAULT_BREAKER_WINDOW_MS = 60_000;
/** Below five calls one unlucky failure would read as a 100 % failure rate. */
export const DEFAULT_BREAKER_MIN_REQUESTS = 5;
/** Half the calls failing means the provider is down, not unlucky. */
export const DEFAULT_BREAKER_FAILURE_THRESHOLD = 0.5;
/** A first opening cools down for a minute, about how long a provider incident's first wave lasts… */
export const DEFAULT_COOLDOWN_BASE_MS = 60_000;
/** …doubling on each failed probe up to ten minutes, so a long outage is probed rarely but still noticed. */
export const DEFAULT_COOLDOWN_MAX_MS = 600_000;
/** Under 20 % of the quota left, new calls go to the next provider first, before the 429s start. */
export const DEFAULT_PROACTIVE_THRESHOLD = 0.2;
/** How long a low-quota provider is deprioritised when its headers give no reset time. */
export const DEFAULT_PROACTIVE_HOLD_MS = 60_000;
/** Where the breaker state lives so `codex-flow providers` can show it and the next run honours it. */
export const DEFAULT_STATE_FILE = '.codex-flow/providers-state.json';

/** The `providers:` section of codex-flow.config.yaml. */
export interface ProvidersConfig {
  provider?: string;
  fallback?: string[];
  budgetUsd?: number;
  /** Share of the budget spent at which one warning is printed (0–1]; default 0.8. */
  budgetWarnAt?: number;
  requestTimeoutMs?: number;
  stallTimeoutMs?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  retryAfterCapMs?: number;
  rounds?: number;
  breaker?: Partial<BreakerOptions>;
  /** After the first chunk, continue prose on a fallback instead of failing (off by default). */
  continueOnFallback?: boolean;
  stateFile?: string;
  definitions?: Record<string, ProviderDefinition>;
  /** Per provider id: a brief's model name (sonnet, opus, haiku, or any) → the model id (model-map.ts). */
  models?: Record<string, Record<string, string>>;
  /** Per workload tier, its ordered `provider` / `provider:model` chain (tiers.ts). */
  tiers?: unknown;
  /** Weights of the choice among a tier's healthy members (tiers.ts). */
  tierChoice?: unknown;
}

export interface BreakerOptions {
  windowMs: number;
  minRequests: number;
  failureThreshold: number;
  cooldownBaseMs: number;
  cooldownMaxMs: number;
  proactiveThreshold: number;
  proactiveHoldMs: number;
}

export interface ResolvedProviderOptions {
  providers: Record<string, ProviderSettings>;
  provider: string | undefined;
  fallback: string[];
  requestTimeoutMs: number;
  stallTimeoutMs: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  retryAfterCapMs: number;
  rounds: number;
  breaker: BreakerOptions;
  continueOnFallback: boolean;
  budgetUsd: number | null;
  budgetWarnAt: number;
  /** Per provider id, its model table: the built-in one of its kind with the config's on top. */
  models: Record<string, ModelTable>;
  /** Per workload tier, its chain; a tier not listed runs on `provider` + `fallback`. */
  tiers: TierChains;
  tierChoice: TierChoiceWeights;
  stateFile: string;
  /** Values to scrub from anything written out. */
  secrets: string[];
  diagnostics: Diagnostic[];
}

type Env = Record<string, string | undefined>;

/**
 * @param rawConfig the `providers:` section as read from YAML; checked field by field (providers-config.ts).
 */
export function resolveProviderOptions(env: Env, rawConfig: ProvidersConfig = {}): ResolvedProviderOptions {
  const diagnostics: Diagnostic[] = [];
  const config = checkProvidersConfig(rawConfig, diagnostics);
  /** A number from the environment; `positive` for durations, where 0 would fail every call at once. */
  const number = (name: string, positive = false): number | undefined => {
    const raw = env[name]?.trim();
    if (!raw) return undefined;
    const value = Number(raw);
    if (Number.isFinite(value) && (positive ? value > 0 : value >= 0)) return value;
    const expected = positive ? 'a number above 0' : 'a non-negative number';
    diagnostics.push(
      diagnostic('CF7001', `${name}=${JSON.stringify(raw)} is not ${expected}; ignored`, undefined, {
        hint: `set ${name} to ${expected}, or unset it`,
      }),
    );
    return undefined;
  };
  const fraction = (name: string): number | undefined => {
    const value = number(name, true);
    if (value === undefined || value <= 1) return value;
    diagnostics.push(
      diagnostic('CF7001', `${name}=${value} is not a fraction in (0, 1]; ignored`, undefined, {
        hint: `set ${name} to e.g. 0.8, or unset it`,
      }),
    );
    return undefined;
  };
  const envPrice = (prefix: string): PriceOverride => ({
    input: number(`${prefix}_PRICE_IN`),
    output: number(`${prefix}_PRICE_OUT`),
    cached: number(`${prefix}_PRICE_CACHED`),
  });
  const prices: Record<string, PriceOverride> = {
    openai: envPrice('OPENAI'),
    anthropic: envPrice('ANTHROPIC'),
    ollama: envPrice('OLLAMA'),
    compatible: envPrice('OPENAI_COMPATIBLE'),
  };

  const providers = builtinProviderSettings(env, prices);
  for (const [id, definition] of Object.entries(config.definitions ?? {})) {
    providers[id] = fromDefinition(id, definition, providers[id], env, { ...prices[id], ...definedPrice(definition) });
  }

  const breaker: BreakerOptions = {
    windowMs: DEFAULT_BREAKER_WINDOW_MS,
    minRequests: DEFAULT_BREAKER_MIN_REQUESTS,
    failureThreshold: DEFAULT_BREAKER_FAILURE_THRESHOLD,
    cooldownBaseMs: DEFAULT_COOLDOWN_BASE_MS,
    cooldownMaxMs: DEFAULT_COOLDOWN_MAX_MS,
    proactiveThreshold: DEFAULT_PROACTIVE_THRESHOLD,
    proactiveHoldMs: DEFAULT_PROACTIVE_HOLD_MS,
    ...config.breaker,
  };
  const provider = config.provider ?? (env.CODEX_FLOW_PROVIDER?.trim() || undefined);
  const fallback = config.fallback ?? splitList(env.CODEX_FLOW_FALLBACK);
  checkNames(provider ? [provider] : [], config.provider ? 'providers.provider' : 'CODEX_FLOW_PROVIDER', providers, diagnostics);
  checkNames(fallback, config.fallback ? 'providers.fallback' : 'CODEX_FLOW_FALLBACK', providers, diagnostics);
  return {
    providers,
    provider,
    fallback,
    requestTimeoutMs: config.requestTimeoutMs ?? number('CODEX_FLOW_REQUEST_TIMEOUT_MS', true) ?? DEFAULT_REQUEST_TIMEOUT_MS,
    stallTimeoutMs: config.stallTimeoutMs ?? number('CODEX_FLOW_STALL_TIMEOUT_MS', true) ?? DEFAULT_STALL_TIMEOUT_MS,
    backoffBaseMs: config.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS,
    backoffCapMs: config.backoffCapMs ?? DEFAULT_BACKOFF_CAP_MS,
    retryAfterCapMs: config.retryAfterCapMs ?? number('CODEX_FLOW_RETRY_AFTER_CAP_MS') ?? DEFAULT_RETRY_AFTER_CAP_MS,
    rounds: Math.max(1, config.rounds ?? DEFAULT_ROUNDS),
    breaker,
    continueOnFallback: config.continueOnFallback ?? env.CODEX_FLOW_CONTINUE_ON_FALLBACK === '1',
    budgetUsd: config.budgetUsd ?? number('CODEX_FLOW_BUDGET_USD') ?? null,
    budgetWarnAt: config.budgetWarnAt ?? fraction('CODEX_FLOW_BUDGET_WARN_AT') ?? DEFAULT_BUDGET_WARN_AT,
    stateFile: config.stateFile ?? DEFAULT_STATE_FILE,
    models: modelTables(providers, config.models, diagnostics),
    tiers: checkTierChains(rawConfig?.tiers, Object.keys(providers), diagnostics),
    tierChoice: checkTierChoice(rawConfig?.tierChoice, diagnostics),
    // Keys named through `apiKeyEnv` live under any name: each configured provider's key is a secret too.
    secrets: [
      ...new Set([...secretsFromEnv(env), ...Object.values(providers).flatMap((settings) => (settings.apiKey ? [settings.apiKey] : []))]),
    ],
    diagnostics,
  };
}

/** `a, b,,c` → ['a', 'b', 'c']. */
export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** A chain named in the environment or config that names no provider fails every call: say so up front. */
function checkNames(
  names: readonly string[],
  source: string,
  providers: Record<string, ProviderSettings>,
  diagnostics: Diagnostic[],
): void {
  for (const name of names) {
    if (providers[name]) continue;
    const unknown = new UnknownProviderError(name, Object.keys(providers).sort());
    diagnostics.push(diagnostic('CF7002', `${source}: ${unknown.message}`, undefined, { hint: unknown.hint }));
  }
}

function definedPrice(definition: ProviderDefinition): PriceOverride {
  const price: PriceOverride = {};
  if (definition.priceIn !== undefined) price.input = definition.priceIn;
  if (definition.priceOut !== undefined) price.output = definition.priceOut;
  if (definition.priceCached !== undefined) price.cached = definition.priceCached;
  return price;
}
