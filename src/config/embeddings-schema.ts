/**
 * The JSON Schema of `router.embeddings` (docs/routing.md, "Embeddings"): which embedding provider
 * and model add a meaning term to the lexical one, and how much. Loaded only when a config sets
 * the section, like the compiler's schema.
 */
import { Type } from 'typebox';

export const EMBEDDING_PROVIDERS = ['openai', 'ollama', 'compatible'] as const;
export const FUSION_METHODS = ['linear', 'zscore', 'rrf', 'gated'] as const;

export const EmbeddingsConfigSchema = Type.Object(
  {
    provider: Type.Enum([...EMBEDDING_PROVIDERS]),
    model: Type.Optional(Type.String({ minLength: 1 })),
    baseURL: Type.Optional(Type.String({ pattern: '^https?://' })),
    apiKeyEnv: Type.Optional(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' })),
    weight: Type.Optional(Type.Number({ minimum: 0, maximum: 10 })),
    fusion: Type.Optional(Type.Enum([...FUSION_METHODS])),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 600_000 })),
    maxBatch: Type.Optional(Type.Integer({ minimum: 1, maximum: 2048 })),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
