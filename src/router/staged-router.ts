/**
 * The composition root of the router: builds the four stages from a compiled fleet once, then
 * routes each request through them, cheapest first, and scores what they found.
 *
 * Naive approach (kept as the test oracle in test/router/naive-router.ts): loop over every
 * keyword with `includes`, every regex with `new RegExp`, every glob with picomatch, per call.
 * What we do: stage 0 (glob-stage.ts) → stage 1 (keyword-stage.ts) → stage 2 (regex-stage.ts)
 * fill scratch hit buffers; score.ts turns hits into per-agent terms; stage 3 (semantic-stage.ts)
 * runs on every request by default (`always`: +10 points top-1 on the dev sets; `fallback` runs it
 * only when 0–2 found nothing, `off` never); with no candidate at all the generalist tier
 * answers and an escalation event says why. explain.ts turns the top candidates into evidence.
 * Invariants: agents are numbered in id order, so every tie breaks by id; the same fleet,
 * options and request give the same result, byte for byte; `route` never returns an empty
 * answer without a `fallback.reason`. This file is longer than most because it is the hot path.
 */
import { GlobStage, type PrebuiltGlobs } from './stages/files/glob-stage.js';
import { buildKey, jsonBytes, packArrays, parseJsonBytes, unpackArrays, type BuildCache } from './build-cache.js';
import { AhoCorasick } from './stages/keyword/aho-corasick.js';
import { foldString, foldUnit, phraseEdges } from './text.js';
import { VERSION } from '../version.js';
import { KeywordStage, type PhraseLists } from './stages/keyword/keyword-stage.js';
import { RegexStage } from './stages/regex/regex-stage.js';
import { SemanticStage, agentDocument, type SemanticModelFactory } from './stages/semantic/semantic-stage.js';
import {
  ScoreBoard,
  STAGE_FILES,
  STAGE_KEYWORD,
  STAGE_LEARNED,
  STAGE_REGEX,
  STAGE_SEMANTIC,
  STRIDE,
  TERM_AFFINITY,
  TERM_FILES,
  TERM_KEYWORD,
  TERM_LEARNED,
  TERM_MENTION,
  TERM_PENALTY,
  TERM_REGEX,
  TERM_REWARD,
  TERM_SEMANTIC,
  TERM_TOTAL,
  phraseBonus,
  specificity,
} from './score.js';
import { topicsOfPath } from './stages/affinity/file-topics.js';
import { agentAliases } from './aliases.js';
import { resolveRouterOptions, type RouterConfig, type RouterOptions } from './options.js';
import { MAX_FILE_HITS, MAX_KEYWORD_HITS } from './limits.js';
import { capPaths, capTask, clamp01, semanticQuery } from './request.js';
import { StagedRouteResult } from './route-result.js';
import { buildCandidates, explainAgent, type AgentExplanation, type RankedState } from './explain.js';
import { FiredTriggers } from './fired-triggers.js';
import { depthCandidates } from './depth.js';
import { FollowUps } from './follow-ups.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { FleetIndex, IndexEntry, TriggerTable } from '../fleet/types.js';
import type { RoutingTable } from '../fleet/routing-image.js';
import type { AgentDefinition } from '../schema/definition.js';
import type {
  BoundLearnedModel,
  HitBuffers,
  LearnedModel,
  RequestReward,
  RouteCandidate,
  RouteRequest,
  RouteResult,
  StageName,
} from './types.js';

/** The learned term R − prior lies in [−1, 1]; a NaN from a broken model counts as nothing learned. */
function clampSigned(value: number): number {
  return value > 1 ? 1 : value < -1 ? -1 : value === value ? value : 0;
}

/** Request helpers are part of the router's surface. */
export { normalizePath, routeId } from './request.js';

/** What the router reads: the routing table, and optionally the index and definitions. */
export interface RouterFleet {
  triggers: TriggerTable;
  index?: FleetIndex;
  /** Loads one definition; used lazily by the semantic stage and for escalation contacts. */
  definition?: (id: string) => AgentDefinition | undefined;
}

/** R(agent) in [0, 1]: the learning layer's estimate of an agent's quality. */
export type RewardModel = (id: string) => number;
/** Penalties for an agent (policy conflicts, saturation): each a positive amount subtracted. */
export type PenaltyModel = (id: string) => Array<{ name: string; value: number; detail: string }>;

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

/** Every agent the table or the index names, in id order (agent numbers follow it). */
function agentIds({ triggers, index }: RouterFleet): string[] {
  const ids = new Set<string>(Object.keys(triggers.agents ?? {}));
  for (const entry of index?.agents ?? []) ids.add(entry.id);
  const add = (list: readonly string[]) => {
    for (const id of list) ids.add(id);
  };
  for (const phrase in triggers.keywords) add(triggers.keywords[phrase]!);
  for (const glob in triggers.file_patterns) add(triggers.file_patterns[glob]!);
  for (const entry of triggers.regex) add(entry.agents);
  return [...ids].sort();
}

/** The list itself when already ascending (most are: agents are added in id order), else a sorted copy. */
function sortedOwners(owners: readonly number[]): readonly number[] {
  for (let i = 1; i < owners.length; i++) if (owners[i]! < owners[i - 1]!) return [...owners].sort((a, b) => a - b);
  return owners;
}

