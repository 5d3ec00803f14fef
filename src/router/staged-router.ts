/**
 * The composition root of the router: builds the stages from a compiled fleet once, then routes
 * each request through them in order over one score board, ranks, and asks the stages of the
 * chosen agents for their evidence and terms. Every stage lives in its own folder under
 * stages/ behind the `Stage` interface (stages/stage.ts): files, keyword, regex, semantic, then
 * any stage given in `RouterInit.stages`, then affinity, learned and reward.
 * Invariants: agents are numbered in id order, so every tie breaks by id; the same fleet,
 * options and request give the same result, byte for byte; `route` never returns an empty
 * answer without a `fallback.reason`.
 */
import { STRIDE, ScoreBoard } from './score.js';
import { resolveRouterOptions, type RouterConfig, type RouterOptions } from './options.js';
import { MAX_FILE_HITS, MAX_KEYWORD_HITS } from './limits.js';
import { capPaths, capTask } from './request.js';
import { StagedRouteResult } from './route-result.js';
import { buildCandidates, explainAgent, stageNames, type AgentExplanation, type RankedState } from './explain.js';
import { FollowUps } from './follow-ups.js';
import { FilesStage } from './stages/files/index.js';
import { KeywordsStage } from './stages/keyword/index.js';
import { KeywordStage } from './stages/keyword/keyword-stage.js';
import { RegexesStage } from './stages/regex/index.js';
import { SimilarityStage } from './stages/semantic/index.js';
import { AffinityStage } from './stages/affinity/index.js';
import { LearnedStage } from './stages/learned/index.js';
import { PenaltyTerms, RewardStage, type PenaltyModel, type RewardModel } from './stages/learned/reward.js';
import { agentDocument, type SemanticModelFactory } from './stages/semantic/semantic-stage.js';
import {
  addKeywordPhrases,
  agentIds,
  KEYWORD_IMAGE_KIND,
  keywordImageKey,
  keywordSpecificities,
  namesEveryAgent,
  packRouterImage,
  unpackRouterImage,
} from './stages/keyword/image.js';
import type { PrebuiltGlobs } from './stages/files/glob-stage.js';
import type { BuildCache } from './build-cache.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { FleetIndex, IndexEntry, TriggerTable } from '../fleet/types.js';
import type { RoutingTable } from '../fleet/routing-image.js';
import type { AgentDefinition } from '../schema/definition.js';
import type { HitBuffers, LearnedModel, RouteCandidate, RouteRequest, RouteResult } from './types.js';
import type { RouteCall, Stage } from './stages/stage.js';

export { packRouterImage, type RouterImage } from './stages/keyword/image.js';

/** Request helpers are part of the router's surface. */
export { normalizePath, routeId } from './request.js';

/** What the router reads: the routing table, and optionally the index and definitions. */
export interface RouterFleet {
  triggers: TriggerTable;
  index?: FleetIndex;
  /** Loads one definition; used lazily by the semantic stage and for escalation contacts. */
  definition?: (id: string) => AgentDefinition | undefined;
}

export type { PenaltyModel, RewardModel };
export type { Stage, StageContext, RouteCall } from './stages/stage.js';

export interface RouterInit {
  options?: RouterConfig;
  reward?: RewardModel;
  /** The learning layer's contextual R(agent | request); takes precedence over `reward`. */
  learned?: LearnedModel;
  penalties?: PenaltyModel;
  semanticModel?: SemanticModelFactory;
  /** Keeps the keyword automaton and compiled globs between processes (build-cache.ts). */
  buildCache?: BuildCache;
  /**
   * The keyword entry and routing table of the fleet's routing image (routing-image.ts), written
   * by `convert`: used instead of `fleet.triggers` and the build cache when it restores.
   */
  prebuilt?: PrebuiltRouting;
  /** Follow-up rules; by default derived from `fleet.index` on the first route with text (none from a routing image). */
  followUps?: FollowUps;
  /**
   * More stages, run after the built-in matching stages (files, keyword, regex, semantic) and
   * before affinity, learning and reward; each names itself in `stages` and adds its own term.
   */
  stages?: readonly Stage[];
}

/** What a routing image gives the router: the keyword entry (packRouterImage) and the table without keywords. */
export interface PrebuiltRouting {
  keywords: Uint8Array;
  table: RoutingTable;
  /** The table's file globs compiled ahead (glob-stage.ts PrebuiltGlobs). */
  globs?: PrebuiltGlobs;
}

