/**
 * The model reranker's settings (`router.rerank:` in the config), every default resolved here. The
 * reranker is off unless asked for: `route --rerank on`, or a `router.rerank` section (its
 * `enabled` defaults to true once the section is written). Problems come back with the key path
 * they concern, so the caller can point at `file:line:col` in the config.
 *
 * @example
 * const { options, problems } = resolveRerankOptions({ provider: 'openai', model: 'gpt-4.1-mini' });
 */

export interface RerankOptions {
  enabled: boolean;
  /** The first provider of the chain; absent, the chain's own default (CODEX_FLOW_PROVIDER, else the first configured). */
  provider?: string;
  fallback: string[];
  /** The model asked; absent, each provider's own. */
  model?: string;
  /** Candidates handed to the model. */
  k: number;
  /** The whole rerank (both tries, retries and backoff included) ends within this. */
  timeoutMs: number;
  /** USD one rerank may cost at most (estimated before the call from the price table); null: no cap. */
  budgetUsd: number | null;
  /** How long a cached answer is reused. */
  ttlMs: number;
}

export interface RerankProblem {
  /** Key path under `router.rerank`. */
  path: string[];
  message: string;
  hint: string;
}

/**
 * Fifteen candidates: the right agent is inside the lexical top 15 far more often than inside the
 * top 5, and fifteen short entries keep the prompt to a couple of thousand tokens (docs/routing.md).
 */
export const DEFAULT_RERANK_K = 15;
/** A model answering fifteen ids with a line each takes a few seconds; past ten a person has stopped waiting. */
export const DEFAULT_RERANK_TIMEOUT_MS = 10_000;
/** A week: the fleet hash is in the cache key, so a recompiled fleet already misses; the TTL bounds a model's drift. */
export const DEFAULT_RERANK_TTL_MS = 7 * 24 * 3_600_000;
/** The largest k: past this the prompt is a fleet listing, not a shortlist. */
export const MAX_RERANK_K = 50;
/** The longest wait accepted: a route is interactive. */
export const MAX_RERANK_TIMEOUT_MS = 120_000;

const KEYS = ['enabled', 'provider', 'fallback', 'model', 'k', 'timeout_ms', 'budget', 'ttl'] as const;
const DURATION = /^([0-9]+)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** The section's settings with their defaults, or the problems found (each with its key path). */
export function resolveRerankOptions(section: unknown): { options?: RerankOptions; problems: RerankProblem[] } {
  if (section === undefined || section === null) return { options: defaults(false), problems: [] };
  if (typeof section !== 'object' || Array.isArray(section))
    return { problems: [problem([], 'router.rerank must be a mapping', 'write `rerank: { provider: openai, model: gpt-4.1-mini }`')] };
  const raw = section as Record<string, unknown>;
  const problems: RerankProblem[] = [];
  for (const key of Object.keys(raw))
    if (!(KEYS as readonly string[]).includes(key))
      problems.push(problem([key], `router.rerank.${key} is not a setting`, `use ${KEYS.join(', ')}`));
  const options = defaults(true);
  if (raw.enabled !== undefined) {
    if (typeof raw.enabled === 'boolean') options.enabled = raw.enabled;
    else problems.push(problem(['enabled'], 'router.rerank.enabled must be true or false', 'write `enabled: false` to keep it off'));
  }
  for (const key of ['provider', 'model'] as const) {
    const value = raw[key];
    if (value === undefined) continue;
    if (typeof value === 'string' && value.trim() !== '') options[key] = value.trim();
    else
      problems.push(
        problem(
          [key],
          `router.rerank.${key} must be a name`,
          key === 'provider' ? 'run `codex-flow providers` to list them' : 'name a model, e.g. gpt-4.1-mini',
        ),
      );
  }
  if (raw.fallback !== undefined) {
    if (Array.isArray(raw.fallback) && raw.fallback.every((entry) => typeof entry === 'string' && entry !== ''))
      options.fallback = [...raw.fallback];
    else problems.push(problem(['fallback'], 'router.rerank.fallback must be a list of provider names', 'write `fallback: [anthropic]`'));
  }
  if (raw.k !== undefined) {
    if (Number.isInteger(raw.k) && (raw.k as number) >= 2 && (raw.k as number) <= MAX_RERANK_K) options.k = raw.k as number;
    else
      problems.push(problem(['k'], `router.rerank.k must be an integer from 2 to ${MAX_RERANK_K}`, `the default is ${DEFAULT_RERANK_K}`));
  }
  if (raw.timeout_ms !== undefined) {
    const value = raw.timeout_ms;
    if (Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_RERANK_TIMEOUT_MS)
      options.timeoutMs = value as number;
    else
      problems.push(
        problem(
          ['timeout_ms'],
          `router.rerank.timeout_ms must be an integer from 1 to ${MAX_RERANK_TIMEOUT_MS}`,
          `the default is ${DEFAULT_RERANK_TIMEOUT_MS}`,
        ),
      );
  }
  if (raw.budget !== undefined && raw.budget !== null) {
    const value = raw.budget;
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) options.budgetUsd = value;
    else
      problems.push(
        problem(
          ['budget'],
          'router.rerank.budget must be a number of USD above 0',
          'write `budget: 0.01` (one cent a route), or leave it out for no cap',
        ),
      );
  }
  if (raw.ttl !== undefined) {
    const ttl = ttlMs(raw.ttl);
    if (ttl === undefined)
      problems.push(
        problem(['ttl'], 'router.rerank.ttl must be a duration such as 30m, 24h or 7d (or seconds)', 'write `ttl: 0s` to keep no answer'),
      );
    else options.ttlMs = ttl;
  }
  return problems.length > 0 ? { problems } : { options, problems };
}

function ttlMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value * 1_000 : undefined;
  if (typeof value !== 'string') return undefined;
  const match = DURATION.exec(value.trim());
  return match ? Number(match[1]) * UNIT_MS[match[2]!]! : undefined;
}

function defaults(enabled: boolean): RerankOptions {
  return {
    enabled,
    fallback: [],
    k: DEFAULT_RERANK_K,
    timeoutMs: DEFAULT_RERANK_TIMEOUT_MS,
    budgetUsd: null,
    ttlMs: DEFAULT_RERANK_TTL_MS,
  };
}

function problem(path: string[], message: string, hint: string): RerankProblem {
  return { path, message, hint };
}