/** `lists` with each list in ascending order, sorted when a phrase is first read (a route reads few). */
class SortedLists implements PhraseLists {
  private readonly sorted: Array<readonly number[] | undefined>;
  constructor(private readonly lists: PhraseLists) {
    this.sorted = new Array<readonly number[] | undefined>(lists.length);
  }

  get length(): number {
    return this.lists.length;
  }

  at(phrase: number): readonly number[] | undefined {
    const known = this.sorted[phrase];
    if (known !== undefined) return known;
    const list = this.lists.at(phrase);
    if (list === undefined) return undefined;
    return (this.sorted[phrase] = sortedOwners(list));
  }
}

/** Build-cache kind of the keyword stage's image (with the agent ids its numbers refer to). */
const KEYWORD_IMAGE_KIND = 'keywords';
/**
 * Layout of a keyword entry: [agent ids as JSON, KeywordStage.image(), keyword specificity,
 * mention specificity] (the specificities, with phraseBonus's walk over every phrase, were ~6 ms
 * of a warm 1,000-agent start-up).
 */
const ROUTER_IMAGE_FORMAT = 2;

/**
 * Adds the fleet's keyword phrases, every agent's mention aliases and the topic phrases to the
 * keyword stage, in a fixed order (phrase numbers depend on it).
 */
function addKeywordPhrases(
  stage: KeywordStage,
  triggers: TriggerTable,
  agents: readonly string[],
  entries: ReadonlyMap<string, IndexEntry>,
  numbers: (ids: readonly string[]) => number[],
  topics: ReadonlyMap<string, number>,
): void {
  for (const [phrase, owners] of Object.entries(triggers.keywords)) stage.add(phrase, numbers(owners));
  agents.forEach((id, agent) => {
    for (const alias of agentAliases(id, entries.get(id)?.name, entries.get(id)?.source)) stage.addMention(alias, agent);
  });
  for (const [topic, number] of topics) stage.addTopic(topic, number);
}

/**
 * The code that turns a fleet into a keyword image. Its source text is part of the cache key, so
 * a codex-flow build that derives phrases, aliases, folding or the automaton differently never
 * reads an image an older one wrote, version bump or not.
 */
const KEYWORD_DERIVATION = [
  agentIds,
  addKeywordPhrases,
  agentAliases,
  KeywordStage,
  AhoCorasick,
  foldString,
  foldUnit,
  phraseEdges,
  keywordSpecificities,
  specificity,
  phraseBonus,
];
/** Their source text, read once per process (~100 KB: not worth redoing for every router). */
let keywordDerivationSource: string[] | undefined;

/**
 * The cache key of a fleet's keyword image: the fleet's content hash (index and triggers come
 * from one compile, loadFleet checks), the codex-flow version and the deriving code. The entry
 * also holds the fleet's agent ids (agentIds walks every owner list of the table: ~8 ms of a
 * 1,000-agent start-up), which its agent numbers refer to.
 */
function keywordImageKey(triggers: TriggerTable, index: FleetIndex): string | undefined {
  if (!triggers.hash || triggers.hash !== index.hash) return undefined;
  keywordDerivationSource ??= KEYWORD_DERIVATION.map(String);
  return buildKey([VERSION, triggers.hash, ...keywordDerivationSource]);
}

export interface RouterImage {
  agents: string[];
  keywords: Uint8Array;
  keywordSpecificity: Float64Array;
  mentionSpecificity: Float64Array;
}

/** A keyword entry: the agent ids, the keyword stage's image and the phrases' specificities. */
export function packRouterImage(image: RouterImage): Uint8Array {
  return packArrays(ROUTER_IMAGE_FORMAT, [
    jsonBytes(image.agents) as Uint8Array,
    image.keywords,
    image.keywordSpecificity,
    image.mentionSpecificity,
  ]);
}

/**
 * What packRouterImage wrote, or undefined: the ids must be distinct strings in ascending order
 * and both specificity arrays of one length (the caller checks it against the phrase count).
 */
function unpackRouterImage(bytes: Uint8Array): RouterImage | undefined {
  const arrays = unpackArrays(bytes, ROUTER_IMAGE_FORMAT, 4);
  if (!arrays) return undefined;
  const [ids, keywords, keywordSpecificity, mentionSpecificity] = arrays;
  if (
    !(ids instanceof Uint8Array) ||
    !(keywords instanceof Uint8Array) ||
    !(keywordSpecificity instanceof Float64Array) ||
    !(mentionSpecificity instanceof Float64Array)
  )
    return undefined;
  if (keywordSpecificity.length !== mentionSpecificity.length || !inRange(keywordSpecificity, 2) || !inRange(mentionSpecificity, 1))
    return undefined;
  const agents = parseJsonBytes(ids);
  if (!Array.isArray(agents)) return undefined;
  for (let i = 0; i < agents.length; i++) {
    if (typeof agents[i] !== 'string' || (i > 0 && !(agents[i - 1] < agents[i]))) return undefined;
  }
  return { agents: agents as string[], keywords, keywordSpecificity, mentionSpecificity };
}

/**
 * Whether `ids` holds every agent the fleet names outside the keyword lists (the table's agents,
 * the index, glob and regex owners): cheap next to agentIds, and what the glob and regex stages
 * are about to look up.
 */
