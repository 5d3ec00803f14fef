/**
 * Turns the router's numeric state into explanations people can read and tools can check: for a
 * chosen agent every piece of evidence (stage, trigger, offsets or path) and every score term;
 * for an agent not chosen, why not (no trigger matched, disabled, below the top-n cut and by how
 * much). Only runs for the few candidates that are shown, never for the whole fleet.
 */
import {
  STAGE_FILES,
  STAGE_KEYWORD,
  STAGE_LEARNED,
  STAGE_REGEX,
  STAGE_SEMANTIC,
  TERM_AFFINITY,
  TERM_FILES,
  TERM_KEYWORD,
  TERM_LEARNED,
  TERM_MENTION,
  TERM_REGEX,
  TERM_REWARD,
  TERM_SEMANTIC,
  TERM_TOTAL,
  type ScoreBoard,
} from './score.js';
import type { GlobStage } from './stages/files/glob-stage.js';
import type { KeywordStage, PhraseLists } from './stages/keyword/keyword-stage.js';
import type { RegexStage } from './stages/regex/regex-stage.js';
import type { RouterOptions } from './options.js';
import type { PenaltyModel } from './staged-router.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { FiredTriggers } from './fired-triggers.js';
import type { Evidence, HitBuffers, RequestReward, RouteCandidate, RouteResult, ScoreTerm, StageName } from './types.js';

