/**
 * The fused semantic model (fusion.ts) with its agent vectors keyed by brief hash and provider:
 * a route whose vectors are cached reads one small file per agent and never loads a definition;
 * only agents whose brief changed since are embedded again. A query's vector is cached by its
 * text, so a repeated request costs no call. A provider failure in `prepare` propagates (the
 * router turns it into a diagnostic and routes on words alone, fusion.ts `search`).
 *
 * @example
 * const factory = briefEmbeddingModelFactory(lexical, provider, cache, { method: 'gated', weight: 0.25, k: 60 }, keys);
 */
import { embedAll, type EmbeddingCache, type EmbeddingProvider } from './embeddings.js';
import { agentEmbeddingText, fusedSearch, type FusionOptions } from './fusion.js';
import type { SemanticModel, SemanticModelFactory } from './stages/semantic/semantic-stage.js';

/** Which agent is document i (the router's agent order) and the hash of each agent's brief. */
export interface BriefKeys {
  ids(): readonly string[];
  hash(id: string): string | undefined;
}

/** What the model has cost: agent and query vectors computed (calls made) and read from the cache. */
export interface EmbeddingTally {
  embedded: number;
  cached: number;
}

export function briefEmbeddingModelFactory(
  lexical: SemanticModelFactory,
  provider: EmbeddingProvider,
  cache: EmbeddingCache,
  options: FusionOptions,
  keys: BriefKeys,
  tally: EmbeddingTally = { embedded: 0, cached: 0 },
): SemanticModelFactory {
  // Shared by every model the factory makes: a router rebuilt over the same fleet (learning's
  // plain router) keeps the vectors its predecessor prepared.
  let agents: Float32Array[] | undefined;
  const queries = new Map<string, Float32Array>();
  return (documents) => {
    const words = lexical(documents);
    const agentVectors = async (): Promise<Float32Array[]> => {
      const ids = keys.ids();
      const cacheKeys = ids.map((id) => `brief\n${id}\n${keys.hash(id) ?? ''}`);
      const vectors = cacheKeys.map((key) => cache.get(provider.id, key));
      const missing = vectors.flatMap((vector, i) => (vector ? [] : [i]));
      tally.cached += ids.length - missing.length;
      if (missing.length > 0) {
        const all = documents();
        const fresh = await provider.embed(missing.map((i) => agentEmbeddingText(all[i]!)));
        tally.embedded += missing.length;
        missing.forEach((agent, k) => {
          const vector = Float32Array.from(fresh[k] ?? []);
          vectors[agent] = vector;
          cache.set(provider.id, cacheKeys[agent]!, vector);
        });
      }
      return vectors.map((vector) => vector ?? new Float32Array(0));
    };
    const model: SemanticModel = {
      name: `${words.name}+embeddings:${provider.id}`,
      async prepare(query) {
        agents ??= await agentVectors();
        if (queries.has(query)) return;
        const hit = cache.get(provider.id, query);
        if (hit) tally.cached++;
        else tally.embedded++;
        queries.set(query, hit ?? (await embedAll(provider, cache, [query]))[0]!);
      },
      search: (query, minRelative) => fusedSearch(words, queries.get(query), agents, options, query, minRelative),
    };
    return model;
  };
}
