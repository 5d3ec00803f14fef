/**
 * The JSON Schema of the `router:` section: the weights and cut-offs resolveRouterOptions reads
 * (src/router/options.ts), the model reranker (`rerank`, src/router/rerank/options.ts) and the
 * embedding term (`embeddings`, embeddings-schema.ts). It is at least as strict as those resolvers,
 * so a file that passes here never makes them throw; a library caller's object still meets their checks.
 */
import { EmbeddingsConfigSchema } from './embeddings-schema.js';
import { integer, mapping, number, oneOf, orNull, type Schema } from './schema-helpers.js';

/** The weights of the score (RouterWeights); each a number ≥ 0. */
export const ROUTER_WEIGHTS = ['mention', 'keyword', 'regex', 'files', 'affinity', 'reward', 'semantic', 'learned'] as const;
export const SEMANTIC_MODES = ['fallback', 'always', 'off'] as const;
/** Mirrors MAX_TOP, MAX_RERANK_K and MAX_RERANK_TIMEOUT_MS of the router (a test keeps them equal). */
export const ROUTER_LIMITS = { top: 1_000, rerankK: 50, rerankTimeoutMs: 120_000 } as const;

const weight: Schema = { type: 'number', minimum: 0, hint: 'a weight is a number ≥ 0; a keyword is worth 1' };
const name: Schema = { type: 'string', pattern: '\\S', hint: 'name a provider (`codex-flow providers` lists them)' };

const RerankSchema = orNull(
  mapping({
    enabled: { type: 'boolean' },
    provider: name,
    fallback: { type: 'array', items: { type: 'string', minLength: 1 }, hint: 'write `fallback: [anthropic]`' },
    model: { type: 'string', pattern: '\\S', hint: 'name a model, e.g. gpt-4.1-mini' },
    k: integer(2, ROUTER_LIMITS.rerankK, 'the default is 15'),
    timeout_ms: integer(1, ROUTER_LIMITS.rerankTimeoutMs, 'the default is 10000'),
    budget: { type: ['number', 'null'], exclusiveMinimum: 0, hint: 'write `budget: 0.01` (one cent a route), or leave it out for no cap' },
    ttl: {
      type: ['string', 'integer'],
      pattern: '^\\s*[0-9]+(ms|s|m|h|d)\\s*$',
      minimum: 0,
      hint: 'a duration such as 30m, 24h or 7d (or seconds); `ttl: 0s` keeps no answer',
    },
  }),
);

export const RouterConfigSchema: Schema = orNull(
  mapping({
    weights: orNull(mapping(Object.fromEntries(ROUTER_WEIGHTS.map((key) => [key, weight])))),
    top: orNull(integer(1, ROUTER_LIMITS.top, 'the default is 5')),
    semantic: orNull(oneOf(SEMANTIC_MODES)),
    semanticMinRelative: orNull(number(0, 1)),
    disabled: orNull({ type: 'array', items: { type: 'string' }, hint: 'list agent ids: `disabled: [legacy-agent]`' }),
    rerank: RerankSchema,
    embeddings: EmbeddingsConfigSchema,
  }),
);
