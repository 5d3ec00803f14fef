/**
 * Turns the router's numeric state into explanations people can read and tools can check: for a
 * chosen agent every piece of evidence and every score term, each from the stage that owns it;
 * for an agent not chosen, why not (no trigger matched, disabled, below the top-n cut and by how
 * much). Only runs for the few candidates that are shown, never for the whole fleet.
 */
import type { RouterOptions } from './options.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { AgentInfo, RouteCall, Stage } from './stages/stage.js';
import type { Evidence, RouteCandidate, RouteResult, ScoreTerm, StageName } from './types.js';
import { round } from './stages/stage.js';
import { TERM_TOTAL } from './score.js';

/** The router's state after ranking one request (scratch buffers; valid until the next call). */
export interface RankedState {
  info: AgentInfo;
  agents: readonly string[];
  options: RouterOptions;
  call: RouteCall;
  /** The stages in run order (bit i: stages[i]), and in the order their terms are listed. */
  stages: readonly Stage[];
  termStages: readonly Stage[];
  diagnostics: Diagnostic[];
  /** Agents found (before the top-n cut). */
  considered: number;
  /** Union of the stage bits of all considered agents. */
  stageUnion: number;
  /** Best first; all `considered` agents when ranked for an explanation, else the top n. */
  ranked: Int32Array;
}

/** Why an agent was or was not chosen. */
export interface AgentExplanation {
  id: string;
  known: boolean;
  chosen: boolean;
  rank?: number;
  score?: number;
  reason: string;
  candidate?: RouteCandidate;
}

/** The names of the stages whose bits are set, in run order (stages without a name find no agent). */
export function stageNames(stages: readonly Stage[], bits: number): StageName[] {
  const names: StageName[] = [];
  for (let i = 0; i < stages.length; i++) if (bits & (1 << i) && stages[i]!.name !== '') names.push(stages[i]!.name);
  return names;
}

/** Materializes ranked agents (ranks from `firstRank`) as candidates with evidence and score terms. */
export function buildCandidates(state: RankedState, agents: readonly number[], firstRank: number): RouteCandidate[] {
  const lists: Evidence[][] = agents.map(() => []);
  for (const stage of state.stages) stage.evidence(state.call, agents, lists);
  return agents.map((agent, k) => {
    const terms: ScoreTerm[] = [];
    for (const stage of state.termStages) stage.terms(state.call, agent, terms);
    const info = state.info(agent);
    return {
      id: state.agents[agent]!,
      rank: firstRank + k,
      score: round(state.call.board.get(agent, TERM_TOTAL)),
      tier: info.tier,
      domain: info.domain,
      stages: stageNames(state.stages, state.call.board.stages[agent]!),
      evidence: lists[k]!,
      terms,
    };
  });
}

/** Explains one agent against a ranking: chosen, ranked below the cut, disabled, or unmatched. */
export function explainAgent(state: RankedState, result: RouteResult, id: string, agent: number | undefined): AgentExplanation {
  if (agent === undefined) return { id, known: false, chosen: false, reason: `no agent "${id}" in this fleet` };
  const chosen = result.candidates.find((c) => c.id === id);
  const position = state.ranked.indexOf(agent);
  if (chosen) {
    const reason =
      result.fallback?.kind === 'generalist'
        ? `chosen as rank ${chosen.rank} by the generalist fallback: ${result.fallback.reason}`
        : `chosen as rank ${chosen.rank} of ${result.considered} with score ${chosen.score}`;
    return { id, known: true, chosen: true, rank: chosen.rank, score: chosen.score, reason, candidate: chosen };
  }
  if (state.options.disabled.includes(id)) return { id, known: true, chosen: false, reason: 'disabled by configuration (router.disabled)' };
  if (position >= 0) {
    const candidate = buildCandidates(state, [agent], position + 1)[0]!;
    const last = result.candidates[result.candidates.length - 1];
    const versus = last ? `; the last chosen, ${last.id} (rank ${last.rank}), scored ${last.score}` : '';
    return {
      id,
      known: true,
      chosen: false,
      rank: position + 1,
      score: candidate.score,
      candidate,
      reason: `ranked ${position + 1} of ${state.ranked.length} with score ${candidate.score}, below the top ${result.candidates.length}${versus}`,
    };
  }
  const triggers = state.stages
    .filter((stage) => stage.triggers)
    .sort((a, b) => a.termRank - b.termRank)
    .map((stage) => stage.triggers!.describe(agent));
  const others = state.stages.flatMap((stage) => stage.whyNot?.(state.call, agent) ?? []);
  return {
    id,
    known: true,
    chosen: false,
    reason: `no trigger matched: none of its ${listed(triggers)} occur in the request${others.map((o) => `; ${o}`).join('')}`,
  };
}

/** "a, b or c". */
function listed(parts: readonly string[]): string {
  return parts.length <= 1 ? (parts[0] ?? 'triggers') : `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}`;
}
