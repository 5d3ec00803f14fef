/**
 * Embedding similarity as a semantic model: the interface a configured provider implements, and
 * a disk cache keyed by content hash so a fleet's agent vectors are computed once per brief text,
 * not once per run. The provider wiring itself (OpenAI, Ollama, …) lives with the providers.
 *
 * @example
 * const model = embeddingModelFactory(myProvider, new EmbeddingCache('.codex-flow/cache/embeddings'));
 * const router = createRouter(fleet, { semanticModel: model });
 * await router.routeAsync({ task: 'make the checkout page faster' });
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LexicalDocument } from './lexical-model.js';
import type { SemanticHit, SemanticModelFactory } from './stages/semantic/semantic-stage.js';
import { writeFileAtomic } from '../util/atomic-write.js';

/** A text-embedding provider: same id and text → same vector. */
export interface EmbeddingProvider {
  /** Names provider and model (e.g. `openai:text-embedding-3-small`); part of the cache key. */
  readonly id: string;
  embed(texts: readonly string[]): Promise<number[][]>;
}

/** Vectors on disk, one little-endian Float32 file per sha256(provider id, text). */
export class EmbeddingCache {
  constructor(private readonly dir: string) {}

  key(providerId: string, text: string): string {
    return createHash('sha256').update(providerId).update('\0').update(text).digest('hex');
  }

  get(providerId: string, text: string): Float32Array | undefined {
    try {
      const bytes = readFileSync(join(this.dir, `${this.key(providerId, text)}.f32`));
      return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    } catch {
      return undefined;
    }
  }

  set(providerId: string, text: string, vector: Float32Array): void {
    try {
      const file = join(this.dir, `${this.key(providerId, text)}.f32`);
      writeFileAtomic(file, Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength));
    } catch {
      // An unwritable cache only costs a recomputation next time.
    }
  }
}

/** Vectors for texts: cached ones from disk, the rest from the provider in one batch. */
export async function embedAll(provider: EmbeddingProvider, cache: EmbeddingCache, texts: readonly string[]): Promise<Float32Array[]> {
  const vectors: Array<Float32Array | undefined> = texts.map((text) => cache.get(provider.id, text));
  const missing = texts.map((text, i) => (vectors[i] ? -1 : i)).filter((i) => i >= 0);
  if (missing.length > 0) {
    const fresh = await provider.embed(missing.map((i) => texts[i]!));
    missing.forEach((index, k) => {
      const vector = Float32Array.from(fresh[k] ?? []);
      vectors[index] = vector;
      cache.set(provider.id, texts[index]!, vector);
    });
  }
  return vectors.map((vector) => vector ?? new Float32Array(0));
}

/** The text embedded for an agent: what it is for, then its brief. */
export function documentText(doc: LexicalDocument): string {
  return [doc.name, doc.description, doc.responsibilities.join('; '), doc.body].filter(Boolean).join('\n');
}

/** The cosine of two vectors over their common length; 0 when either is all zeros. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0,
    na = 0,
    nb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/**
 * A semantic model over embeddings. `prepare(query)` (called by `router.routeAsync`) embeds the
 * agents once and the query; `search` on an unprepared query returns nothing, so the synchronous
 * `route` then falls back like a fleet without a semantic stage.
 */
export function embeddingModelFactory(provider: EmbeddingProvider, cache: EmbeddingCache): SemanticModelFactory {
  return (documents) => {
    let agents: Float32Array[] | undefined;
    const queries = new Map<string, Float32Array>();
    return {
      name: `embeddings:${provider.id}`,
      async prepare(query) {
        agents ??= await embedAll(provider, cache, documents().map(documentText));
        if (!queries.has(query)) queries.set(query, (await embedAll(provider, cache, [query]))[0]!);
      },
      search(query): SemanticHit[] {
        const vector = queries.get(query);
        if (!vector || !agents) return [];
        return agents
          .map((agent, doc) => ({ doc, score: cosine(vector, agent) }))
          .filter((hit) => hit.score > 0)
          .sort((a, b) => b.score - a.score || a.doc - b.doc)
          .map((hit) => ({ ...hit, terms: [{ term: 'embedding', field: `cosine ${hit.score.toFixed(3)}`, contribution: hit.score }] }));
      },
    };
  };
}
