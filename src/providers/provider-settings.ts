/**
 * The providers codex-flow knows, resolved from the variables users already set —
 * `OPENAI_API_KEY`, `ANTHROPIC_API_KEY`, `OLLAMA_HOST`, `OPENAI_BASE_URL` for any
 * OpenAI-compatible server, `CODEX_FLOW_CLI_CMD`, `CODEX_FLOW_HTTP_URL` — plus the named ones in
 * `providers.definitions`. Each comes out ready to build, or `configured: false` with the one-line
 * reason a chain prints when it skips it: a missing key, but also a base URL that is not a URL or
 * a command template with an unclosed quote. A setting that cannot work is caught here, before
 * any call, never as a crash at call time.
 *
 * @example
 * builtinProviderSettings({ OLLAMA_HOST: '0.0.0.0' }, {}).ollama.baseURL // 'http://127.0.0.1:11434/api'
 */
import { splitCommand } from './command-template.js';
import { ProviderError } from './errors.js';
import { resolvePrice, type Price, type PriceOverride } from './pricing.js';
import type { ProviderKind } from './provider.js';

const DEFAULT_MODELS: Record<string, string> = {
  openai: 'gpt-4.1-mini',
  anthropic: 'claude-sonnet-4-5',
  ollama: 'llama3.2',
  cli: 'cli',
};
const OPENAI_URL = 'https://api.openai.com/v1';
const ANTHROPIC_URL = 'https://api.anthropic.com/v1';
const OLLAMA_PORT = 11434;
/** A bad value is quoted in the reason up to this length: enough to recognise it. */
const MAX_QUOTED_VALUE = 60;

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

/** One provider, resolved: enough to build it, or the one-line reason it cannot be. */
export interface ProviderSettings {
  id: string;
  kind: ProviderKind;
  model: string;
  configured: boolean;
  /** Why it cannot be used (set exactly when `configured` is false). */
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
  /** The price overrides `price` was resolved with, to price another model of this provider. */
  priceOverride?: PriceOverride;
}

/**
 * The price of `model` on this provider: its resolved price for its own model, else the built-in
 * price of that model with the same overrides.
 *
 * @example priceFor(settings.anthropic, 'claude-opus-4-5'); // { input: 0.005, cached: 0.0005, output: 0.025 }
 */
export function priceFor(settings: ProviderSettings, model: string | undefined): Price | null {
  if (model === undefined || model === settings.model) return settings.price;
  return resolvePrice(settings.kind, model, settings.priceOverride);
}

type Env = Record<string, string | undefined>;
type Unpriced = Omit<ProviderSettings, 'price'>;

/** The built-in providers, priced with the per-provider overrides. */
export function builtinProviderSettings(env: Env, prices: Record<string, PriceOverride>): Record<string, ProviderSettings> {
  return {
    openai: withPrice(openAISettings(env), prices.openai),
    anthropic: withPrice(anthropicSettings(env), prices.anthropic),
    ollama: withPrice(ollamaSettings(env), prices.ollama),
    compatible: withPrice(compatibleSettings(env), prices.compatible),
    cli: { ...cliSettings(env), price: null },
    http: { ...httpSettings(env), price: null },
  };
}

function openAISettings(env: Env): Unpriced {
  const url = urlSetting('OPENAI_BASE_URL', env.OPENAI_BASE_URL);
  const baseURL = url.value ?? OPENAI_URL;
  const apiKey = env.OPENAI_API_KEY?.trim() || undefined;
  // A local OpenAI-compatible server (vLLM, LM Studio, llama.cpp) usually needs no key.
  const needsKey = baseURL === OPENAI_URL;
  const missing = url.problem ?? (apiKey || !needsKey ? undefined : 'OPENAI_API_KEY is not set');
  return {
    id: 'openai',
    kind: 'openai',
    model: env.OPENAI_MODEL?.trim() || DEFAULT_MODELS.openai!,
    baseURL,
    apiKey,
    credentialEnv: 'OPENAI_API_KEY',
    modelEnv: 'OPENAI_MODEL',
    ...usable(missing),
  };
}

