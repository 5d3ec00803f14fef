/**
 * The router's view of the learned state: R(agent | context), the posterior of a Beta–Bernoulli
 * bandit whose prior comes from the compiled fleet and whose evidence is the per-feature counts
 * W[feature → agent] of the request's features.
 *
 * Naive approach: one success rate per agent — it cannot learn that the reviewer is right for
 * "review my PR" and wrong for "why is the build slow". What we do: each outcome counts 1/√m for
 * each of the m features of its decision's context (state.ts: featureShare); a new request sums
 * the evidence of the features it shares, so a related request gets a share that grows with the
 * features it has in common. α = k·prior + G·successes + Σ W_s, β = k·(1 − prior) + G·failures
 * + Σ W_f (G = 0, see below). `explore` off ranks on the posterior mean α / (α + β)
 * (deterministic); on, on a Beta(α, β) draw from a seeded source (Thompson sampling) — agents
 * with no evidence in this context are drawn from their prior, which is what makes untried agents
 * get tried (an agent kept at its prior mean is never explored: docs/learning.md). A request
 * where no agent has evidence draws nothing: R − prior is 0 for all, the answer of an empty log.
 * The router's term is R − prior: what was learned beyond the fleet's prior, 0 without evidence in
 * this context, so a prior alone never reorders a near-tie nobody fed back on (docs/learning.md).
 * Hot path: compiled-state.ts sums the evidence with array adds; values are read by the router's
 * agent number from typed arrays; one object per request (ContextReward), nothing per agent.
 * Invariants: nothing learned → `undefined` (the router keeps R neutral, byte-identical routing);
 * value(id) and detail(id) agree within a request.
 */
import { CompiledState, SUM } from './compiled-state.js';
import { featuresOf, wordLabels } from './features.js';
import { beta, createRandom, type Random } from './random.js';
import type { LearnedState } from './state.js';
import type { BoundLearnedModel, LearnedModel, RequestReward, RewardContext } from '../router/types.js';
import type { TriggerTable } from '../fleet/types.js';

/**
 * A learned score under this share of the request's evidence does not make an agent a candidate:
 * one shared common word among thirty is noise. Measured on the dev sets (docs/learning.md).
 */
export const LEARNED_MIN_SCORE = 0.05;

/** Prior when the fleet gives none (an agent missing from triggers.json): no opinion. */
const NEUTRAL_PRIOR = 0.5;

export interface ModelOptions {
  explore: boolean;
  /** The seed of the sampler (explore on); ignored when `random` is given. */
  seed?: number;
  random?: Random;
  priorStrength: number;
}

/** Prior R0(agent) per agent: the mean of its capabilities.quality, from triggers.json. */
export function priorsFrom(triggers: Pick<TriggerTable, 'agents'>): Map<string, number> {
  return new Map(Object.entries(triggers.agents ?? {}).map(([id, info]) => [id, Number.isFinite(info.prior) ? info.prior : NEUTRAL_PRIOR]));
}

/** The Beta posterior of one agent in one context. */
export interface Posterior {
  prior: number;
  alpha: number;
  beta: number;
  agentTrials: number;
  contextTrials: number;
}

/**
 * Builds the router's learned model over a state.
 *
 * @example
 * const router = createRouter(fleet, { learned: createLearnedModel(state, priorsFrom(fleet.triggers), { explore: false, priorStrength: 2 }) });
 */
export function createLearnedModel(state: LearnedState, priors: ReadonlyMap<string, number>, options: ModelOptions): LearnedModel {
  const random = options.explore ? (options.random ?? createRandom(options.seed ?? 0)) : undefined;
  return { bind: (agents, triggerKey) => new BoundModel(state, priors, options.priorStrength, random, agents, triggerKey) };
}

/**
 * The model bound to one router's agent numbers: its own compiled state, numbered as the router
 * numbers its agents (no mapping per agent on the hot path), scratch arrays sized once.
 */
class BoundModel implements BoundLearnedModel {
  readonly prior: Float64Array;
  readonly compiled: CompiledState;
  private readonly number: Map<string, number>;
  readonly learnedAgents: Int32Array;
  readonly learnedScores: Float64Array;
  readonly evidenceAgents: Int32Array;
  readonly evidenceValues: Float64Array;
  readonly drawn: Float64Array;
  readonly drawnStamp: Uint32Array;
  requests = 0;
  /** R − prior lies in [−prior, 1 − prior]: the widest swing between two agents bounds the router's R cut. */
  readonly span: number;