/** The router's state after ranking one request (scratch buffers; valid until the next call). */
export interface RankedState {
  /** Tier and domain of an agent (from the routing table, else the index). */
  info: (agent: number) => { tier: RouteCandidate['tier']; domain: string };
  agents: readonly string[];
  options: RouterOptions;
  board: ScoreBoard;
  hits: HitBuffers;
  task: string;
  paths: string[];
  diagnostics: Diagnostic[];
  semanticRan: boolean;
  /** Agents found (before the top-n cut). */
  considered: number;
  /** Union of the stage bits of all considered agents. */
  stageUnion: number;
  /** Best first; all `considered` agents when ranked for an explanation, else the top n. */
  ranked: Int32Array;
  keywordStage: KeywordStage;
  regexStage: RegexStage;
  globStage: GlobStage;
  keywordSpecificity: Float64Array;
  mentionSpecificity: Float64Array;
  globSpecificity: Float64Array;
  /** Owners of each keyword phrase, of each mention phrase and of each glob: agent numbers, ascending. */
  keywordOwners: PhraseLists;
  mentionOwners: PhraseLists;
  globOwners: ReadonlyArray<readonly number[]>;
  /** Topics in play (numbers into `topicNames`); scratch of the router, read before the next call. */
  mentioned: readonly number[];
  topicNames: readonly string[];
  hasReward: boolean;
  /**
   * The learned model's answer for this request, when one answered: how R(agent) was reached
   * (`detail`) and which evidence gave an agent its learned-stage score (`learnedDetail`).
   */
  learned?: RequestReward;
  /** The triggers that fired, when a learned model is attached (their keys are built when read). */
  fired?: FiredTriggers;
  penalties: PenaltyModel | undefined;
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

/** How each term's value is computed, for people (the evidence lists what matched). */
const DETAILS = {
  mention: 'specificity of the alias when the request names the agent (id, name or brief file name)',
  keyword: 'sum over matched keywords of specificity × phrase bonus',
  regex: 'sum over matched regexes of priority / 10',
  files: 'per changed path the best specificity of a matching glob, averaged over all paths',
  reward: 'R(agent) from the reward model',
  neutralReward: 'R(agent): neutral, no reward model',
  semantic: 'BM25F similarity relative to the best agent (0 when the stage did not rank it)',
} as const;

const round = (value: number): number => Math.round(value * 1e4) / 1e4;

/** Materializes ranked agents (ranks from `firstRank`) as candidates with evidence and score terms. */
export function buildCandidates(state: RankedState, agents: readonly number[], firstRank: number): RouteCandidate[] {
  const evidence = collectEvidence(state, agents);
  const affinity =
    state.mentioned.length === 0
      ? 'no language or framework in play'
      : `share of the topics in play it names: ${state.mentioned.map((t) => state.topicNames[t]!).join(', ')}`;
  return agents.map((agent, k) => buildCandidate(state, agent, firstRank + k, evidence[k]!, affinity));
}

function buildCandidate(state: RankedState, agent: number, rank: number, evidence: Evidence[], affinityDetail: string): RouteCandidate {
  const { board, options } = state;
  const bits = board.stages[agent]!;
  const stages: StageName[] = [];
  if (bits & STAGE_FILES) stages.push('files');
  if (bits & STAGE_KEYWORD) stages.push('keyword');
  if (bits & STAGE_REGEX) stages.push('regex');
  if (bits & STAGE_SEMANTIC) stages.push('semantic');
  if (bits & STAGE_LEARNED) stages.push('learned');
  const w = options.weights;
  const mention = term('mention', w.mention, board.get(agent, TERM_MENTION), DETAILS.mention);
  const keyword = term('keyword', w.keyword, board.get(agent, TERM_KEYWORD), DETAILS.keyword);
  const regex = term('regex', w.regex, board.get(agent, TERM_REGEX), DETAILS.regex);
  const files = term('files', w.files, board.get(agent, TERM_FILES), DETAILS.files);
  const affinity = term('affinity', w.affinity, board.get(agent, TERM_AFFINITY), affinityDetail);
  const semantic = term('semantic', w.semantic, board.get(agent, TERM_SEMANTIC), DETAILS.semantic);
  const learned = state.learned;
  const reward = board.get(agent, TERM_REWARD);
  // One array literal per case (a push past a literal's length copies it). The learned term is
  // shown only when a learned model answered, so routes without learning keep their exact terms.
  const terms: ScoreTerm[] = !learned
    ? [
        mention,
        keyword,
        regex,
        files,
        affinity,
        term('reward', w.reward, reward, state.hasReward ? DETAILS.reward : DETAILS.neutralReward),
        semantic,
      ]
    : !learned.learnedDetail
      ? [mention, keyword, regex, files, affinity, new ModelTerm('reward', w.reward, reward, learned, agent), semantic]
      : [
          mention,
          keyword,
          regex,
          files,
          affinity,
          new ModelTerm('reward', w.reward, reward, learned, agent),
          semantic,
          learnedTerm(w.learned, bits & STAGE_LEARNED ? board.get(agent, TERM_LEARNED) : 0, learned, agent),
        ];
  for (const penalty of state.penalties?.(state.agents[agent]!) ?? []) {
    terms.push({
      name: `penalty:${penalty.name}`,
      weight: 1,
      value: round(penalty.value),
      contribution: -round(penalty.value),
      detail: penalty.detail,
    });
  }
  const info = state.info(agent);
  return {
    id: state.agents[agent]!,
    rank,
    score: round(board.get(agent, TERM_TOTAL)),
    tier: info.tier,
    domain: info.domain,
    stages,
    evidence,
    terms,
  };
}

function term(name: string, weight: number, value: number, detail: string): ScoreTerm {
  return { name, weight, value: round(value), contribution: round(weight * value), detail };
}

/** λ·L: lazy when the learned stage gave the agent a score; a plain term saying so when it did not. */
function learnedTerm(weight: number, value: number, learned: RequestReward, agent: number): ScoreTerm {
  return value > 0
    ? new ModelTerm('learned', weight, value, learned, agent)
    : term('learned', weight, 0, 'learned: no outcome ties this request to the agent');
}

/**
 * δ·R or λ·L, with the learned model's detail (`detail`: prior vs learned evidence;
 * `learnedDetail`: the evidence behind the learned score) written when first read, then kept:
 * finding which learned feature weighed most costs more than the route, and most routes are
 * never explained. `detail` is a getter on the class (an own accessor per object measured 6 µs a
 * route), and the object holds the model and the agent rather than a closure (one allocation a
 * term, not two); `toJSON` keeps the same keys in the same order as `term`, so JSON output is unchanged.
 */
class ModelTerm implements ScoreTerm {
  readonly contribution: number;
  readonly value: number;
  #text: string | undefined;
  // Private fields, so own keys are those of `term` (deep equality, Object.keys).
  readonly #raw: number;
  readonly #learned: RequestReward;
  readonly #agent: number;

  constructor(
    readonly name: 'reward' | 'learned',
    readonly weight: number,
    raw: number,
    learned: RequestReward,
    agent: number,
  ) {
    this.value = round(raw);
    this.contribution = round(weight * raw);
    this.#raw = raw;
    this.#learned = learned;
    this.#agent = agent;
  }