function namesEveryAgent(
  ids: readonly string[],
  { triggers, index }: { triggers: RoutingTable; index?: { agents: ReadonlyArray<{ id: string }> } },
): boolean {
  const known = new Set(ids);
  for (const id in triggers.agents ?? {}) if (!known.has(id)) return false;
  for (const entry of index?.agents ?? []) if (!known.has(entry.id)) return false;
  for (const glob in triggers.file_patterns) for (const id of triggers.file_patterns[glob]!) if (!known.has(id)) return false;
  for (const entry of triggers.regex) for (const id of entry.agents) if (!known.has(id)) return false;
  return true;
}

/** Whether every value lies in [0, max] (NaN does not): specificity ≤ 1, times a phrase bonus ≤ 2. */
function inRange(values: Float64Array, max: number): boolean {
  for (let i = 0; i < values.length; i++) if (!(values[i]! >= 0 && values[i]! <= max)) return false;
  return true;
}

/** Each phrase's keyword specificity × phrase bonus (0 for a phrase no agent owns) and mention specificity. */
function keywordSpecificities(stage: KeywordStage, agentCount: number): { keyword: Float64Array; mention: Float64Array } {
  // Plain loops: TypedArray.from with a map function and one typed array per phrase cost more
  // at start-up than everything else in the router's constructor once the keyword image is cached.
  const { phrases, agentsOf, mentionsOf } = stage;
  const mention = new Float64Array(phrases.length);
  const keyword = new Float64Array(phrases.length);
  for (let phrase = 0; phrase < phrases.length; phrase++) {
    mention[phrase] = specificity(mentionsOf.at(phrase)!.length, agentCount);
    const owners = agentsOf.at(phrase)!.length;
    if (owners > 0) keyword[phrase] = specificity(owners, agentCount) * phraseBonus(phrases[phrase]!);
  }
  return { keyword, mention };
}

class StagedRouter implements Router {
  readonly agents: string[];
  readonly options: RouterOptions;
  readonly diagnostics: Diagnostic[] = [];
  /** The routing table: the image's (no keywords) or the fleet's. */
  private readonly table: RoutingTable;
  private readonly agentNumber = new Map<string, number>();
  private readonly globStage = new GlobStage();
  private readonly keywordStage = new KeywordStage();
  private readonly regexStage = new RegexStage();
  private readonly semanticStage: SemanticStage;
  private readonly keywordSpecificity: Float64Array;
  private readonly mentionSpecificity: Float64Array;
  private readonly keywordOwners: PhraseLists;
  private readonly mentionOwners: PhraseLists;
  private readonly globOwners: ReadonlyArray<readonly number[]>;
  private readonly globSpecificity: Float64Array;
  private readonly topicNumber = new Map<string, number>();
  private readonly topicNames: string[] = [];
  /** Agents naming each topic, by topic number. */
  private readonly topicAgents: number[][] = [];
  /** Topics each agent names: agentTopics[agentTopicStart[a] … agentTopicStart[a + 1] - 1]. */
  private readonly agentTopicStart: Int32Array;
  private readonly agentTopics: Int32Array;
  private readonly topicStamp: Uint32Array;
  private readonly pathTopicNumbers = new Map<readonly string[], Int32Array>();
  private topicGeneration = 0;
  private readonly mentioned: number[] = [];
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
  /**
   * `kw:`/`re:`/`glob:` key of each trigger by trigger number ('' until it first fires; learning
   * on). Sized once: filled out of order, a growing array went to dictionary mode (a hash lookup per key).
   */
  private triggerKeys: string[] = [];
  /** The learned model bound to this router's agent numbers (learning on). */
  private readonly learned: BoundLearnedModel | undefined;
  private readonly pathBest: Float64Array;
  private readonly pathStamp: Uint32Array;
  private readonly infoOf = (agent: number): { tier: RouteCandidate['tier']; domain: string } => this.info(agent);
  private pathGeneration = 0;
  private kthBuffer = new Float64Array(16);
  private nearBuffer = new Int32Array(64);