function anthropicSettings(env: Env): Unpriced {
  const apiKey = env.ANTHROPIC_API_KEY?.trim() || undefined;
  const authToken = apiKey ? undefined : env.ANTHROPIC_AUTH_TOKEN?.trim() || undefined;
  const url = urlSetting('ANTHROPIC_BASE_URL', env.ANTHROPIC_BASE_URL);
  return {
    id: 'anthropic',
    kind: 'anthropic',
    model: env.ANTHROPIC_MODEL?.trim() || DEFAULT_MODELS.anthropic!,
    baseURL: url.value ? withVersion(url.value) : ANTHROPIC_URL,
    apiKey,
    authToken,
    credentialEnv: authToken ? 'ANTHROPIC_AUTH_TOKEN' : 'ANTHROPIC_API_KEY',
    modelEnv: 'ANTHROPIC_MODEL',
    ...usable(url.problem ?? (apiKey || authToken ? undefined : 'ANTHROPIC_API_KEY is not set')),
  };
}

/** The official SDK's ANTHROPIC_BASE_URL has no `/v1`; the AI SDK wants it. Accept both. */
function withVersion(url: string): string {
  return /\/v\d+$/.test(url) ? url : `${url}/v1`;
}

function ollamaSettings(env: Env): Unpriced {
  const host = ollamaHost(env.OLLAMA_HOST);
  return {
    id: 'ollama',
    kind: 'ollama',
    model: env.OLLAMA_MODEL?.trim() || DEFAULT_MODELS.ollama!,
    baseURL: host ? `${host}/api` : undefined,
    apiKey: env.OLLAMA_API_KEY?.trim() || undefined,
    credentialEnv: 'OLLAMA_API_KEY',
    modelEnv: 'OLLAMA_MODEL',
    // Ollama needs no credentials (a local server is the default): only a bad OLLAMA_HOST stops it.
    ...usable(host ? undefined : `OLLAMA_HOST=${quoted(env.OLLAMA_HOST)} is not a host, host:port or http(s) URL`),
  };
}

/**
 * OLLAMA_HOST as Ollama itself reads it: `host`, `host:port` or a URL; `0.0.0.0` is a bind
 * address, so clients connect to the loopback instead. Undefined when it is none of those.
 *
 * @example ollamaHost('0.0.0.0') === 'http://127.0.0.1:11434'
 */
export function ollamaHost(raw: string | undefined): string | undefined {
  const value = raw?.trim() || '127.0.0.1';
  // Like Ollama: without a scheme the default port is 11434; with one, the scheme's own.
  const hasScheme = /^https?:\/\//i.test(value);
  if (!hasScheme && value.includes('://')) return undefined;
  let url: URL;
  try {
    url = new URL(hasScheme ? value : `http://${value}`);
  } catch {
    return undefined;
  }
  if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1';
  if (!hasScheme && !url.port) url.port = String(OLLAMA_PORT);
  return trimSlash(url.toString());
}

function compatibleSettings(env: Env): Unpriced {
  const url = urlSetting('OPENAI_COMPATIBLE_BASE_URL', env.OPENAI_COMPATIBLE_BASE_URL);
  const model = env.OPENAI_COMPATIBLE_MODEL?.trim();
  const missing =
    url.problem ?? (!url.value ? 'OPENAI_COMPATIBLE_BASE_URL is not set' : !model ? 'OPENAI_COMPATIBLE_MODEL is not set' : undefined);
  return {
    id: 'compatible',
    kind: 'openai-compatible',
    model: model ?? '(unset)',
    baseURL: url.value,
    apiKey: env.OPENAI_COMPATIBLE_API_KEY?.trim() || undefined,
    credentialEnv: 'OPENAI_COMPATIBLE_API_KEY',
    modelEnv: 'OPENAI_COMPATIBLE_MODEL',
    ...usable(missing),
  };
}

function cliSettings(env: Env): Unpriced {
  const command = env.CODEX_FLOW_CLI_CMD?.trim() || undefined;
  return {
    id: 'cli',
    kind: 'cli',
    model: env.CODEX_FLOW_CLI_MODEL?.trim() || DEFAULT_MODELS.cli!,
    command,
    modelEnv: 'CODEX_FLOW_CLI_MODEL',
    credentialEnv: 'CODEX_FLOW_CLI_CMD',
    ...usable(command ? commandProblem('CODEX_FLOW_CLI_CMD', command) : 'CODEX_FLOW_CLI_CMD is not set'),
  };
}