  get detail(): string {
    return (this.#text ??=
      this.name === 'reward' ? this.#learned.detail(this.#agent, this.#raw) : this.#learned.learnedDetail!(this.#agent, this.#raw));
  }

  toJSON(): ScoreTerm {
    return { name: this.name, weight: this.weight, value: this.value, contribution: this.contribution, detail: this.detail };
  }
}

/**
 * Evidence of several agents in one pass over the hits, in stage order: files, mentions and
 * keywords as they occur, regexes, semantic terms. A hit's owner list can hold hundreds of
 * agents and only a handful are explained, so each explained agent is looked up in the (sorted)
 * owner list of the hits of the stages that found it, instead of walking every owner.
 */
function collectEvidence(state: RankedState, agents: readonly number[]): Evidence[][] {
  const { hits, board } = state;
  const lists: Evidence[][] = agents.map(() => []);
  for (let i = 0; i < hits.fileCount; i++) {
    const glob = hits.fileHits[i * 2]!;
    const owners = state.globOwners[glob]!;
    for (let k = 0; k < agents.length; k++) {
      const agent = agents[k]!;
      if ((board.stages[agent]! & STAGE_FILES) === 0 || !isOwner(owners, agent)) continue;
      lists[k]!.push({
        stage: 'files',
        glob: state.globStage.globs[glob]!,
        path: state.paths[hits.fileHits[i * 2 + 1]!]!,
        specificity: round(state.globSpecificity[glob]!),
      });
    }
  }
  for (let i = 0; i < hits.keywordCount; i++) {
    const phrase = hits.keywordHits[i * 4]!;
    const start = hits.keywordHits[i * 4 + 1]!;
    const end = hits.keywordHits[i * 4 + 2]!;
    const named = state.mentionOwners.at(phrase)!;
    const owners = state.keywordOwners.at(phrase)!;
    for (let k = 0; k < agents.length; k++) {
      const agent = agents[k]!;
      if ((board.stages[agent]! & STAGE_KEYWORD) === 0) continue;
      if (isOwner(named, agent)) {
        lists[k]!.push({
          stage: 'mention',
          alias: state.keywordStage.phrases[phrase]!,
          text: state.task.slice(start, end),
          start,
          end,
          specificity: round(state.mentionSpecificity[phrase]!),
        });
      }
      if (isOwner(owners, agent)) {
        lists[k]!.push({
          stage: 'keyword',
          keyword: state.keywordStage.phrases[phrase]!,
          text: state.task.slice(start, end),
          start,
          end,
          occurrences: hits.keywordHits[i * 4 + 3]!,
          weight: round(state.keywordSpecificity[phrase]!),
        });
      }
    }
  }
  for (const pattern of hits.regexHits) {
    const owners = state.regexStage.agentsOf[pattern]!;
    for (let k = 0; k < agents.length; k++) {
      const agent = agents[k]!;
      if ((board.stages[agent]! & STAGE_REGEX) === 0 || !owners.includes(agent)) continue;
      const where = state.regexStage.locate(pattern, state.task);
      lists[k]!.push({
        stage: 'regex',
        pattern: state.regexStage.patterns[pattern]!,
        priority: state.regexStage.priorities[pattern]!,
        ...where,
      });
    }
  }
  if (hits.semantic.length > 0) {
    agents.forEach((agent, k) => {
      const semantic = hits.semantic.find((hit) => hit.doc === agent);
      for (const t of semantic?.terms.slice(0, 5) ?? []) {
        const evidence = { stage: 'semantic' as const, term: t.term, field: t.field, contribution: round(t.contribution) };
        lists[k]!.push(t.from === undefined ? evidence : { ...evidence, from: t.from });
      }
    });
  }
  return lists;
}

/** Whether `agent` is in an ascending owner list (binary search: lists run to thousands of agents). */
function isOwner(owners: ArrayLike<number>, agent: number): boolean {
  let low = 0;
  let high = owners.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const owner = owners[middle]!;
    if (owner === agent) return true;
    if (owner < agent) low = middle + 1;
    else high = middle - 1;
  }
  return false;
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
  const triggers = countTriggers(state, agent);
  const semantic = state.semanticRan
    ? 'the semantic fallback ran and did not rank it'
    : state.options.semantic === 'off'
      ? 'the semantic stage is off'
      : 'the semantic stage did not run because triggers matched other agents';
  return {
    id,
    known: true,
    chosen: false,
    reason: `no trigger matched: none of its ${triggers.keywords} keyword(s), ${triggers.regexes} regex(es) or ${triggers.globs} glob(s) occur in the request; ${semantic}`,
  };
}

function countTriggers(state: RankedState, agent: number): { keywords: number; regexes: number; globs: number } {
  const count = (lists: PhraseLists) => {
    let n = 0;
    for (let i = 0; i < lists.length; i++) if (lists.at(i)!.includes(agent)) n++;
    return n;
  };
  return {
    keywords: count(state.keywordStage.agentsOf),
    regexes: count(state.regexStage.agentsOf),
    globs: count(state.globStage.agentsOf),
  };
}