  constructor(
    private readonly fleet: RouterFleet,
    private readonly init: RouterInit,
  ) {
    this.options = resolveRouterOptions(init.options);
    // The keyword stage (phrases, mentions, topics and the automaton) is most of the build; with
    // a build cache it is read back, with the agent ids, for a fleet built before (keywordImageKey).
    // A routing image (written by convert) comes first: then neither fleet.triggers nor
    // fleet.index is read here, and no cache key is computed.
    const cache = init.buildCache;
    const prebuilt = init.prebuilt && unpackRouterImage(init.prebuilt.keywords);
    const fromImage =
      prebuilt !== undefined &&
      namesEveryAgent(prebuilt.agents, { triggers: init.prebuilt!.table }) &&
      this.keywordStage.restore(prebuilt.keywords, prebuilt.agents.length);
    const triggers: RoutingTable = fromImage ? init.prebuilt!.table : fleet.triggers;
    this.table = triggers;
    const imageKey = fromImage ? undefined : cache && fleet.index && keywordImageKey(fleet.triggers, fleet.index);
    const image = imageKey === undefined ? undefined : cache!.read(KEYWORD_IMAGE_KIND, imageKey);
    const unpacked = fromImage ? prebuilt : image === undefined ? undefined : unpackRouterImage(image);
    const restored =
      fromImage ||
      (unpacked !== undefined &&
        namesEveryAgent(unpacked.agents, fleet) &&
        this.keywordStage.restore(unpacked.keywords, unpacked.agents.length));
    this.agents = restored ? unpacked!.agents : agentIds(fleet);
    this.agents.forEach((id, n) => this.agentNumber.set(id, n));
    const numbers = (list: readonly string[]) => list.map((id) => this.agentNumber.get(id)!);
    for (const [glob, owners] of Object.entries(triggers.file_patterns)) this.globStage.add(glob, numbers(owners));
    for (const entry of triggers.regex) this.regexStage.add(entry, numbers(entry.agents));
    // Read lazily: a router restored from an image never needs the index (aliases are in the
    // keyword entry; the semantic documents only when no lexical model is at hand).
    let entryMap: Map<string, IndexEntry> | undefined;
    const entries = () => (entryMap ??= new Map((fleet.index?.agents ?? []).map((entry) => [entry.id, entry])));
    this.agentTopicStart = new Int32Array(this.agents.length + 1);
    const agentTopics: number[] = [];
    this.agents.forEach((id, agent) => {
      for (const topic of new Set((triggers.agents?.[id]?.topics ?? []).map((t) => t.toLowerCase()))) {
        const number = this.topic(topic);
        this.topicAgents[number]!.push(agent);
        agentTopics.push(number);
      }
      this.agentTopicStart[agent + 1] = agentTopics.length;
    });
    this.agentTopics = Int32Array.from(agentTopics);
    if (!restored) addKeywordPhrases(this.keywordStage, fleet.triggers, this.agents, entries(), numbers, this.topicNumber);
    this.topicStamp = new Uint32Array(this.topicNumber.size);
    this.semanticStage = new SemanticStage(init.semanticModel);
    for (const id of this.agents) this.semanticStage.addLazy(() => agentDocument(id, entries().get(id), fleet.definition?.(id)));
    if (fromImage) this.globStage.usePrebuilt(init.prebuilt!.globs);
    for (const stage of [this.globStage, this.keywordStage, this.regexStage, this.semanticStage])
      this.diagnostics.push(...stage.build(cache));
    const size = this.agents.length;
    const { agentsOf, mentionsOf } = this.keywordStage;
    const phraseCount = this.keywordStage.phrases.length;
    const specificities =
      restored && unpacked!.keywordSpecificity.length === phraseCount
        ? { keyword: unpacked!.keywordSpecificity, mention: unpacked!.mentionSpecificity }
        : keywordSpecificities(this.keywordStage, size);
    this.keywordSpecificity = specificities.keyword;
    this.mentionSpecificity = specificities.mention;
    if (imageKey !== undefined && !restored) {
      cache!.write(
        KEYWORD_IMAGE_KIND,
        imageKey,
        packRouterImage({
          agents: this.agents,
          keywords: this.keywordStage.image(),
          keywordSpecificity: specificities.keyword,
          mentionSpecificity: specificities.mention,
        }),
      );
    }
    // Owner lists sorted by agent number: the hot loops iterate them per hit.
    this.keywordOwners = new SortedLists(agentsOf);
    this.mentionOwners = new SortedLists(mentionsOf);
    this.globOwners = this.globStage.agentsOf.map(sortedOwners);
    this.globSpecificity = new Float64Array(this.globOwners.length);
    for (let glob = 0; glob < this.globOwners.length; glob++) this.globSpecificity[glob] = specificity(this.globOwners[glob]!.length, size);
    this.disabled = new Uint8Array(size);
    for (const id of this.options.disabled) if (this.agentNumber.has(id)) this.disabled[this.agentNumber.get(id)!] = 1;
    this.generalists = numbers((triggers.generalists ?? []).filter((id) => this.agentNumber.has(id))).sort((a, b) => a - b);
    this.board = new ScoreBoard(size);
    // A router restored from a routing image never parses index.json (start-up): its follow-up
    // rules come from the caller, or there are none until the image carries them.
    this.followUps = init.followUps ?? (fromImage ? new FollowUps(() => []) : FollowUps.fromIndex(() => fleet.index));
    this.learned = init.learned?.bind(this.agents, this.keyOf);
    this.pathBest = new Float64Array(size);
    this.pathStamp = new Uint32Array(size);
  }

  route(request: RouteRequest, override: { top?: number } = {}): RouteResult {
    const top = override.top ?? this.options.top;
    const { result, state } = this.found(request, top);
    if (result.candidates.length < top) this.fillDepth(result, state, top);
    const first = result.candidates[0]?.id;
    result.followUps = this.followUps.match(state.task, (id) => id === first || this.disabled[this.agentNumber.get(id) ?? -1] === 1);
    return result;
  }

  /** The agents the stages found (or the fallback's), without the weak ones listed for depth. */
  private found(request: RouteRequest, top: number): { result: RouteResult; state: RankedState } {
    const state = this.rank(request, top);
    const count = Math.min(top, state.ranked.length);
    // A copy loop: Array.from over a typed array view cost ~0.7 µs a route here, the loop ~0.03.
    const ranked = new Array<number>(count);
    for (let i = 0; i < count; i++) ranked[i] = state.ranked[i]!;
    const candidates = buildCandidates(state, ranked, 1);
    return { result: this.result(request, state, candidates, top), state };
  }

