/**
 * Candidates with depth: after every agent a stage found, `route --top K` lists weaker agents
 * until it has K (or the fleet runs out), so that a second stage (a reranker, a person) can choose
 * among them. The weak ones come in the order of the similarity model's raw score (the lexical
 * model's BM25F, or the fused score when an embedding model is attached), each with the terms that
 * gave it that score as evidence; agents the model does not score at all follow in id order with
 * score 0. Their score is σ × their share of the best similarity, the contribution the semantic
 * term would give them without its cut, so it never exceeds σ × `semanticMinRelative`; they are
 * marked by an empty `stages` list and a `depth` term.
 */
import type { SemanticHit } from './stages/semantic/semantic-stage.js';
import type { Evidence, RouteCandidate } from './types.js';

const round = (value: number): number => Math.round(value * 1e4) / 1e4;

export interface DepthInput {
  agents: readonly string[];
  /** Agents already listed or never to be listed (disabled), by number. */
  excluded: (agent: number) => boolean;
  /** Similarity hits over the whole fleet, best first, without a cut (empty when the model is off). */
  hits: readonly SemanticHit[];
  weight: number;
  info: (agent: number) => { tier: RouteCandidate['tier']; domain: string };
}

/** Up to `count` weak candidates, ranked from `firstRank`. */
export function depthCandidates(input: DepthInput, count: number, firstRank: number): RouteCandidate[] {
  const out: RouteCandidate[] = [];
  if (count <= 0) return out;
  const listed = new Set<number>();
  const best = input.hits[0]?.score ?? 0;
  for (const hit of input.hits) {
    if (out.length === count) return out;
    if (input.excluded(hit.doc) || listed.has(hit.doc) || !(hit.score > 0)) continue;
    listed.add(hit.doc);
    const relative = best > 0 ? hit.score / best : 0;
    const evidence: Evidence[] = hit.terms
      .slice(0, 5)
      .map((t) =>
        t.from === undefined
          ? { stage: 'semantic', term: t.term, field: t.field, contribution: round(t.contribution) }
          : { stage: 'semantic', term: t.term, field: t.field, contribution: round(t.contribution), from: t.from },
      );
    out.push(
      weak(
        input,
        hit.doc,
        firstRank + out.length,
        relative,
        evidence,
        `similarity ${round(relative)} of the best, under the semantic cut: listed for depth, after every agent a stage found`,
      ),
    );
  }
  for (let agent = 0; agent < input.agents.length && out.length < count; agent++) {
    if (input.excluded(agent) || listed.has(agent)) continue;
    out.push(weak(input, agent, firstRank + out.length, 0, [], 'no similarity to the request: listed for depth only, in id order'));
  }
  return out;
}

function weak(input: DepthInput, agent: number, rank: number, relative: number, evidence: Evidence[], detail: string): RouteCandidate {
  const info = input.info(agent);
  const contribution = round(input.weight * relative);
  return {
    id: input.agents[agent]!,
    rank,
    score: contribution,
    tier: info.tier,
    domain: info.domain,
    stages: [],
    evidence,
    terms: [{ name: 'depth', weight: input.weight, value: round(relative), contribution, detail }],
  };
}
