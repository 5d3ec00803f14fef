/**
 * Lexical and embedding similarity fused into one semantic model: the lexical model (BM25F)
 * always answers, and an embedding model adds what words alone cannot see ("our emails land in
 * junk" → deliverability). Never embeddings alone: alone they lose most of the dev sets' top-1
 * (docs/routing.md). Two fusions, chosen by `method`:
 *
 * - `linear`: each score scaled to [0, 1] over the fleet (BM25 by the best; cosine between the
 *   fleet's median and the best, below the median 0), then lexical + w·embedding: the embedding
 *   adds to the words, it never takes their share away.
 * - `rrf`: reciprocal-rank fusion, 1 / (k + lexical rank) + 1 / (k + embedding rank), an agent
 *   the lexical model does not score taking no lexical share.
 * - `zscore`: each score standardised over the fleet (an agent the words miss scores 0 before
 *   standardising), then lexical + w·embedding; agents whose sum is not above 0 are left out.
 * - `gated`: `linear` with the embedding weight raised when the words are unsure: w·(2 − c),
 *   c the best lexical score's margin over the second (0 when no word matched, 1 when one agent
 *   alone matched), so a clear lexical winner keeps its lead and a weak one is reordered by meaning.
 *
 * The agent vectors are computed once (prepare) from `agentEmbeddingText`; a query's vector is
 * fetched by `prepare(query)` (router.routeAsync). On a query not prepared, `search` is the
 * lexical model's alone, so the synchronous `route` works as before.
 */
import type { LexicalDocument } from './lexical-model.js';
import type { SemanticHit, SemanticModel, SemanticModelFactory } from './stages/semantic/semantic-stage.js';
import { cosine, embedAll, type EmbeddingCache, type EmbeddingProvider } from './embeddings.js';

export type FusionMethod = 'linear' | 'zscore' | 'rrf' | 'gated';
export interface FusionOptions {
  method: FusionMethod;
  weight: number;
  k: number;
}
export const DEFAULT_FUSION: FusionOptions = { method: 'linear', weight: 0.4, k: 60 };

/** Characters of a description embedded: a sentence encoder reads the first sentences best. */
const EMBEDDED_DESCRIPTION_CHARS = 600;

/** The text embedded for an agent: its id in words, then its description without examples. */
export function agentEmbeddingText(doc: LexicalDocument): string {
  const id = doc.name.split(' ')[0] ?? '';
  const description = doc.description
    .replace(/<example>[\s\S]*?<\/example>/g, ' ')
    .replace(/\s+/g, ' ')
    .slice(0, EMBEDDED_DESCRIPTION_CHARS);
  return `${id.replace(/-/g, ' ')}: ${description}`;
}

export function fusedModelFactory(
  lexical: SemanticModelFactory,
  provider: EmbeddingProvider,
  cache: EmbeddingCache,
  options: FusionOptions = DEFAULT_FUSION,
): SemanticModelFactory {
  return (documents) => {
    const words = lexical(documents);
    let agents: Float32Array[] | undefined;
    const queries = new Map<string, Float32Array>();
    const model: SemanticModel = {
      name: `${words.name}+embeddings:${provider.id}`,
      async prepare(query) {
        agents ??= await embedAll(provider, cache, documents().map(agentEmbeddingText));
        if (!queries.has(query)) queries.set(query, (await embedAll(provider, cache, [query]))[0]!);
      },
      search: (query, minRelative) => fusedSearch(words, queries.get(query), agents, options, query, minRelative),
    };
    return model;
  };
}

/**
 * The lexical model's hits fused with the query's cosine to each agent, cut at `minRelative` of the
 * best; the lexical hits alone while the query or the agents have no vectors yet.
 */
export function fusedSearch(
  words: SemanticModel,
  vector: Float32Array | undefined,
  agents: readonly Float32Array[] | undefined,
  options: FusionOptions,
  query: string,
  minRelative: number | undefined,
): SemanticHit[] {
  if (!vector || !agents) return words.search(query, minRelative);
  const fused = fuse(
    words.search(query, 0),
    agents.map((agent) => cosine(vector, agent)),
    options,
  );
  const best = fused[0]?.score ?? 0;
  return minRelative === undefined || minRelative <= 0 ? fused : fused.filter((hit) => hit.score >= best * minRelative);
}

/** The fused hits, best first (ties by agent number), each with its lexical terms and an embedding term. */
export function fuse(lexical: readonly SemanticHit[], cosines: readonly number[], options: FusionOptions): SemanticHit[] {
  const n = cosines.length;
  const lexicalOf = new Map(lexical.map((hit, rank) => [hit.doc, { hit, rank }]));
  const bestLexical = lexical[0]?.score ?? 0;
  const order = cosines.map((_, doc) => doc).sort((a, b) => cosines[b]! - cosines[a]! || a - b);
  const embeddingRank = new Int32Array(n);
  order.forEach((doc, rank) => {
    embeddingRank[doc] = rank;
  });
  const median = cosines.length === 0 ? 0 : cosines[order[Math.floor(n / 2)]!]!;
  const top = cosines.length === 0 ? 0 : cosines[order[0]!]!;
  const weight = options.method === 'gated' ? options.weight * (2 - lexicalConfidence(lexical)) : options.weight;
  const lexicalZ = standardise(Array.from({ length: n }, (_, doc) => lexicalOf.get(doc)?.hit.score ?? 0));
  const cosineZ = standardise(cosines);
  const hits: SemanticHit[] = [];
  for (let doc = 0; doc < n; doc++) {
    const found = lexicalOf.get(doc);
    const words = found && bestLexical > 0 ? found.hit.score / bestLexical : 0;
    const meaning = top > median ? Math.max(0, (cosines[doc]! - median) / (top - median)) : 0;
    const score =
      options.method === 'rrf'
        ? (found ? 1 / (options.k + found.rank + 1) : 0) + 1 / (options.k + embeddingRank[doc]! + 1)
        : options.method === 'zscore'
          ? lexicalZ[doc]! + weight * cosineZ[doc]!
          : words + weight * meaning;
    if (!(score > 0)) continue;
    const terms = [
      ...(found?.hit.terms ?? []),
      {
        term: 'embedding',
        field: `cosine ${cosines[doc]!.toFixed(3)}`,
        contribution:
          options.method === 'rrf'
            ? 1 / (options.k + embeddingRank[doc]! + 1)
            : options.method === 'zscore'
              ? weight * cosineZ[doc]!
              : weight * meaning,
      },
    ];
    hits.push({ doc, score, terms });
  }
  return hits.sort((a, b) => b.score - a.score || a.doc - b.doc);
}

/** How sure the words are: the best lexical score's margin over the second, from 0 to 1. */
function lexicalConfidence(lexical: readonly SemanticHit[]): number {
  const best = lexical[0]?.score ?? 0;
  if (!(best > 0)) return 0;
  return Math.min(1, Math.max(0, (best - (lexical[1]?.score ?? 0)) / best));
}

/** (x − mean) / standard deviation; all 0 when the values do not vary. */
function standardise(values: readonly number[]): number[] {
  const n = values.length;
  if (n === 0) return [];
  const mean = values.reduce((sum, x) => sum + x, 0) / n;
  const sd = Math.sqrt(values.reduce((sum, x) => sum + (x - mean) ** 2, 0) / n);
  return values.map((x) => (sd > 0 ? (x - mean) / sd : 0));
}
