/**
 * The router's vocabulary: what goes in (a task and changed files), what comes out (ranked
 * candidates with their evidence and every term of their score), and the `Matcher` life cycle each
 * built-in stage's matcher follows (`add` triggers → `build` once → `match` many times).
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Tier } from '../fleet/types.js';
import type { BuildCache } from './build-cache.js';
import type { SemanticHit } from './stages/semantic/semantic-stage.js';
import type { RouteFollowUp } from './follow-ups.js';

/** The built-in stages that find agents, in the order they run; a stage registered from outside adds its own name. */
export type StageName = 'files' | 'keyword' | 'regex' | 'semantic' | 'learned' | (string & {});

/** What to route: a task description, changed file paths, or both. */
export interface RouteRequest {
  task?: string;
  files?: readonly string[];
  /**
   * What else the decision depends on, hashed into its route id (the learning layer passes the
   * number of outcomes learned, or the sampler's seed and draw): the same task routed again after new
   * outcomes, or with another Thompson draw, is another decision and gets another id.
   */
  idSalt?: string;
}

export interface FileEvidence {
  stage: 'files';
  glob: string;
  path: string;
  specificity: number;
}
export interface KeywordEvidence {
  stage: 'keyword';
  keyword: string;
  text: string;
  start: number;
  end: number;
  occurrences: number;
  /** Specificity × phrase bonus: what this keyword adds to the keyword term. */ weight: number;
}
/** The request names the agent (found by the keyword stage's automaton). */
export interface MentionEvidence {
  stage: 'mention';
  alias: string;
  text: string;
  start: number;
  end: number;
  specificity: number;
}
export interface RegexEvidence {
  stage: 'regex';
  pattern: string;
  priority: number;
  text: string;
  start: number;
  end: number;
}
/** `from`: the request's word a query-expansion term was added for (it is not in the request itself). */
export interface SemanticEvidence {
  stage: 'semantic';
  term: string;
  field: string;
  contribution: number;
  from?: string;
}
/** One reason a candidate was found: which stage, which trigger, where in the input. */
export type Evidence = FileEvidence | MentionEvidence | KeywordEvidence | RegexEvidence | SemanticEvidence;

/** One term of S = μ·mention + α·keyword + β·regex + φ·files + γ·affinity + δ·R + σ·semantic + λ·learned − penalties. */
export interface ScoreTerm {
  name: string;
  weight: number;
  value: number;
  /** weight × value (negative for penalties). */
  contribution: number;
  /** How `value` was computed, for people. */
  detail: string;
}

export interface RouteCandidate {
  id: string;
  rank: number;
  score: number;
  tier: Tier;
  domain: string;
  /** Stages that found this agent, in stage order. */
  stages: StageName[];
  evidence: Evidence[];
  terms: ScoreTerm[];
}

/** Something the caller should act on, e.g. escalate when nothing matched. */
export interface RouteEvent {
  type: 'route-escalation';
  reason: string;
  notify: string[];
}

export interface RouteResult {
  /** Hash of the fleet and the inputs: stable across runs, names this decision for learning. */
  routeId: string;
  candidates: RouteCandidate[];
  /** Candidates found before the top-n cut. */
  considered: number;
  /** Stages that produced at least one candidate. */
  stagesFired: StageName[];
  /** Set when no trigger matched and the answer comes from a fallback. */
  fallback?: { kind: 'semantic' | 'generalist' | 'none'; reason: string };
  events: RouteEvent[];
  /** Agents whose briefs ask to run after this kind of work (follow-ups.ts), apart from the candidates. */
  followUps: RouteFollowUp[];
  /** Input caps that were hit and stages that could not run. */
  diagnostics: Diagnostic[];
  /** Trigger keys that fired (`kw:`, `re:`, `glob:`), unique, in match order: set only when a learned model is attached. */
  fired?: string[];
}

