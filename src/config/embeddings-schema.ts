/**
 * The JSON Schema of `router.embeddings` (docs/routing.md, "Embeddings"): which embedding provider
 * and model add a meaning term to the lexical one, and how much. Part of the router's schema
 * (router-schema.ts); its problems carry CF3300 (sections.ts).
 */
import { integer, mapping, number, oneOf, text } from './schema-helpers.js';

export const EMBEDDING_PROVIDERS = ['openai', 'ollama', 'compatible'] as const;
export const FUSION_METHODS = ['linear', 'zscore', 'rrf', 'gated'] as const;

export const EmbeddingsConfigSchema = mapping(
  {
    provider: oneOf(EMBEDDING_PROVIDERS),
    model: text,
    baseURL: { type: 'string', pattern: '^https?://', hint: 'write the server address, e.g. http://127.0.0.1:11434' },
    apiKeyEnv: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', hint: 'name an environment variable, e.g. OPENAI_API_KEY' },
    weight: number(0, 10),
    fusion: oneOf(FUSION_METHODS),
    timeoutMs: integer(100, 600_000),
    maxBatch: integer(1, 2048),
    enabled: { type: 'boolean' },
  },
  { required: ['provider'] },
);