  constructor(
    readonly state: LearnedState,
    readonly priors: ReadonlyMap<string, number>,
    readonly k: number,
    readonly random: Random | undefined,
    readonly agents: readonly string[],
    private readonly triggerKey?: (trigger: number) => string,
  ) {
    this.prior = Float64Array.from(agents, (id) => priors.get(id) ?? NEUTRAL_PRIOR);
    this.compiled = new CompiledState(state, agents, this.prior);
    this.number = new Map(agents.map((id, n) => [id, n]));
    this.learnedAgents = new Int32Array(agents.length);
    this.learnedScores = new Float64Array(agents.length);
    this.evidenceAgents = new Int32Array(agents.length);
    this.evidenceValues = new Float64Array(agents.length);
    this.drawn = new Float64Array(agents.length);
    this.drawnStamp = new Uint32Array(agents.length);
    let lowest = 1;
    let highest = 0;
    for (const p of this.prior) {
      lowest = Math.min(lowest, p);
      highest = Math.max(highest, p);
    }
    this.span = agents.length === 0 ? 1 : 1 - lowest + highest;
  }

  forRequest(context: RewardContext): RequestReward | undefined {
    if (this.state.outcomes === 0) return undefined;
    const compiled = this.compiled;
    compiled.refresh();
    const ids = context.firedIds;
    if (ids && this.triggerKey) compiled.collectTriggers(context.task, context.paths, ids, this.triggerKey);
    else compiled.collect(context.task, context.paths, context.fired);
    // One pass over the agents with evidence: the learned stage (agents whose net successes
    // share enough of this request's features) and, explore off, the R term of each (0 for
    // every agent not listed, so the router reads only these). Cells are numbered as the
    // router's agents; numbers from fleetSize on are agents this fleet does not have.
    const { touched, touchedCount, sums, featureCount, fleetSize } = compiled;
    const { k, learnedAgents, learnedScores, evidenceAgents, evidenceValues } = this;
    const norm = featureCount > 0 ? 1 / featureCount : 0;
    const means = this.random === undefined;
    let learnedCount = 0;
    let evidenceCount = 0;
    let witnessed = false;
    for (let i = 0; i < touchedCount; i++) {
      const agent = touched[i]!;
      if (agent >= fleetSize) continue;
      const at = agent * SUM;
      if (sums[at + 1]! > 0) witnessed = true;
      const score = sums[at + 2]! * norm;
      if (score >= LEARNED_MIN_SCORE) {
        learnedAgents[learnedCount] = agent;
        learnedScores[learnedCount++] = score;
      }
      if (!means) continue;
      const trials = sums[at + 1]!;
      evidenceAgents[evidenceCount] = agent;
      evidenceValues[evidenceCount++] = (sums[at]! - sums[at + 3]! * trials) / (k + trials);
    }
    this.requests = (this.requests + 1) >>> 0 || (this.drawnStamp.fill(0), 1);
    return new ContextReward(this, context, this.requests, compiled.generation, featureCount, learnedCount, evidenceCount, witnessed);
  }
}

/**
 * R for one request. A class, not closures: its methods live on the prototype, so a route
 * allocates one small object. `value` reads the scratch sums of its own `collect` (valid within
 * the route); `detail` and `learnedDetail` are read later and recompute from the request's
 * features and the state.
 */
class ContextReward implements RequestReward {
  readonly span: number;
  readonly learnedAgents: Int32Array;
  readonly learnedScores: Float64Array;
  readonly exploring: boolean;
  readonly evidenceAgents: Int32Array;
  readonly evidenceValues: Float64Array;
  private features: string[] | undefined;

  constructor(
    private readonly model: BoundModel,
    private readonly context: RewardContext,
    private readonly request: number,
    private readonly generation: number,
    private readonly featureCount: number,
    readonly learnedCount: number,
    readonly evidenceCount: number,
    /** Whether some agent of this fleet has evidence in the request's context. */
    private readonly witnessed: boolean,
  ) {
    this.span = model.span;
    this.learnedAgents = model.learnedAgents;
    this.learnedScores = model.learnedScores;
    this.exploring = model.random !== undefined;
    this.evidenceAgents = model.evidenceAgents;
    this.evidenceValues = model.evidenceValues;
  }

