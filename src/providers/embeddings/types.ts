/**
 * What an embedding provider gives the router (src/router/embeddings.ts EmbeddingProvider has the
 * same shape; the two layers do not import each other): same id and text, same vector.
 */
export interface TextEmbedder {
  /** Names provider and model (`openai:text-embedding-3-small`): part of every cache key. */
  readonly id: string;
  embed(texts: readonly string[]): Promise<number[][]>;
}