  /**
   * Candidates with depth (depth.ts): weak agents after the found ones, up to `top`, when the
   * request has text to compare and the semantic stage is on. Never for an empty request, nor
   * for an empty answer (`fallback.kind: "none"`): a caller reads that as "nobody fits".
   */
  private fillDepth(result: RouteResult, state: RankedState, top: number): void {
    if (this.options.semantic === 'off' || result.candidates.length === 0) return;
    const query = semanticQuery(state.task, state.paths);
    if (query.trim().length === 0) return;
    const listed = new Set(result.candidates.map((c) => this.agentNumber.get(c.id)!));
    const weak = depthCandidates(
      {
        agents: this.agents,
        excluded: (agent) => this.disabled[agent] === 1 || listed.has(agent),
        hits: this.semanticStage.active.search(query, 0),
        weight: this.options.weights.semantic,
        info: this.infoOf,
      },
      top - result.candidates.length,
      result.candidates.length + 1,
    );
    result.candidates = result.candidates.concat(weak);
  }

  async routeAsync(request: RouteRequest, override: { top?: number } = {}): Promise<RouteResult> {
    const problem = await this.prepare(request);
    const result = this.route(request, override);
    if (problem) result.diagnostics.push(problem);
    return result;
  }

  async prepare(request: RouteRequest): Promise<Diagnostic | undefined> {
    const query = semanticQuery(capTask(request.task ?? '', []), capPaths(request.files ?? [], []));
    if (this.options.semantic === 'off' || query.trim().length === 0) return undefined;
    try {
      await this.semanticStage.active.prepare?.(query);
      return undefined;
    } catch (error) {
      return diagnostic('CF6005', `semantic model ${this.semanticStage.active.name}: ${(error as Error).message}`);
    }
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
    this.globStage.match(paths, hits);
    this.keywordStage.match(task, hits);
    this.regexStage.match(task, hits);
    const board = this.board;
    board.reset();
    this.scoreFiles(paths.length);
    this.scoreKeywords();
    this.scoreRegexes();
    let semanticRan = false;
    const mode = this.options.semantic;
    if (mode === 'always' || (mode === 'fallback' && board.touchedCount === 0)) {
      const query = semanticQuery(task, paths);
      semanticRan = query.trim().length > 0;
      this.scoreSemantic(query);
    }
    this.scoreAffinity(paths);
    const { weights } = this.options;
    // Learning off: no context is built and nothing is allocated here.
    const fired = this.learned ? new FiredTriggers(task, paths, this.firedTriggers(paths), this.keyOf) : undefined;
    const learned: RequestReward | undefined = fired ? this.learned!.forRequest(fired) : undefined;
    if (learned?.learnedCount) this.scoreLearned(learned);
    const reward = learned ? undefined : this.init.reward;
    const penalties = this.init.penalties;
    let kept = 0;
    let stageUnion = 0;
    const disabled = this.disabled;
    const values = board.values;
    const wReward = weights.reward;
    // With a top-n cut, R is asked only for agents that can still make the cut (applyLearned);
    // touch() left TERM_REWARD at 0, so without penalties this pass has nothing to add.
    const prune = learned !== undefined && limit !== undefined;
    const adjusted = (learned !== undefined && !prune) || reward !== undefined || penalties !== undefined;
    for (let i = 0; i < board.touchedCount; i++) {
      const agent = board.touched[i]!;
      if (disabled[agent] === 1) continue;
      board.touched[kept++] = agent;
      stageUnion |= board.stages[agent]!;
      if (!adjusted) continue;
      const row = agent * STRIDE;
      if (learned) values[row + TERM_REWARD] = prune ? 0 : clampSigned(learned.value(agent));
      else if (reward) values[row + TERM_REWARD] = clamp01(reward(this.agents[agent]!));
      if (penalties) values[row + TERM_PENALTY] = penalties(this.agents[agent]!).reduce((sum, p) => sum + p.value, 0);
      // Every other term was added to the total as it was accumulated.
      values[row + TERM_TOTAL]! += wReward * values[row + TERM_REWARD]! - values[row + TERM_PENALTY]!;
    }
    board.touchedCount = kept;
    // Exploring, applyLearned draws R only for the agents near the top (nearTop), and the top n
    // is among them: ranking that list instead of every candidate skips a pass over all their rows.
    const near = prune ? this.applyLearned(learned, limit, wReward) : -1;
    return {
      info: this.infoOf,
      agents: this.agents,
      options: this.options,
      board,
      hits,
      task,
      paths,
      diagnostics,
      semanticRan,
      considered: board.touchedCount,
      stageUnion,
      ranked: near >= 0 ? board.rankAmong(this.nearBuffer, near, limit!) : board.rank(limit),
      keywordStage: this.keywordStage,
      regexStage: this.regexStage,
      globStage: this.globStage,
      keywordSpecificity: this.keywordSpecificity,
      mentionSpecificity: this.mentionSpecificity,
      globSpecificity: this.globSpecificity,
      keywordOwners: this.keywordOwners,
      mentionOwners: this.mentionOwners,
      globOwners: this.globOwners,
      mentioned: this.mentioned,
      topicNames: this.topicNames,
      penalties: this.init.penalties,
      hasReward: learned !== undefined || reward !== undefined,
      // Always the same keys (undefined when learning is off): one object shape, no spread per call.
      learned,
      fired,
    };
  }