  /** R − prior: the posterior mean's (explore off) or a Beta draw's distance from the prior. */
  value(agent: number): number {
    const model = this.model;
    const compiled = model.compiled;
    // Agents without evidence in this request have 0 sums; an older request's reward reads none.
    const current = compiled.generation === this.generation;
    const successes = current ? compiled.sums[agent * SUM]! : 0;
    const trials = current ? compiled.sums[agent * SUM + 1]! : 0;
    const p = model.prior[agent]!;
    const k = model.k;
    if (!model.random) return (successes - p * trials) / (k + trials);
    // A request no outcome speaks to (no agent has evidence in its context) is routed as with an
    // empty log: a draw there is noise around the prior that informs nothing, and one outcome
    // anywhere would reorder every unrelated route (docs/learning.md).
    if (!this.witnessed) return 0;
    if (model.drawnStamp[agent] === this.request) return model.drawn[agent]!;
    model.drawnStamp[agent] = this.request;
    // The posterior is the prior plus the context's evidence: an agent's context-free record
    // keeps pulling traffic to the agent that is best on average (docs/learning.md).
    return (model.drawn[agent] = beta(model.random, k * p + successes, k * (1 - p) + trials - successes) - p);
  }

  detail(agent: number, used: number): string {
    const model = this.model;
    const id = model.agents[agent]!;
    const p = posteriorOf(model.state, model.priors, model.k, id, model.compiled.evidenceOver(this.featuresOfRequest(), id));
    const how = model.random ? 'Thompson sample' : 'posterior mean';
    return `R: prior ${p.prior.toFixed(3)} → learned ${(p.prior + used).toFixed(3)} (${how}; ${round(p.agentTrials)} outcome(s) for the agent, ${round(p.contextTrials)} in this context); the term is R − prior`;
  }

  learnedDetail(agent: number, score: number): string {
    const model = this.model;
    const id = model.agents[agent]!;
    const best = model.compiled.strongestFeature(this.featuresOfRequest(), id);
    if (!best) return 'learned: no evidence in this request';
    const words = new Map(wordLabels(this.context.task));
    const name = best.feature.startsWith('w:')
      ? `word '${words.get(best.feature) ?? best.feature}'`
      : best.feature.startsWith('kw:')
        ? `keyword '${best.feature.slice(3)}'`
        : best.feature.startsWith('re:')
          ? `regex /${best.feature.slice(3)}/`
          : best.feature.startsWith('glob:')
            ? `glob ${best.feature.slice(5)}`
            : best.feature.startsWith('ext:')
              ? `extension .${best.feature.slice(4)}`
              : `folder ${best.feature.slice(4)}/`;
    return (
      `learned: ${name} → ${id} (${round(best.successes)} ok / ${round(best.trials - best.successes)} fail, weighted 1/√features); ` +
      `learned score ${score.toFixed(3)} (idf-weighted share of the request's ${this.featureCount} features)`
    );
  }

  private featuresOfRequest(): string[] {
    return (this.features ??= featuresOf(this.context.task, this.context.paths, this.context.fired));
  }
}

/** Evidence per agent summed over the request's features: agent → [successes, trials] (for tools and tests). */
export function contextEvidence(state: LearnedState, features: readonly string[]): Map<string, [number, number]> {
  const evidence = new Map<string, [number, number]>();
  for (const feature of features) {
    for (const [id, cell] of state.weights.get(feature) ?? []) {
      const sum = evidence.get(id) ?? [0, 0];
      sum[0] += cell[0];
      sum[1] += cell[1];
      evidence.set(id, sum);
    }
  }
  return evidence;
}

/** α and β of an agent given the context's evidence (see the top of this file). */
export function posteriorOf(
  state: LearnedState,
  priors: ReadonlyMap<string, number>,
  strength: number,
  id: string,
  context: readonly [number, number] | undefined,
): Posterior {
  const prior = priors.get(id) ?? NEUTRAL_PRIOR;
  const record = state.agents.get(id);
  const trials = record?.trials ?? 0;
  const [cs, cn] = context ?? [0, 0];
  return {
    prior,
    alpha: strength * prior + cs,
    beta: strength * (1 - prior) + (cn - cs),
    agentTrials: trials,
    contextTrials: cn,
  };
}

function round(value: number): string {
  return String(Math.round(value * 100) / 100);
}
