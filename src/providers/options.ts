/**
 * Every provider setting, resolved in one place from the environment and the config file.
 * Users configure providers the way they already do — `OPENAI_API_KEY`, `ANTHROPIC_API_KEY`,
 * `OLLAMA_HOST`, `OPENAI_BASE_URL` for any OpenAI-compatible server — plus a few codex-flow
 * variables for the CLI and HTTP providers. Config (`providers:` in codex-flow.config.yaml) wins
 * over the environment for tuning, the environment wins for credentials.
 *
 * Each tuning default is a named constant with the reason for its value.
 *
 * @example
 * const options = resolveProviderOptions(process.env, config.providers);
 * options.providers.openai.configured; // false, missing: 'OPENAI_API_KEY is not set'
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { resolvePrice, type Price, type PriceOverride } from './pricing.js';
import type { ProviderKind } from './provider.js';
import { secretsFromEnv } from './redact.js';

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

const DEFAULT_MODELS: Record<string, string> = {
  openai: 'gpt-4.1-mini',
  anthropic: 'claude-sonnet-4-5',
  ollama: 'llama3.2',
  cli: 'cli',
};
const OPENAI_URL = 'https://api.openai.com/v1';
const ANTHROPIC_URL = 'https://api.anthropic.com/v1';
const OLLAMA_PORT = 11434;

/** A provider as the user wrote it in `providers.definitions`; every field optional. */
export interface ProviderDefinition {
  kind?: ProviderKind;
  model?: string;
  baseURL?: string;
  /** Name of the environment variable that holds the key (never the key itself). */
  apiKeyEnv?: string;
  /** CLI providers: the command template; `{prompt}` puts the prompt in an argument. */
  command?: string;
  priceIn?: number;
  priceOut?: number;
  priceCached?: number;
}

