/**
 * `router.embeddings` for a route: the fused semantic model over the configured embedding
 * provider, and what became of it. A provider that fails (or cannot be used) costs the route its
 * embedding term, never the route: the answer is the lexical one, with a CF3301/CF3302 warning
 * and `embeddings.fallback` in --json. A bug of ours (a programming error under the provider
 * call) is thrown on: the CLI reports it as an internal error.
 *
 * @example
 * const embeddings = await openRouteEmbeddings(section, { root, env, mode: 'on' }, lexical, keys);
 * const diagnostics = embeddings.settle(await router.prepare(request));
 */
import { join } from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { EmbeddingsConfig } from '../providers/embeddings/config.js';
import type { BriefKeys, EmbeddingTally } from '../router/brief-embeddings.js';
import type { SemanticModelFactory } from '../router/stages/semantic/semantic-stage.js';
import { LEXICAL_CACHE_DIR } from './fleet-dir.js';

/** What `route --json` says under `embeddings`, and `--explain` in words. */
export interface EmbeddingReport {
  provider: string;
  model?: string;
  fusion: string;
  weight: number;
  /** Whether the embedding term is in this answer. */
  used: boolean;
  /** Why it is not, when configured but unused. */
  fallback?: string;
  /** Requests sent to the provider, tokens it reported, vectors computed and read from the cache. */
  calls: number;
  tokens: number;
  embedded: number;
  cached: number;
}

export interface RouteEmbeddings {
  factory?: SemanticModelFactory;
  /** After `router.prepare`: the diagnostics to show (a failure's in place of the router's CF6005); throws a bug. */
  settle(problem: Diagnostic | undefined): Diagnostic[];
  report(): EmbeddingReport;
}

export const EMBEDDING_CACHE_DIR = join(LEXICAL_CACHE_DIR, 'embeddings');

export async function openRouteEmbeddings(
  section: EmbeddingsConfig,
  context: {
    root: string;
    env: Record<string, string | undefined>;
    /** Opens the provider (tests pass their own). */
    open?: typeof import('../providers/embeddings/open.js').openTextEmbedder;
  },
  lexical: SemanticModelFactory,
  keys: BriefKeys,
): Promise<RouteEmbeddings> {
  const [{ resolveEmbeddingsConfig }, { openTextEmbedder }, { ProviderError }] = await Promise.all([
    import('../providers/embeddings/config.js'),
    import('../providers/embeddings/open.js'),
    import('../providers/errors.js'),
  ]);
  const config = resolveEmbeddingsConfig(section);
  const tally: EmbeddingTally = { embedded: 0, cached: 0 };
  const base = { provider: config.provider, fusion: config.fusion, weight: config.weight };
  let opened: Awaited<ReturnType<typeof openTextEmbedder>>;
  try {
    opened = await (context.open ?? openTextEmbedder)(section, context);
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    opened = { problem: error.message };
  }
  if ('problem' in opened) {
    const problem = opened.problem;
    return {
      settle: (other) => [diagnostic('CF3302', problem), ...(other ? [other] : [])],
      report: () => ({ ...base, used: false, fallback: problem, calls: 0, tokens: 0, ...tally }),
    };
  }
  const { embedder, model } = opened;
  let failure: InstanceType<typeof ProviderError> | undefined;
  let bug: unknown;
  const guarded = {
    id: embedder.id,
    async embed(texts: readonly string[]) {
      try {
        return await embedder.embed(texts);
      } catch (error) {
        if (error instanceof ProviderError) failure = error;
        else bug = error;
        throw error;
      }
    },
  };
  const [{ EmbeddingCache }, { briefEmbeddingModelFactory }] = await Promise.all([
    import('../router/embeddings.js'),
    import('../router/brief-embeddings.js'),
  ]);
  const cache = new EmbeddingCache(join(context.root, EMBEDDING_CACHE_DIR));
  const options = { method: config.fusion, weight: config.weight, k: RRF_K };
  return {
    factory: briefEmbeddingModelFactory(lexical, guarded, cache, options, keys, tally),
    settle(problem) {
      if (bug !== undefined) throw bug;
      if (failure) return [diagnostic('CF3301', `embeddings ${failure.summary()}`, undefined, { hint: failure.hint })];
      return problem ? [problem] : [];
    },
    report: () => ({
      ...base,
      model,
      used: failure === undefined && bug === undefined,
      ...(failure ? { fallback: failure.summary() } : {}),
      calls: embedder.usage.calls,
      tokens: embedder.usage.tokens,
      ...tally,
    }),
  };
}

/** Reciprocal-rank fusion's k: the usual 60, which keeps the first ranks from dominating. */
const RRF_K = 60;