export interface Router {
  /** Agent ids in id order. */
  readonly agents: readonly string[];
  readonly options: RouterOptions;
  /** Triggers dropped while building (bad regexes or globs). */
  readonly diagnostics: readonly Diagnostic[];
  route(request: RouteRequest, override?: { top?: number }): RouteResult;
  /** Why an agent was or was not chosen for a request. */
  explain(request: RouteRequest, id: string): AgentExplanation;
  /** Awaits the semantic model's preparation (query embeddings), then routes. */
  routeAsync(request: RouteRequest, override?: { top?: number }): Promise<RouteResult>;
  /**
   * Only the preparation: after it, `route(request)` ranks with the model ready. Resolves to the
   * CF6005 diagnostic when the model failed (routing then goes on without it), for a caller that
   * routes in its own way (the runner's learned router) to report.
   */
  prepare(request: RouteRequest): Promise<Diagnostic | undefined>;
}

/**
 * Builds a router over a compiled fleet.
 *
 * @example
 * const router = createRouter({ triggers, index });
 * router.route({ task: 'add a GraphQL resolver for orders', files: ['src/schema.graphql'] }).candidates[0]?.id
 */
export function createRouter(fleet: RouterFleet, init: RouterInit = {}): Router {
  return new StagedRouter(fleet, init);
}

class StagedRouter implements Router {
  readonly agents: string[];
  readonly options: RouterOptions;
  readonly diagnostics: Diagnostic[] = [];
  /** The routing table: the image's (no keywords) or the fleet's. */
  private readonly table: RoutingTable;
  private readonly agentNumber = new Map<string, number>();
  /** In run order: stage i marks the agents it finds with bit i. */
  private readonly stages: Stage[];
  /** The same stages in the order their terms are listed (termRank). */
  private readonly termStages: Stage[];
  private readonly semantic: SimilarityStage;
  private readonly disabled: Uint8Array;
  private readonly generalists: number[];
  private readonly board: ScoreBoard;
  private readonly followUps: FollowUps;
  private readonly hits: HitBuffers = {
    keywordCount: 0,
    keywordHits: new Int32Array(MAX_KEYWORD_HITS * 4),
    regexHits: [],
    fileCount: 0,
    fileHits: new Int32Array(MAX_FILE_HITS * 2),
    semantic: [],
  };
  private readonly infoOf = (agent: number): { tier: RouteCandidate['tier']; domain: string } => this.info(agent);