  /**
   * Adds δ·(R − prior) to the agents that can still reach the top `limit`. Explore off, the term
   * is 0 but for the agents with evidence in this context, which the model lists: only those are
   * read. Exploring, every candidate has a draw; the term moves two totals apart by at most
   * δ·span, so an agent more than that below the limit-th best score without R can never enter
   * the top n, and its two gamma draws are never made. Returns how many agents of `nearBuffer`
   * hold the top n (exploring; −1 explore off): the n best without R are among them, and each
   * still beats every agent left out once its R is added.
   */
  private applyLearned(learned: RequestReward, limit: number, weight: number): number {
    const board = this.board;
    const values = board.values;
    if (learned.evidenceAgents) {
      const agents = learned.evidenceAgents;
      const terms = learned.evidenceValues!;
      for (let i = 0; i < learned.evidenceCount!; i++) {
        const agent = agents[i]!;
        if (!board.isTouched(agent)) continue;
        const row = agent * STRIDE;
        values[row + TERM_REWARD] = terms[i]!;
        values[row + TERM_TOTAL]! += weight * terms[i]!;
      }
      return -1;
    }
    if (limit <= 0) return -1;
    const slack = weight * learned.span;
    const near = this.nearTop(limit, slack);
    const cut = this.kthBuffer[limit - 1]! - slack;
    const agents = this.nearBuffer;
    // The listed agents at or above the final cut, kept in order: the ones ranked.
    let kept = 0;
    for (let i = 0; i < near; i++) {
      const agent = agents[i]!;
      const row = agent * STRIDE;
      if (values[row + TERM_TOTAL]! < cut) continue;
      agents[kept++] = agent;
      const r = clampSigned(learned.value(agent));
      values[row + TERM_REWARD] = r;
      values[row + TERM_TOTAL]! += weight * r;
    }
    return kept;
  }

  /**
   * One pass over the touched agents: the limit-th best total goes to kthBuffer[limit − 1]
   * (-Infinity with fewer), and `nearBuffer` gets, in touched order, every agent whose total was
   * within `slack` of the limit-th best seen so far; returns how many. That best only rises, so
   * every agent within `slack` of the final one is listed, and the caller's second pass reads the
   * few listed instead of every candidate. Plain numbers into a small sorted buffer: ranking the
   * agents here (comparator calls) cost 7 µs a route on 10,000 agents (bench/learn.ts).
   */
  private nearTop(limit: number, slack: number): number {
    const board = this.board;
    const values = board.values;
    if (this.kthBuffer.length < limit) this.kthBuffer = new Float64Array(limit);
    if (this.nearBuffer.length < board.touchedCount) this.nearBuffer = new Int32Array(board.touchedCount * 2);
    const best = this.kthBuffer;
    const near = this.nearBuffer;
    best[limit - 1] = -Infinity;
    let filled = 0;
    let count = 0;
    for (let i = 0; i < board.touchedCount; i++) {
      const agent = board.touched[i]!;
      const total = values[agent * STRIDE + TERM_TOTAL]!;
      // Written always, kept when near: no branch to mispredict on every candidate.
      near[count] = agent;
      count += total >= best[limit - 1]! - slack ? 1 : 0;
      if (filled === limit && total <= best[limit - 1]!) continue;
      let at = filled < limit ? filled++ : limit - 1;
      while (at > 0 && best[at - 1]! < total) {
        best[at] = best[at - 1]!;
        at--;
      }
      best[at] = total;
    }
    return count;
  }

  /**
   * The triggers that fired in this call, for the learning layer's context: unique, in match
   * order (keywords, regexes, globs), by trigger number (FiredTriggers builds their keys when read).
   */
  private firedTriggers(paths: readonly string[]): number[] {
    const { hits } = this;
    // A plain array, filled then cut to length: a typed array over 64 bytes is allocated off the
    // V8 heap (~1.3 µs here; the array ~0.1 µs).
    const ids = new Array<number>(hits.keywordCount + hits.regexHits.length + hits.fileCount);
    let count = 0;
    // One keyword hit per phrase. A pattern repeated by several agents hits once per copy: it
    // counts once, as the number of its first copy (the copies share a key).
    for (let i = 0; i < hits.keywordCount; i++) ids[count++] = hits.keywordHits[i * 4]!;
    const regexBase = this.keywordStage.phrases.length;
    const firstOf = this.regexStage.firstOf;
    const regexStart = count;
    for (const pattern of hits.regexHits) {
      const trigger = regexBase + firstOf[pattern]!;
      let seen = false;
      for (let j = regexStart; j < count; j++) if (ids[j] === trigger) seen = true;
      if (!seen) ids[count++] = trigger;
    }
    if (hits.fileCount > 0 && paths.length > 0) {
      const globBase = regexBase + this.regexStage.patterns.length;
      const globStart = count;
      // Each glob once, in first-hit order: a scan of the few already kept, not a Set per call.
      for (let i = 0; i < hits.fileCount; i++) {
        const trigger = globBase + hits.fileHits[i * 2]!;
        let seen = false;
        for (let j = globStart; j < count; j++) if (ids[j] === trigger) seen = true;
        if (!seen) ids[count++] = trigger;
      }
    }
    ids.length = count;
    return ids;
  }

