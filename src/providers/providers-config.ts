/**
 * The `providers:` section of codex-flow.config.yaml, checked field by field before it is used.
 * The config loader hands sections over as plain YAML values, so a person's `fallback: anthropic,
 * ollama` (a string, not a list) or `requestTimeoutMs: 2m` arrives as is. Each field of the wrong
 * type is dropped with a CF7001 warning naming it and saying what it should be, and the default
 * applies; a comma-separated string is accepted where a list is expected, because that is what
 * the environment variables take. Nothing here throws.
 *
 * @example
 * const config = checkProvidersConfig({ fallback: 'anthropic, ollama', rounds: 'two' }, diagnostics);
 * // { fallback: ['anthropic', 'ollama'] } and one warning: providers.rounds should be a whole number ≥ 1
 */
import { checkPlainSection } from '../config/check-plain.js';
import { ProvidersConfigSchema } from '../config/providers-schema.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { BreakerOptions, ProvidersConfig } from './options.js';
import type { ProviderDefinition } from './provider-settings.js';

type Check = (value: unknown) => boolean;

const isString: Check = (value) => typeof value === 'string' && value.trim() !== '';
const isBoolean: Check = (value) => typeof value === 'boolean';
const isNonNegative: Check = (value) => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const isPositive: Check = (value) => typeof value === 'number' && Number.isFinite(value) && value > 0;
const isCount: Check = (value) => typeof value === 'number' && Number.isInteger(value) && value >= 1;
const isFraction: Check = (value) => typeof value === 'number' && value > 0 && value <= 1;

/** Each scalar field: its check and the words for what it should be. */
const FIELDS: Record<string, [Check, string]> = {
  provider: [isString, 'a provider name'],
  budgetUsd: [isNonNegative, 'an amount in USD'],
  budgetWarnAt: [isFraction, 'a fraction in (0, 1]'],
  requestTimeoutMs: [isPositive, 'milliseconds, more than 0'],
  stallTimeoutMs: [isPositive, 'milliseconds, more than 0'],
  backoffBaseMs: [isNonNegative, 'milliseconds'],
  backoffCapMs: [isNonNegative, 'milliseconds'],
  retryAfterCapMs: [isNonNegative, 'milliseconds'],
  rounds: [isCount, 'a whole number ≥ 1'],
  continueOnFallback: [isBoolean, 'true or false'],
  stateFile: [isString, 'a path'],
};

const BREAKER_FIELDS: Record<keyof BreakerOptions, [Check, string]> = {
  windowMs: [isPositive, 'milliseconds, more than 0'],
  minRequests: [isCount, 'a whole number ≥ 1'],
  failureThreshold: [isFraction, 'a fraction in (0, 1]'],
  cooldownBaseMs: [isNonNegative, 'milliseconds'],
  cooldownMaxMs: [isNonNegative, 'milliseconds'],
  proactiveThreshold: [isFraction, 'a fraction in (0, 1]'],
  proactiveHoldMs: [isNonNegative, 'milliseconds'],
};

const DEFINITION_FIELDS: Record<keyof ProviderDefinition, [Check, string]> = {
  kind: [
    (value) => ['openai', 'anthropic', 'ollama', 'openai-compatible', 'cli', 'http'].includes(value as string),
    'one of openai, anthropic, ollama, openai-compatible, cli, http',
  ],
  model: [isString, 'a model name'],
  baseURL: [isString, 'a URL'],
  apiKeyEnv: [isString, 'the name of an environment variable'],
  command: [isString, 'a command template'],
  priceIn: [isNonNegative, 'USD per 1K tokens'],
  priceOut: [isNonNegative, 'USD per 1K tokens'],
  priceCached: [isNonNegative, 'USD per 1K tokens'],
};

export function checkProvidersConfig(raw: unknown, diagnostics: Diagnostic[]): ProvidersConfig {
  if (raw === undefined || raw === null) return {};
  // Unknown keys: the config registry's check (reported by the loader for a section from the file).
  diagnostics.push(...checkPlainSection('providers', raw, ProvidersConfigSchema));
  const warn = (path: string, expected: string) =>
    diagnostics.push(
      diagnostic('CF7001', `providers${path} should be ${expected}; ignored`, undefined, {
        hint: `fix or remove providers${path} in codex-flow.config.yaml`,
      }),
    );
  if (!isRecord(raw)) {
    warn('', 'a mapping of settings');
    return {};
  }
  const config = pick(raw, FIELDS, '', warn) as ProvidersConfig;
  if (raw.fallback !== undefined) {
    const list =
      typeof raw.fallback === 'string'
        ? raw.fallback
            .split(',')
            .map((name) => name.trim())
            .filter(Boolean)
        : raw.fallback;
    if (Array.isArray(list) && list.every(isString)) config.fallback = list as string[];
    else warn('.fallback', 'a list of provider names');
  }
  if (raw.breaker !== undefined) {
    if (isRecord(raw.breaker)) config.breaker = pick(raw.breaker, BREAKER_FIELDS, '.breaker', warn);
    else warn('.breaker', 'a mapping of breaker settings');
  }
  if (raw.models !== undefined) {
    if (!isRecord(raw.models)) warn('.models', 'a mapping of provider names to model tables');
    else config.models = modelTablesOf(raw.models, warn);
  }
  if (raw.definitions !== undefined) {
    if (!isRecord(raw.definitions)) warn('.definitions', 'a mapping of provider names to settings');
    else config.definitions = definitionsOf(raw.definitions, warn);
  }
  return config;
}

/** `models: { anthropic: { sonnet: claude-sonnet-4-5 } }`: per provider, names to model ids. */
function modelTablesOf(
  raw: Record<string, unknown>,
  warn: (path: string, expected: string) => void,
): Record<string, Record<string, string>> {
  const tables: Record<string, Record<string, string>> = {};
  for (const [id, table] of Object.entries(raw)) {
    if (!isRecord(table)) {
      warn(`.models.${id}`, 'a mapping of model names (sonnet, opus, haiku…) to model ids');
      continue;
    }
    tables[id] = {};
    for (const [name, model] of Object.entries(table)) {
      if (isString(model)) tables[id]![name] = (model as string).trim();
      else warn(`.models.${id}.${name}`, 'a model id');
    }
  }
  return tables;
}

function definitionsOf(raw: Record<string, unknown>, warn: (path: string, expected: string) => void): Record<string, ProviderDefinition> {
  const definitions: Record<string, ProviderDefinition> = {};
  for (const [id, definition] of Object.entries(raw)) {
    if (isRecord(definition)) definitions[id] = pick(definition, DEFINITION_FIELDS, `.definitions.${id}`, warn);
    else warn(`.definitions.${id}`, 'a mapping of settings');
  }
  return definitions;
}

/** The fields of `raw` that pass their check; a warning for each that does not. Unknown keys are the registry's (above). */
function pick<T>(
  raw: Record<string, unknown>,
  fields: Record<string, [Check, string]>,
  path: string,
  warn: (path: string, expected: string) => void,
): Partial<T> {
  const picked: Record<string, unknown> = {};
  for (const [key, [check, expected]] of Object.entries(fields)) {
    const value = raw[key];
    if (value === undefined) continue;
    if (check(value)) picked[key] = typeof value === 'string' ? value.trim() : value;
    else warn(`${path}.${key}`, expected);
  }
  return picked as Partial<T>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