  constructor(
    private readonly fleet: RouterFleet,
    init: RouterInit,
  ) {
    this.options = resolveRouterOptions(init.options);
    // The keyword automaton (phrases, mentions, topics) is most of the build; with a build cache
    // it is read back, with the agent ids, for a fleet built before (keywordImageKey). A routing
    // image (written by convert) comes first: then neither fleet.triggers nor fleet.index is
    // read here, and no cache key is computed.
    const automaton = new KeywordStage();
    const cache = init.buildCache;
    const prebuilt = init.prebuilt && unpackRouterImage(init.prebuilt.keywords);
    const fromImage =
      prebuilt !== undefined &&
      namesEveryAgent(prebuilt.agents, { triggers: init.prebuilt!.table }) &&
      automaton.restore(prebuilt.keywords, prebuilt.agents.length);
    const triggers: RoutingTable = fromImage ? init.prebuilt!.table : fleet.triggers;
    this.table = triggers;
    const imageKey = fromImage ? undefined : cache && fleet.index && keywordImageKey(fleet.triggers, fleet.index);
    const image = imageKey === undefined ? undefined : cache!.read(KEYWORD_IMAGE_KIND, imageKey);
    const unpacked = fromImage ? prebuilt : image === undefined ? undefined : unpackRouterImage(image);
    const restored =
      fromImage ||
      (unpacked !== undefined && namesEveryAgent(unpacked.agents, fleet) && automaton.restore(unpacked.keywords, unpacked.agents.length));
    this.agents = restored ? unpacked!.agents : agentIds(fleet);
    this.agents.forEach((id, n) => this.agentNumber.set(id, n));
    const numbers = (list: readonly string[]) => list.map((id) => this.agentNumber.get(id)!);
    // Read lazily: a router restored from an image never needs the index (aliases are in the
    // keyword entry; the semantic documents only when no lexical model is at hand).
    let entryMap: Map<string, IndexEntry> | undefined;
    const entries = () => (entryMap ??= new Map((fleet.index?.agents ?? []).map((entry) => [entry.id, entry])));
    const affinity = new AffinityStage(this.agents, triggers);
    if (!restored) addKeywordPhrases(automaton, fleet.triggers, this.agents, entries(), numbers, affinity.topicNumber);
    this.diagnostics.push(...automaton.build());
    const phraseCount = automaton.phraseCount;
    const specificities =
      restored && unpacked!.keywordSpecificity.length === phraseCount
        ? { keyword: unpacked!.keywordSpecificity, mention: unpacked!.mentionSpecificity }
        : keywordSpecificities(automaton, this.agents.length);
    if (imageKey !== undefined && !restored) {
      const keywordSpecificity = specificities.keyword;
      const mentionSpecificity = specificities.mention;
      cache!.write(
        KEYWORD_IMAGE_KIND,
        imageKey,
        packRouterImage({ agents: this.agents, keywords: automaton.image(), keywordSpecificity, mentionSpecificity }),
      );
    }
    this.semantic = new SimilarityStage(
      init.semanticModel,
      this.agents.map((id) => () => agentDocument(id, entries().get(id), fleet.definition?.(id))),
    );
    const reward = new RewardStage(init.reward, init.penalties);
    this.stages = [
      new FilesStage(triggers.file_patterns, numbers, cache, fromImage ? init.prebuilt!.globs : undefined),
      new KeywordsStage(automaton, specificities, affinity),
      new RegexesStage(triggers.regex, numbers),
      this.semantic,
      ...(init.stages ?? []),
      affinity,
      new LearnedStage(init.learned),
      reward,
      new PenaltyTerms(init.penalties, this.agents),
    ];
    const size = this.agents.length;
    let stride = STRIDE;
    this.stages.forEach((stage, i) => {
      const context = { agents: this.agents, options: this.options, bit: 2 ** i, before: this.stages.slice(0, i), slot: () => stride++ };
      this.diagnostics.push(...stage.build(context));
    });
    this.termStages = [...this.stages].sort((a, b) => a.termRank - b.termRank);
    this.disabled = new Uint8Array(size);
    for (const id of this.options.disabled) if (this.agentNumber.has(id)) this.disabled[this.agentNumber.get(id)!] = 1;
    this.generalists = numbers((triggers.generalists ?? []).filter((id) => this.agentNumber.has(id))).sort((a, b) => a - b);
    this.board = new ScoreBoard(size, stride);
    // A router restored from a routing image never parses index.json (start-up): its follow-up
    // rules come from the caller, or there are none until the image carries them.
    this.followUps = init.followUps ?? (fromImage ? new FollowUps(() => []) : FollowUps.fromIndex(() => fleet.index));
  }

  route(request: RouteRequest, override: { top?: number } = {}): RouteResult {
    const top = override.top ?? this.options.top;
    const { result, state } = this.found(request, top);
    if (result.candidates.length < top) this.fillDepth(result, state, top);
    const first = result.candidates[0]?.id;
    result.followUps = this.followUps.match(state.call.task, (id) => id === first || this.disabled[this.agentNumber.get(id) ?? -1] === 1);
    return result;
  }

  /** The agents the stages found (or the fallback's), without the weak ones listed for depth. */
  private found(request: RouteRequest, top: number): { result: RouteResult; state: RankedState } {
    const state = this.rank(request, top);
    const count = Math.min(top, state.ranked.length);
    // A copy loop: Array.from over a typed array view costs more than the loop.
    const ranked = new Array<number>(count);
    for (let i = 0; i < count; i++) ranked[i] = state.ranked[i]!;
    const candidates = buildCandidates(state, ranked, 1);
    return { result: this.result(request, state, candidates, top), state };
  }

  /**
   * Candidates with depth: weak agents after the found ones, up to `top`, from the semantic
   * stage. Never for an empty answer (`fallback.kind: "none"`): a caller reads that as "nobody fits".
   */
  private fillDepth(result: RouteResult, state: RankedState, top: number): void {
    if (result.candidates.length === 0) return;
    const listed = new Set(result.candidates.map((c) => this.agentNumber.get(c.id)!));
    const excluded = (agent: number) => this.disabled[agent] === 1 || listed.has(agent);
    const weak = this.semantic.depth(state.call, excluded, top - result.candidates.length, result.candidates.length + 1, this.infoOf);
    if (weak.length > 0) result.candidates = result.candidates.concat(weak);
  }

  async routeAsync(request: RouteRequest, override: { top?: number } = {}): Promise<RouteResult> {
    const problem = await this.prepare(request);
    const result = this.route(request, override);
    if (problem) result.diagnostics.push(problem);
    return result;
  }

