/**
 * The model's ranking laid over the lexical one. The model only reorders the candidates it was
 * given: an id it left out keeps its place after the ranked ones, in lexical order, so no agent the
 * triggers found is lost, and the lexical order itself is the answer whenever the model gave none.
 * Scores and evidence stay as the lexical stages computed them; `rank` is the new place and the
 * report keeps the lexical one beside it.
 *
 * @example
 * const merged = mergeRanking(result.candidates, [{ id: 'ui-designer', reason: 'a dated look is a design task' }]);
 */
import type { RouteCandidate } from '../types.js';
import type { RankedId } from './answer.js';

export interface RerankedPlace {
  id: string;
  rank: number;
  lexicalRank: number;
  /** The model's one line; absent for a candidate it left out, and on the lexical fallback. */
  reason?: string;
}

export function mergeRanking(
  candidates: readonly RouteCandidate[],
  ranking: readonly RankedId[] | undefined,
): { candidates: RouteCandidate[]; places: RerankedPlace[] } {
  const byId = new Map(candidates.map((candidate) => [candidate.id, candidate]));
  const reasons = new Map<string, string>();
  const order: RouteCandidate[] = [];
  for (const entry of ranking ?? []) {
    const candidate = byId.get(entry.id);
    if (!candidate || reasons.has(entry.id)) continue;
    reasons.set(entry.id, entry.reason);
    order.push(candidate);
  }
  for (const candidate of candidates) if (!reasons.has(candidate.id)) order.push(candidate);
  const merged = order.map((candidate, index) => ({ ...candidate, rank: index + 1 }));
  const places = order.map((candidate, index) => {
    const reason = reasons.get(candidate.id);
    return { id: candidate.id, rank: index + 1, lexicalRank: candidate.rank, ...(reason === undefined ? {} : { reason }) };
  });
  return { candidates: merged, places };
}