  private readonly keyOf = (trigger: number): string => this.triggerKey(trigger);

  /** The learning key of trigger number n: keywords first, then regexes, then globs (firedTriggers). */
  private triggerKey(trigger: number): string {
    const phrases = this.keywordStage.phrases.length;
    const patterns = this.regexStage.patterns.length;
    if (this.triggerKeys.length === 0) this.triggerKeys = new Array<string>(phrases + patterns + this.globStage.globs.length).fill('');
    const known = this.triggerKeys[trigger]!;
    if (known !== '') return known;
    const key =
      trigger < phrases
        ? `kw:${this.keywordStage.phrases[trigger]!}`
        : trigger < phrases + patterns
          ? `re:${this.regexStage.patterns[trigger - phrases]!}`
          : `glob:${this.globStage.globs[trigger - phrases - patterns]!}`;
    return (this.triggerKeys[trigger] = key);
  }

  /**
   * The learned stage: agents the team's outcomes tie to this request's features (learn/model.ts)
   * join the candidates with λ·L, L ∈ [0, 1] — also those no trigger found, which reordering by R
   * alone can never reach. Runs after the matching stages, so it never changes what they found.
   */
  private scoreLearned(learned: RequestReward): void {
    const board = this.board;
    const agents = learned.learnedAgents!;
    const scores = learned.learnedScores!;
    const weight = this.options.weights.learned;
    for (let i = 0; i < learned.learnedCount!; i++) {
      const row = board.touch(agents[i]!, STAGE_LEARNED);
      board.values[row + TERM_LEARNED] = scores[i]!;
      board.values[row + TERM_TOTAL]! += weight * scores[i]!;
    }
  }

  private scoreFiles(pathCount: number): void {
    const { hits, board, pathBest, pathStamp } = this;
    const values = board.values;
    const weight = this.options.weights.files;
    let currentPath = -1;
    for (let i = 0; i < hits.fileCount; i++) {
      const glob = hits.fileHits[i * 2]!;
      const path = hits.fileHits[i * 2 + 1]!;
      if (path !== currentPath) {
        currentPath = path;
        this.pathGeneration = (this.pathGeneration + 1) >>> 0 || (pathStamp.fill(0), 1);
      }
      const spec = this.globSpecificity[glob]!;
      const owners = this.globOwners[glob]!;
      for (let j = 0; j < owners.length; j++) {
        const agent = owners[j]!;
        const row = board.touch(agent, STAGE_FILES);
        // An agent gets the most specific of its globs per path, once per path.
        let delta = 0;
        if (pathStamp[agent] !== this.pathGeneration) {
          pathStamp[agent] = this.pathGeneration;
          pathBest[agent] = spec;
          delta = spec / pathCount;
        } else if (spec > pathBest[agent]!) {
          delta = (spec - pathBest[agent]!) / pathCount;
          pathBest[agent] = spec;
        }
        values[row + TERM_FILES]! += delta;
        values[row + TERM_TOTAL]! += weight * delta;
      }
    }
  }

  private scoreKeywords(): void {
    const { hits, board } = this;
    const values = board.values;
    const { keyword: keywordWeight, mention: mentionWeight } = this.options.weights;
    this.topicGeneration = (this.topicGeneration + 1) >>> 0 || (this.topicStamp.fill(0), 1);
    this.mentioned.length = 0;
    for (let i = 0; i < hits.keywordCount; i++) {
      const phrase = hits.keywordHits[i * 4]!;
      const owners = this.keywordOwners.at(phrase)!;
      const spec = this.keywordSpecificity[phrase]!;
      const gain = keywordWeight * spec;
      for (let j = 0; j < owners.length; j++) {
        const row = board.touch(owners[j]!, STAGE_KEYWORD);
        values[row + TERM_KEYWORD]! += spec;
        values[row + TERM_TOTAL]! += gain;
      }
      const named = this.mentionOwners.at(phrase)!;
      const mentionSpec = this.mentionSpecificity[phrase]!;
      for (let j = 0; j < named.length; j++) {
        const row = board.touch(named[j]!, STAGE_KEYWORD);
        const before = values[row + TERM_MENTION]!;
        if (mentionSpec <= before) continue;
        values[row + TERM_MENTION] = mentionSpec;
        values[row + TERM_TOTAL]! += mentionWeight * (mentionSpec - before);
      }
      this.mention(this.keywordStage.topicOf[phrase]!);
    }
  }

  private scoreRegexes(): void {
    const { hits, board } = this;
    const weight = this.options.weights.regex;
    for (const pattern of hits.regexHits) {
      const value = this.regexStage.priorities[pattern]! / 10;
      for (const agent of this.regexStage.agentsOf[pattern]!) {
        const row = board.touch(agent, STAGE_REGEX);
        board.values[row + TERM_REGEX]! += value;
        board.values[row + TERM_TOTAL]! += weight * value;
      }
    }
  }

