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
 * get tried (keeping them at the prior mean measured as never exploring: docs/learning.md).
 * Hot path: compiled-state.ts sums the evidence with array adds; values are read by the router's
 * agent number from typed arrays — nothing is allocated per agent per call.
 * Invariants: nothing learned → `undefined` (the router keeps R neutral, byte-identical routing);
 * value(id) and detail(id) agree within a request.
 */
import { CompiledState } from './compiled-state.js';
import { featuresOf, wordLabels } from './features.js';
import { beta, createRandom, type Random } from './random.js';
import type { LearnedState } from './state.js';
import type { BoundLearnedModel, LearnedModel, RequestReward, RewardContext } from '../router/types.js';
import type { TriggerTable } from '../fleet/types.js';

/**
 * Weight of an agent's context-free record in R(agent | context). 0: in the simulation a share of
 * 0.25 (or 0.1) doubles the regret — a context-blind success rate keeps pulling traffic to the
 * agent that is best on average — and on the dev sets it changes nothing (docs/learning.md).
 * The agent-level posterior is what `stats` shows as R(agent).
 */
export const AGENT_EVIDENCE_SHARE = 0;

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
export interface Posterior { prior: number; alpha: number; beta: number; agentTrials: number; contextTrials: number }

/**
 * Builds the router's learned model over a state.
 *
 * @example
 * const router = createRouter(fleet, { learned: createLearnedModel(state, priorsFrom(fleet.triggers), { explore: false, priorStrength: 2 }) });
 */
export function createLearnedModel(state: LearnedState, priors: ReadonlyMap<string, number>, options: ModelOptions): LearnedModel {
  const random = options.explore ? options.random ?? createRandom(options.seed ?? 0) : undefined;
  const compiled = new CompiledState(state);
  const k = options.priorStrength;
  return {
    bind(agents: readonly string[]): BoundLearnedModel {
      const prior = Float64Array.from(agents, (id) => priors.get(id) ?? NEUTRAL_PRIOR);
      // Router agent number → compiled agent number (-1: no evidence yet); refreshed per compile.
      let toCompiled = new Int32Array(agents.length).fill(-1);
      // Compiled agent number → router agent number (-1: not in this fleet).
      let toRouter = new Int32Array(0);
      let mappedAt = -1;
      const number = new Map(agents.map((id, n) => [id, n]));
      const learnedAgents = new Int32Array(agents.length);
      const learnedScores = new Float64Array(agents.length);
      const drawn = new Float64Array(agents.length);
      const drawnStamp = new Uint32Array(agents.length);
      let requests = 0;
      return {
        forRequest(context: RewardContext): RequestReward | undefined {
          if (state.outcomes === 0) return undefined;
          compiled.collect(context.task, context.paths, context.fired);
          if (mappedAt !== compiled.compiledAt) {
            mappedAt = compiled.compiledAt;
            toCompiled = Int32Array.from(agents, (id) => compiled.number.get(id) ?? -1);
            toRouter = new Int32Array(compiled.number.size).fill(-1);
            for (const [id, at] of compiled.number) toRouter[at] = number.get(id) ?? -1;
          }
          // The learned stage: agents whose successes share enough of this request's features.
          let learnedCount = 0;
          const { touched, touchedCount, sums, featureCount } = compiled;
          if (featureCount > 0) {
            for (let i = 0; i < touchedCount; i++) {
              const at = touched[i]!;
              const score = sums[at * 3 + 2]! / featureCount;
              if (score < LEARNED_MIN_SCORE || toRouter[at]! < 0) continue;
              learnedAgents[learnedCount] = toRouter[at]!;
              learnedScores[learnedCount++] = score;
            }
          }
          requests = (requests + 1) >>> 0 || (drawnStamp.fill(0), 1);
          const { stamp, generation } = compiled;
          const evidence = (agent: number): [number, number] | undefined => {
            const at = toCompiled[agent]!;
            return at < 0 || stamp[at] !== generation ? undefined : [sums[at * 3]!, sums[at * 3 + 1]!];
          };
          const mean = (agent: number): number => {
            const at = toCompiled[agent]!;
            if (at < 0 || stamp[at] !== generation) return prior[agent]!;
            return (k * prior[agent]! + sums[at * 3]!) / (k + sums[at * 3 + 1]!);
          };
          const value = (agent: number): number => {
            if (AGENT_EVIDENCE_SHARE === 0 && !random) return mean(agent);
            if (drawnStamp[agent] === requests) return drawn[agent]!;
            const p = posteriorOf(state, priors, k, agents[agent]!, evidence(agent));
            drawnStamp[agent] = requests;
            return (drawn[agent] = random ? beta(random, p.alpha, p.beta) : meanOf(p));
          };
          // Explanations are written when read, maybe after later routes: from the request's
          // features and the state, never from this call's scratch sums.
          let features: string[] | undefined;
          const featuresOfRequest = () => (features ??= featuresOf(context.task, context.paths, context.fired));
          const detail = (agent: number, used: number): string => {
            const p = posteriorOf(state, priors, k, agents[agent]!, compiled.evidenceOver(featuresOfRequest(), agents[agent]!));
            const how = random ? 'Thompson sample' : 'posterior mean';
            return `R: prior ${p.prior.toFixed(3)} → learned ${used.toFixed(3)} (${how}; ${round(p.agentTrials)} outcome(s) for the agent, ${round(p.contextTrials)} in this context)`;
          };
          const learnedDetail = (agent: number, score: number): string => {
            const features = featuresOfRequest();
            const best = compiled.strongestFeature(features, agents[agent]!);
            if (!best) return 'learned: no evidence in this request';
            const words = new Map(wordLabels(context.task));
            const name = best.feature.startsWith('w:') ? `word '${words.get(best.feature) ?? best.feature}'`
              : best.feature.startsWith('kw:') ? `keyword '${best.feature.slice(3)}'` : best.feature.startsWith('re:') ? `regex /${best.feature.slice(3)}/`
                : best.feature.startsWith('glob:') ? `glob ${best.feature.slice(5)}` : best.feature.startsWith('ext:') ? `extension .${best.feature.slice(4)}` : `folder ${best.feature.slice(4)}/`;
            return `learned: ${name} → ${agents[agent]!} (${round(best.successes)} ok / ${round(best.trials - best.successes)} fail, weighted 1/√features); `
              + `learned score ${score.toFixed(3)} (idf-weighted share of the request's ${featureCount} features)`;
          };
          return { value, detail, learnedCount, learnedAgents, learnedScores, learnedDetail };
        },
      };
    },
  };
}

function meanOf(p: Posterior): number {
  return p.alpha / (p.alpha + p.beta);
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
export function posteriorOf(state: LearnedState, priors: ReadonlyMap<string, number>, strength: number, id: string, context: readonly [number, number] | undefined): Posterior {
  const prior = priors.get(id) ?? NEUTRAL_PRIOR;
  const record = state.agents.get(id);
  const trials = record?.trials ?? 0;
  const successes = record?.successes ?? 0;
  const [cs, cn] = context ?? [0, 0];
  return {
    prior,
    alpha: strength * prior + AGENT_EVIDENCE_SHARE * successes + cs,
    beta: strength * (1 - prior) + AGENT_EVIDENCE_SHARE * (trials - successes) + (cn - cs),
    agentTrials: trials, contextTrials: cn,
  };
}

function round(value: number): string {
  return String(Math.round(value * 100) / 100);
}
