/**
 * `router.embeddings` as the config file states it (checked against config/embeddings-schema.ts
 * when the file is loaded) and with its defaults filled in.
 */
export interface EmbeddingsConfig {
  provider: 'openai' | 'ollama' | 'compatible';
  model?: string;
  baseURL?: string;
  apiKeyEnv?: string;
  weight?: number;
  fusion?: 'linear' | 'zscore' | 'rrf' | 'gated';
  timeoutMs?: number;
  maxBatch?: number;
  /** false keeps the section but routes on words alone, like `route --embeddings off`. */
  enabled?: boolean;
}

export type ResolvedEmbeddingsConfig = Required<Omit<EmbeddingsConfig, 'model' | 'baseURL' | 'apiKeyEnv'>> &
  Pick<EmbeddingsConfig, 'model' | 'baseURL' | 'apiKeyEnv'>;

/** The embedding model each provider uses unless `model` names another; compatible servers have none in common. */
export const DEFAULT_EMBEDDING_MODELS: Record<string, string | undefined> = {
  openai: 'text-embedding-3-small',
  ollama: 'nomic-embed-text',
  compatible: undefined,
};

/** A route waits at most this long for one embedding request; then it goes on with words alone. */
export const DEFAULT_EMBEDDING_TIMEOUT_MS = 10_000;
/** Texts per request: within every provider's limit (OpenAI takes 2048) and a bounded body. */
export const DEFAULT_EMBEDDING_BATCH = 96;

export function resolveEmbeddingsConfig(config: EmbeddingsConfig): ResolvedEmbeddingsConfig {
  return {
    ...config,
    weight: config.weight ?? DEFAULT_EMBEDDING_WEIGHT,
    fusion: config.fusion ?? DEFAULT_EMBEDDING_FUSION,
    timeoutMs: config.timeoutMs ?? DEFAULT_EMBEDDING_TIMEOUT_MS,
    maxBatch: config.maxBatch ?? DEFAULT_EMBEDDING_BATCH,
    enabled: config.enabled ?? true,
  };
}

/** Fusion defaults: chosen on the six dev sets (docs/routing.md, "Embeddings"). */
export const DEFAULT_EMBEDDING_WEIGHT = 0.25;
export const DEFAULT_EMBEDDING_FUSION: NonNullable<EmbeddingsConfig['fusion']> = 'gated';