  private scoreSemantic(query: string): void {
    if (query.trim().length === 0) return;
    this.semanticStage.match(query, this.hits, this.options.semanticMinRelative);
    const best = this.hits.semantic[0]?.score ?? 0;
    if (best <= 0) return;
    for (const hit of this.hits.semantic) {
      const relative = hit.score / best;
      if (relative < this.options.semanticMinRelative) break;
      const row = this.board.touch(hit.doc, STAGE_SEMANTIC);
      this.board.values[row + TERM_SEMANTIC] = relative;
      this.board.values[row + TERM_TOTAL]! += this.options.weights.semantic * relative;
    }
  }

  /** Affinity: for each topic in play, the touched agents that name it gain 1 / topics in play. */
  private scoreAffinity(paths: readonly string[]): void {
    if (this.topicNames.length === 0) return;
    for (const path of paths) {
      const numbers = this.topicNumbersOf(topicsOfPath(path));
      for (let i = 0; i < numbers.length; i++) this.mention(numbers[i]!);
    }
    if (this.mentioned.length === 0) return;
    const board = this.board;
    const share = 1 / this.mentioned.length;
    const gain = this.options.weights.affinity * share;
    // Walk whichever is shorter: the owners of the topics in play ("typescript" has hundreds), or
    // the touched agents with their topics. Every addition is the same `share` and `gain`, so
    // both orders give each agent bit-identical sums.
    let owners = 0;
    for (const topic of this.mentioned) owners += this.topicAgents[topic]!.length;
    // Compared with the touched count itself: weighing it by topics per agent (the walk's real
    // length) chose the owners more often and measured 4–15 % slower at 10,000 agents.
    if (owners > board.touchedCount) {
      const { agentTopicStart, agentTopics, topicStamp, topicGeneration } = this;
      const values = board.values;
      for (let i = 0; i < board.touchedCount; i++) {
        const agent = board.touched[i]!;
        for (let t = agentTopicStart[agent]!, end = agentTopicStart[agent + 1]!; t < end; t++) {
          if (topicStamp[agentTopics[t]!] !== topicGeneration) continue;
          values[agent * STRIDE + TERM_AFFINITY]! += share;
          values[agent * STRIDE + TERM_TOTAL]! += gain;
        }
      }
      return;
    }
    for (const topic of this.mentioned) {
      const owners = this.topicAgents[topic]!;
      for (let j = 0; j < owners.length; j++) {
        if (!board.isTouched(owners[j]!)) continue;
        board.values[owners[j]! * STRIDE + TERM_AFFINITY]! += share;
        board.values[owners[j]! * STRIDE + TERM_TOTAL]! += gain;
      }
    }
  }

  /** Topic numbers (-1: no agent names it) of one of topicsOfPath's arrays, memoized by array: a handful exist. */
  private topicNumbersOf(topics: readonly string[]): Int32Array {
    let numbers = this.pathTopicNumbers.get(topics);
    if (numbers === undefined) {
      numbers = Int32Array.from(topics, (topic) => this.topicNumber.get(topic) ?? -1);
      this.pathTopicNumbers.set(topics, numbers);
    }
    return numbers;
  }

  private mention(topic: number): void {
    if (topic < 0 || this.topicStamp[topic] === this.topicGeneration) return;
    this.topicStamp[topic] = this.topicGeneration;
    this.mentioned.push(topic);
  }

  private topic(name: string): number {
    let number = this.topicNumber.get(name);
    if (number === undefined) {
      this.topicNumber.set(name, (number = this.topicNumber.size));
      this.topicNames.push(name);
      this.topicAgents.push([]);
    }
    return number;
  }

  private info(agent: number): { tier: RouteCandidate['tier']; domain: string } {
    const id = this.agents[agent]!;
    const routing = this.table.agents?.[id];
    if (routing) return { tier: routing.tier, domain: routing.domain };
    const entry = this.fleet.index?.agents.find((a) => a.id === id);
    return { tier: entry?.tier ?? 'specialist', domain: entry?.domain ?? '' };
  }

  private result(request: RouteRequest, state: RankedState, candidates: RouteResult['candidates'], top: number): RouteResult {
    const stagesFired: StageName[] = [];
    const bits = state.stageUnion;
    if (bits & STAGE_FILES) stagesFired.push('files');
    if (bits & STAGE_KEYWORD) stagesFired.push('keyword');
    if (bits & STAGE_REGEX) stagesFired.push('regex');
    if (bits & STAGE_SEMANTIC) stagesFired.push('semantic');
    if (bits & STAGE_LEARNED) stagesFired.push('learned');
    const result = new StagedRouteResult(this.table.hash, request, candidates, state.considered, stagesFired, state.diagnostics);
    if (state.fired) result.setFired(state.fired);
    const triggered = (bits & (STAGE_FILES | STAGE_KEYWORD | STAGE_REGEX)) !== 0;
    if (!triggered && (bits & STAGE_SEMANTIC) !== 0) {
      result.fallback = { kind: 'semantic', reason: 'no keyword, regex or glob matched; ranked by lexical similarity' };
    } else if (candidates.length === 0) this.fallBack(result, state, top);
    return result;
  }

  private fallBack(result: RouteResult, state: RankedState, top: number): void {
    const tried = state.semanticRan
      ? 'no keyword, regex or glob matched and no agent is lexically similar'
      : 'no keyword, regex or glob matched';
    const empty = state.task.trim().length === 0 && state.paths.length === 0;
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
