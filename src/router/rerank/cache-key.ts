/**
 * The key of a cached rerank answer: the fleet's hash, the request (task and files), the provider,
 * the model, k and the prompt's version. Any of them changing asks the model again; the same
 * request on the same fleet costs no call until the entry's TTL runs out.
 *
 * @example
 * const key = rerankCacheKey({ fleetHash, request: { task: 'x', files: [] }, model: 'gpt-4.1-mini', k: 15 });
 */
import { hashBytes } from '../../util/hash.js';
import type { RouteRequest } from '../types.js';

/** Bumped when the prompt or the answer's shape changes meaning: older answers are then not reused. */
export const RERANK_PROMPT_VERSION = 1;

export interface RerankCacheKeyInput {
  fleetHash: string;
  request: RouteRequest;
  provider?: string;
  model?: string;
  k: number;
}

/** A hex digest, safe as a file name. */
export function rerankCacheKey(input: RerankCacheKeyInput): string {
  const keyed = {
    version: RERANK_PROMPT_VERSION,
    fleet: input.fleetHash,
    task: input.request.task ?? '',
    files: input.request.files ?? [],
    provider: input.provider ?? null,
    model: input.model ?? null,
    k: input.k,
  };
  return hashBytes(JSON.stringify(keyed)).slice('sha256:'.length);
}