/** What the learning layer is told about one request: its text, its paths, the triggers that fired. */
export interface RewardContext {
  task: string;
  paths: readonly string[];
  /**
   * `kw:<phrase>`, `re:<pattern>`, `glob:<glob>`, unique, in match order. The router's context
   * builds the list when it is first read: a model that reads `firedIds` should not need it.
   */
  readonly fired: readonly string[];
  /**
   * The router's number of each fired trigger, aligned with `fired` (keywords, then regexes,
   * then globs, numbered in that order), when the model was bound with `triggerKey`: the model
   * finds a trigger's learned row by number instead of hashing its key string.
   */
  firedIds?: readonly number[];
}

/** R(agent | context) for one request, by the router's agent number, and how each value was reached (prior vs learned). */
export interface RequestReward {
  /** The reward term: R(agent | request) − its prior, in [−prior, 1 − prior] (0: nothing learned in this context). */
  value(agent: number): number;
  /** max − min of `value` over all agents (≤ 2): how far R can reorder two totals, for the router's R cut. */
  span: number;
  /**
   * Exploring, `value` is a draw for every agent (`evidenceCount` 0). Explore off, `value` is 0
   * for every agent but these `evidenceCount` ones (router numbers, values aligned), so the
   * router reads R for them only.
   */
  exploring: boolean;
  evidenceCount: number;
  evidenceAgents: Int32Array;
  evidenceValues: Float64Array;
  /**
   * How R(agent) = `used` was reached (prior vs learned), for people. Called when the explanation
   * is read, maybe after later routes: it must not read per-call scratch.
   */
  detail(agent: number, used: number): string;
  /**
   * The learned stage: `learnedCount` agents (router numbers in `learnedAgents`) whose past
   * successes share this request's features, with a learned score in [0, 1] (`learnedScores`,
   * aligned). They become candidates even when no trigger found them.
   */
  learnedCount: number;
  learnedAgents: Int32Array;
  learnedScores: Float64Array;
  /**
   * Which feature and evidence gave the agent its learned `score`, for people. May be called
   * after later routes (explanations are written when read): it must not read per-call scratch.
   */
  learnedDetail(agent: number, score: number): string;
}

/**
 * A contextual reward model (src/learn). The router binds it once to its agents (ids in agent
 * number order), then asks once per route; `undefined` leaves R neutral (0), as when nothing has
 * been learned yet.
 */
export interface LearnedModel {
  /** `triggerKey(n)`: the `kw:`/`re:`/`glob:` key of trigger number n (see RewardContext.firedIds). */
  bind(agents: readonly string[], triggerKey?: (trigger: number) => string): BoundLearnedModel;
}

export interface BoundLearnedModel {
  forRequest(context: RewardContext): RequestReward | undefined;
}

/**
 * Raw hits of the matching stages for one call, in scratch buffers owned by the router: trigger
 * indices and positions, not yet mapped to agents. Reset by the router before each call.
 */
export interface HitBuffers {
  /** Keyword hits: phrase index, start, end of the first occurrence, occurrence count. */
  keywordCount: number;
  keywordHits: Int32Array;
  /** Regex hits: indices into the regex trigger list. */
  regexHits: number[];
  /** File hits: (glob index, path index) pairs. */
  fileCount: number;
  fileHits: Int32Array;
  /** Semantic hits (document number = agent number), best first; only filled when stage 3 runs. */
  semantic: SemanticHit[];
}

/**
 * The matcher inside a built-in stage. Triggers are added one at a time with the dense indices of
 * the agents they belong to, `build` compiles them once (returning diagnostics for triggers it
 * had to drop), and `match` runs per call, writing into caller-owned buffers.
 */
export interface Matcher<Trigger, Input> {
  readonly name: StageName;
  add(trigger: Trigger, agents: readonly number[]): void;
  /** Compiles what was added; a stage may keep its costly build products in `cache`. */
  build(cache?: BuildCache): Diagnostic[];
  match(input: Input, hits: HitBuffers): void;
}