/** The `providers:` section of codex-flow.config.yaml. */
export interface ProvidersConfig {
  provider?: string;
  fallback?: string[];
  budgetUsd?: number;
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

/** One provider, resolved: enough to build it, or the one-line reason it cannot be. */
export interface ProviderSettings {
  id: string;
  kind: ProviderKind;
  model: string;
  configured: boolean;
  missing?: string;
  baseURL?: string;
  apiKey?: string;
  /** Anthropic gateways that want `Authorization: Bearer` instead of `x-api-key`. */
  authToken?: string;
  /** The variable a user should fix when the key is rejected. */
  credentialEnv?: string;
  modelEnv?: string;
  command?: string;
  price: Price | null;
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
  stateFile: string;
  /** Values to scrub from anything written out. */
  secrets: string[];
  diagnostics: Diagnostic[];
}

type Env = Record<string, string | undefined>;

export function resolveProviderOptions(env: Env, config: ProvidersConfig = {}): ResolvedProviderOptions {
  const diagnostics: Diagnostic[] = [];
  const number = (name: string): number | undefined => {
    const raw = env[name]?.trim();
    if (!raw) return undefined;
    const value = Number(raw);
    if (Number.isFinite(value) && value >= 0) return value;
    diagnostics.push(diagnostic('CF7001', `${name}=${JSON.stringify(raw)} is not a non-negative number; ignored`));
    return undefined;
  };
  const envPrice = (prefix: string): PriceOverride =>
    ({ input: number(`${prefix}_PRICE_IN`), output: number(`${prefix}_PRICE_OUT`), cached: number(`${prefix}_PRICE_CACHED`) });
  const prices: Record<string, PriceOverride> = {
    openai: envPrice('OPENAI'), anthropic: envPrice('ANTHROPIC'), ollama: envPrice('OLLAMA'), compatible: envPrice('OPENAI_COMPATIBLE'),
  };

  const providers: Record<string, ProviderSettings> = {
    openai: openAISettings(env, prices.openai!),
    anthropic: anthropicSettings(env, prices.anthropic!),
    ollama: ollamaSettings(env, prices.ollama!),
    compatible: compatibleSettings(env, prices.compatible!),
    cli: cliSettings(env),
    http: httpSettings(env),
  };
  for (const [id, definition] of Object.entries(config.definitions ?? {})) {
    const price = { ...prices[id], ...definedPrice(definition) };
    providers[id] = withPrice(fromDefinition(id, definition, providers[id], env), price);
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
  const fallback = config.fallback ?? splitList(env.CODEX_FLOW_FALLBACK);
  return {
    providers,
    provider: config.provider ?? (env.CODEX_FLOW_PROVIDER?.trim() || undefined),
    fallback,
    requestTimeoutMs: config.requestTimeoutMs ?? number('CODEX_FLOW_REQUEST_TIMEOUT_MS') ?? DEFAULT_REQUEST_TIMEOUT_MS,
    stallTimeoutMs: config.stallTimeoutMs ?? number('CODEX_FLOW_STALL_TIMEOUT_MS') ?? DEFAULT_STALL_TIMEOUT_MS,
    backoffBaseMs: config.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS,
    backoffCapMs: config.backoffCapMs ?? DEFAULT_BACKOFF_CAP_MS,
    retryAfterCapMs: config.retryAfterCapMs ?? number('CODEX_FLOW_RETRY_AFTER_CAP_MS') ?? DEFAULT_RETRY_AFTER_CAP_MS,
    rounds: Math.max(1, config.rounds ?? DEFAULT_ROUNDS),
    breaker,
    continueOnFallback: config.continueOnFallback ?? env.CODEX_FLOW_CONTINUE_ON_FALLBACK === '1',
    budgetUsd: config.budgetUsd ?? number('CODEX_FLOW_BUDGET_USD') ?? null,
    stateFile: config.stateFile ?? DEFAULT_STATE_FILE,
    secrets: secretsFromEnv(env),
    diagnostics,
  };
}

/** `a, b,,c` → ['a', 'b', 'c']. */
export function splitList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((item) => item.trim()).filter(Boolean);
}

function openAISettings(env: Env, price: PriceOverride): ProviderSettings {
  const baseURL = trimSlash(env.OPENAI_BASE_URL) ?? OPENAI_URL;
  const apiKey = env.OPENAI_API_KEY?.trim() || undefined;
  const model = env.OPENAI_MODEL?.trim() || DEFAULT_MODELS.openai!;
  // A local OpenAI-compatible server (vLLM, LM Studio, llama.cpp) usually needs no key.
  const needsKey = baseURL === OPENAI_URL;
  return withPrice({
    id: 'openai', kind: 'openai', model, baseURL, apiKey, credentialEnv: 'OPENAI_API_KEY', modelEnv: 'OPENAI_MODEL',
    configured: Boolean(apiKey) || !needsKey,
    missing: apiKey || !needsKey ? undefined : 'OPENAI_API_KEY is not set',
  }, price);
}

function anthropicSettings(env: Env, price: PriceOverride): ProviderSettings {
  const apiKey = env.ANTHROPIC_API_KEY?.trim() || undefined;
  const authToken = apiKey ? undefined : env.ANTHROPIC_AUTH_TOKEN?.trim() || undefined;
  return withPrice({
    id: 'anthropic', kind: 'anthropic', model: env.ANTHROPIC_MODEL?.trim() || DEFAULT_MODELS.anthropic!,
    baseURL: anthropicBaseURL(env.ANTHROPIC_BASE_URL), apiKey, authToken,
    credentialEnv: authToken ? 'ANTHROPIC_AUTH_TOKEN' : 'ANTHROPIC_API_KEY', modelEnv: 'ANTHROPIC_MODEL',
    configured: Boolean(apiKey || authToken),
    missing: apiKey || authToken ? undefined : 'ANTHROPIC_API_KEY is not set',
  }, price);
}

/** The official SDK's ANTHROPIC_BASE_URL has no `/v1`; the AI SDK wants it. Accept both. */
function anthropicBaseURL(raw: string | undefined): string {
  const url = trimSlash(raw);
  if (!url) return ANTHROPIC_URL;
  return /\/v\d+$/.test(url) ? url : `${url}/v1`;
}

function ollamaSettings(env: Env, price: PriceOverride): ProviderSettings {
  return withPrice({
    id: 'ollama', kind: 'ollama', model: env.OLLAMA_MODEL?.trim() || DEFAULT_MODELS.ollama!,
    baseURL: `${ollamaHost(env.OLLAMA_HOST)}/api`, apiKey: env.OLLAMA_API_KEY?.trim() || undefined,
    credentialEnv: 'OLLAMA_API_KEY', modelEnv: 'OLLAMA_MODEL',
    // Ollama needs no credentials: a local server is the default.
    configured: true,
  }, price);
}

/**
 * OLLAMA_HOST as Ollama itself reads it: `host`, `host:port` or a URL; `0.0.0.0` is a bind
 * address, so clients connect to the loopback instead.
 *
 * @example ollamaHost('0.0.0.0') === 'http://127.0.0.1:11434'
 */
export function ollamaHost(raw: string | undefined): string {
  const value = raw?.trim() || '127.0.0.1';
  // Like Ollama: without a scheme the default port is 11434; with one, the scheme's own.
  const hasScheme = /^https?:\/\//.test(value);
  const url = new URL(hasScheme ? value : `http://${value}`);
  if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1';
  if (!hasScheme && !url.port) url.port = String(OLLAMA_PORT);
  return trimSlash(url.toString())!;
}

function compatibleSettings(env: Env, price: PriceOverride): ProviderSettings {
  const baseURL = trimSlash(env.OPENAI_COMPATIBLE_BASE_URL);
  const model = env.OPENAI_COMPATIBLE_MODEL?.trim();
  return withPrice({
    id: 'compatible', kind: 'openai-compatible', model: model ?? '(unset)', baseURL,
    apiKey: env.OPENAI_COMPATIBLE_API_KEY?.trim() || undefined,
    credentialEnv: 'OPENAI_COMPATIBLE_API_KEY', modelEnv: 'OPENAI_COMPATIBLE_MODEL',
    configured: Boolean(baseURL && model),
    missing: !baseURL ? 'OPENAI_COMPATIBLE_BASE_URL is not set' : !model ? 'OPENAI_COMPATIBLE_MODEL is not set' : undefined,
  }, price);
}

function cliSettings(env: Env): ProviderSettings {
  const command = env.CODEX_FLOW_CLI_CMD?.trim() || undefined;
  return {
    id: 'cli', kind: 'cli', model: env.CODEX_FLOW_CLI_MODEL?.trim() || DEFAULT_MODELS.cli!, command,
    modelEnv: 'CODEX_FLOW_CLI_MODEL', credentialEnv: 'CODEX_FLOW_CLI_CMD',
    configured: Boolean(command), missing: command ? undefined : 'CODEX_FLOW_CLI_CMD is not set', price: null,
  };
}

function httpSettings(env: Env): ProviderSettings {
  const baseURL = trimSlash(env.CODEX_FLOW_HTTP_URL);
  return {
    id: 'http', kind: 'http', model: env.CODEX_FLOW_HTTP_MODEL?.trim() || 'default', baseURL,
    apiKey: env.CODEX_FLOW_HTTP_TOKEN?.trim() || undefined, credentialEnv: 'CODEX_FLOW_HTTP_TOKEN', modelEnv: 'CODEX_FLOW_HTTP_MODEL',
    configured: Boolean(baseURL), missing: baseURL ? undefined : 'CODEX_FLOW_HTTP_URL is not set', price: null,
  };
}

/** A config definition over a built-in of the same name, or a new named provider. */
function fromDefinition(id: string, definition: ProviderDefinition, base: ProviderSettings | undefined, env: Env): ProviderSettings {
  const kind = definition.kind ?? base?.kind ?? 'openai-compatible';
  const apiKey = definition.apiKeyEnv ? env[definition.apiKeyEnv]?.trim() || undefined : base?.apiKey;
  const merged: ProviderSettings = {
    ...(base ?? { configured: false, price: null }),
    id, kind,
    model: definition.model ?? base?.model ?? DEFAULT_MODELS[kind] ?? '(unset)',
    baseURL: trimSlash(definition.baseURL) ?? base?.baseURL,
    command: definition.command ?? base?.command,
    apiKey,
    credentialEnv: definition.apiKeyEnv ?? base?.credentialEnv,
  } as ProviderSettings;
  const needs = missingFor(id, definition, merged, base);
  merged.configured = needs === undefined;
  merged.missing = needs;
  return merged;
}

/** Why a defined provider cannot be used, or undefined when it can. */
function missingFor(id: string, definition: ProviderDefinition, merged: ProviderSettings, base: ProviderSettings | undefined): string | undefined {
  if (merged.kind === 'cli') return merged.command ? undefined : `providers.definitions.${id}.command is not set`;
  if (!merged.baseURL) return `providers.definitions.${id}.baseURL is not set`;
  if (definition.apiKeyEnv) return merged.apiKey ? undefined : `${definition.apiKeyEnv} is not set`;
  // a built-in keeps its own credential rule unless the definition points it elsewhere
  return base && !definition.baseURL ? base.missing : undefined;
}

function definedPrice(definition: ProviderDefinition): PriceOverride {
  const price: PriceOverride = {};
  if (definition.priceIn !== undefined) price.input = definition.priceIn;
  if (definition.priceOut !== undefined) price.output = definition.priceOut;
  if (definition.priceCached !== undefined) price.cached = definition.priceCached;
  return price;
}

function withPrice(settings: Omit<ProviderSettings, 'price'> & { price?: Price | null }, override: PriceOverride): ProviderSettings {
  return { ...settings, price: resolvePrice(settings.kind, settings.model, override) };
}

function trimSlash(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed.replace(/\/+$/, '') : undefined;
}