function httpSettings(env: Env): Unpriced {
  const url = urlSetting('CODEX_FLOW_HTTP_URL', env.CODEX_FLOW_HTTP_URL);
  return {
    id: 'http',
    kind: 'http',
    model: env.CODEX_FLOW_HTTP_MODEL?.trim() || 'default',
    baseURL: url.value,
    apiKey: env.CODEX_FLOW_HTTP_TOKEN?.trim() || undefined,
    credentialEnv: 'CODEX_FLOW_HTTP_TOKEN',
    modelEnv: 'CODEX_FLOW_HTTP_MODEL',
    ...usable(url.problem ?? (url.value ? undefined : 'CODEX_FLOW_HTTP_URL is not set')),
  };
}

/** A config definition over a built-in of the same name, or a new named provider. */
export function fromDefinition(
  id: string,
  definition: ProviderDefinition,
  base: ProviderSettings | undefined,
  env: Env,
  price: PriceOverride,
): ProviderSettings {
  const kind = definition.kind ?? base?.kind ?? 'openai-compatible';
  const url = urlSetting(`providers.definitions.${id}.baseURL`, definition.baseURL);
  const { missing: _missing, price: _price, ...inherited } = base ?? {};
  const merged: Unpriced = {
    ...inherited,
    id,
    kind,
    model: definition.model ?? base?.model ?? DEFAULT_MODELS[kind] ?? '(unset)',
    baseURL: url.value ?? base?.baseURL,
    command: definition.command ?? base?.command,
    apiKey: definition.apiKeyEnv ? env[definition.apiKeyEnv]?.trim() || undefined : base?.apiKey,
    credentialEnv: definition.apiKeyEnv ?? base?.credentialEnv,
    configured: false,
  };
  return withPrice({ ...merged, ...usable(url.problem ?? definitionProblem(id, definition, merged, base)) }, price);
}

/** Why a defined provider cannot be used, or undefined when it can. */
function definitionProblem(
  id: string,
  definition: ProviderDefinition,
  merged: Unpriced,
  base: ProviderSettings | undefined,
): string | undefined {
  if (merged.kind === 'cli') {
    if (!merged.command) return `providers.definitions.${id}.command is not set`;
    return commandProblem(definition.command ? `providers.definitions.${id}.command` : 'CODEX_FLOW_CLI_CMD', merged.command);
  }
  if (!merged.baseURL) return `providers.definitions.${id}.baseURL is not set`;
  if (definition.apiKeyEnv) return merged.apiKey ? undefined : `${definition.apiKeyEnv} is not set`;
  // a built-in keeps its own credential rule unless the definition points it elsewhere
  return base && !definition.baseURL ? base.missing : undefined;
}

/** `{ configured, missing }` from the reason a provider cannot be used, if any. */
function usable(missing: string | undefined): { configured: boolean; missing?: string } {
  return missing === undefined ? { configured: true } : { configured: false, missing };
}

/** A base-URL setting: the value without trailing slashes, or why it is unusable. Unset is neither. */
function urlSetting(name: string, raw: string | undefined): { value?: string; problem?: string } {
  const value = trimSlash(raw);
  if (!value) return {};
  try {
    const { protocol } = new URL(value);
    if (protocol === 'http:' || protocol === 'https:') return { value };
  } catch {
    // not a URL at all
  }
  return { problem: `${name}=${quoted(raw!.trim())} is not an http(s) URL` };
}

function commandProblem(name: string, command: string): string | undefined {
  try {
    const [program] = splitCommand(command, name);
    return program ? undefined : `${name} names no command`;
  } catch (error) {
    return (error as ProviderError).message;
  }
}

function withPrice(settings: Unpriced, override: PriceOverride = {}): ProviderSettings {
  return { ...settings, price: resolvePrice(settings.kind, settings.model, override), priceOverride: override };
}

function quoted(value: string | undefined): string {
  const text = value ?? '';
  return JSON.stringify(text.length > MAX_QUOTED_VALUE ? `${text.slice(0, MAX_QUOTED_VALUE - 1)}…` : text);
}

function trimSlash(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed.replace(/\/+$/, '') : undefined;
}