  prepare(request: RouteRequest): Promise<Diagnostic | undefined> {
    return this.semantic.prepare(capTask(request.task ?? '', []), capPaths(request.files ?? [], []));
  }

  explain(request: RouteRequest, id: string): AgentExplanation {
    const { result } = this.found(request, this.options.top);
    return explainAgent(this.rank(request), result, id, this.agentNumber.get(id));
  }

  private rank(request: RouteRequest, limit?: number): RankedState {
    const diagnostics: Diagnostic[] = [];
    const task = capTask(request.task ?? '', diagnostics);
    const paths = capPaths(request.files ?? [], diagnostics);
    const hits = this.hits;
    hits.keywordCount = 0;
    hits.fileCount = 0;
    hits.regexHits.length = 0;
    hits.semantic.length = 0;
    const board = this.board;
    board.reset();
    const call: RouteCall = { task, paths, board, hits, semanticRan: false, hasReward: false, nearCount: 0, limit };
    const stages = this.stages;
    for (let s = 0; s < stages.length; s++) stages[s]!.score(call);
    // Disabled agents leave the board before any stage adjusts the totals of the others.
    let kept = 0;
    let stageUnion = 0;
    const disabled = this.disabled;
    for (let i = 0; i < board.touchedCount; i++) {
      const agent = board.touched[i]!;
      if (disabled[agent] === 1) continue;
      board.touched[kept++] = agent;
      stageUnion |= board.stages[agent]!;
    }
    board.touchedCount = kept;
    for (let s = 0; s < stages.length; s++) stages[s]!.adjust?.(call);
    return {
      info: this.infoOf,
      agents: this.agents,
      options: this.options,
      call,
      stages,
      termStages: this.termStages,
      diagnostics,
      considered: board.touchedCount,
      stageUnion,
      ranked: call.near ? board.rankAmong(call.near, call.nearCount, limit!) : board.rank(limit),
    };
  }

  private info(agent: number): { tier: RouteCandidate['tier']; domain: string } {
    const id = this.agents[agent]!;
    const routing = this.table.agents?.[id];
    if (routing) return { tier: routing.tier, domain: routing.domain };
    const entry = this.fleet.index?.agents.find((a) => a.id === id);
    return { tier: entry?.tier ?? 'specialist', domain: entry?.domain ?? '' };
  }

  private result(request: RouteRequest, state: RankedState, candidates: RouteResult['candidates'], top: number): RouteResult {
    const stagesFired = stageNames(this.stages, state.stageUnion);
    const result = new StagedRouteResult(
      this.table.hash,
      request,
      candidates,
      state.considered,
      stagesFired,
      state.diagnostics,
      state.call.fired,
    );
    const triggered = stagesFired.some((name) => name !== 'semantic' && name !== 'learned');
    if (!triggered && stagesFired.includes('semantic')) {
      result.fallback = { kind: 'semantic', reason: 'no keyword, regex or glob matched; ranked by lexical similarity' };
    } else if (candidates.length === 0) this.fallBack(result, state, top);
    return result;
  }

  private fallBack(result: RouteResult, state: RankedState, top: number): void {
    const tried = state.call.semanticRan
      ? 'no keyword, regex or glob matched and no agent is lexically similar'
      : 'no keyword, regex or glob matched';
    const empty = state.call.task.trim().length === 0 && state.call.paths.length === 0;
    const why = empty ? 'empty request: no task and no files' : tried;
    const generalists = this.generalists.filter((agent) => this.disabled[agent] === 0).slice(0, top);
    result.candidates = generalists.map((agent, i) => ({
      id: this.agents[agent]!,
      rank: i + 1,
      score: 0,
      ...this.info(agent),
      stages: [],
      evidence: [],
      terms: [{ name: 'fallback', weight: 0, value: 0, contribution: 0, detail: `generalist tier: ${why}` }],
    }));
    result.fallback =
      generalists.length > 0
        ? { kind: 'generalist', reason: `${why}; answered by the generalist tier` }
        : { kind: 'none', reason: `${why}, and the fleet has no generalist agent` };
    const notify = new Set<string>();
    for (const agent of generalists)
      for (const who of this.fleet.definition?.(this.agents[agent]!)?.metrics.escalation.notify ?? []) notify.add(who);
    result.events.push({ type: 'route-escalation', reason: result.fallback.reason, notify: [...notify].sort() });
  }
}
