/**
 * A bandit simulation with hidden success rates, used by the tests and `bench/learn-sim.ts` to
 * choose and check the policy: Thompson sampling through the real learned model (model.ts over
 * state.ts), LinUCB (disjoint, one-hot context) and ε-greedy as the naive baseline, on the same
 * seeded task stream. Regret is expected regret: Σ (best rate in the context − chosen agent's).
 *
 * @example simulate({ policy: 'thompson', tasks: 2000, seed: 7 }).regret // ≈ 40
 */
import { createLearnedModel } from './model.js';
import { createRandom, type Random } from './random.js';
import { applyOutcome, emptyState } from './state.js';

export type PolicyName = 'thompson' | 'linucb' | 'epsilon-greedy';

/** One context: its features and each agent's hidden success rate there. */
export interface SimContext {
  features: string[];
  rates: number[];
}

/**
 * The default world: five agents, three kinds of task. Agent 4 is best overall; in the "deploy"
 * context agent 2 is best, so a context-blind learner keeps paying regret there.
 */
export const DEFAULT_WORLD: SimContext[] = [
  { features: ['kw:review', 'w:diff'], rates: [0.3, 0.45, 0.5, 0.6, 0.8] },
  { features: ['kw:test', 'w:flaky'], rates: [0.35, 0.4, 0.55, 0.5, 0.75] },
  { features: ['kw:deploy', 'w:rollback'], rates: [0.4, 0.3, 0.85, 0.5, 0.6] },
];

/** LinUCB's exploration width: the textbook α = 1 for rewards in [0, 1]. */
export const LINUCB_ALPHA = 1;
/** ε-greedy explores 10 % of the time: the usual baseline setting. */
export const EPSILON = 0.1;

export interface SimOptions {
  policy: PolicyName;
  tasks: number;
  seed: number;
  world?: SimContext[];
}

export interface SimResult {
  policy: PolicyName;
  /** Cumulative expected regret after each task. */
  regretCurve: number[];
  regret: number;
  /** Share of tasks routed to the context's best agent, per window of `window` tasks. */
  bestShare: number[];
  window: number;
  /** First task after which every later window routes > 50 % to the best agent (-1: never). */
  shiftedAt: number;
}

const WINDOW = 100;

export function simulate(options: SimOptions): SimResult {
  const world = options.world ?? DEFAULT_WORLD;
  const agents = world[0]!.rates.length;
  const random = createRandom(options.seed);
  const choose = policyOf(options.policy, agents, random, world);
  const regretCurve: number[] = [];
  const best: number[] = [];
  let regret = 0;
  for (let t = 0; t < options.tasks; t++) {
    const context = Math.floor(random.next() * world.length);
    const { features, rates } = world[context]!;
    const agent = choose.pick(features);
    const top = Math.max(...rates);
    regret += top - rates[agent]!;
    regretCurve.push(regret);
    best.push(rates[agent] === top ? 1 : 0);
    choose.update(features, agent, random.next() < rates[agent]! ? 1 : 0, t);
  }
  const bestShare: number[] = [];
  for (let i = 0; i < best.length; i += WINDOW)
    bestShare.push(best.slice(i, i + WINDOW).reduce((a, b) => a + b, 0) / Math.min(WINDOW, best.length - i));
  let last = bestShare.length;
  while (last > 0 && bestShare[last - 1]! > 0.5) last--;
  return {
    policy: options.policy,
    regretCurve,
    regret,
    bestShare,
    window: WINDOW,
    shiftedAt: last === bestShare.length ? -1 : last * WINDOW,
  };
}

interface Policy {
  pick(features: string[]): number;
  update(features: string[], agent: number, reward: number, t: number): void;
}

function policyOf(name: PolicyName, agents: number, random: Random, world: SimContext[]): Policy {
  if (name === 'linucb') return linUcb(agents, [...new Set(world.flatMap((c) => c.features))].sort());
  const ids = Array.from({ length: agents }, (_, i) => `agent-${i}`);
  const state = emptyState();
  const priors = new Map(ids.map((id) => [id, 0.5]));
  const explore = name === 'thompson';
  const model = createLearnedModel(state, priors, { explore, random, priorStrength: 2 }).bind(ids);
  return {
    pick(features) {
      if (name === 'epsilon-greedy' && random.next() < EPSILON) return Math.floor(random.next() * agents);
      const reward = model.forRequest({ task: '', paths: [], fired: features });
      if (!reward) return Math.floor(random.next() * agents);
      let bestAgent = 0;
      for (let a = 1; a < agents; a++) if (reward.value(a) > reward.value(bestAgent)) bestAgent = a;
      return bestAgent;
    },
    update(features, agent, reward, t) {
      const at = new Date(Date.UTC(2026, 0, 1) + t * 1000).toISOString();
      applyOutcome(
        state,
        {
          agent: ids[agent]!,
          alias: ids[agent]!,
          ok: reward === 1,
          latency_ms: 1,
          retries: 0,
          tool_errors: 0,
          stop_reason: 'simulated',
          task_hash: '',
          at,
        },
        features,
        0.1,
      );
    },
  };
}

/** Disjoint LinUCB over one-hot features plus a bias, A⁻¹ kept by Sherman–Morrison updates. */
function linUcb(agents: number, vocabulary: string[]): Policy {
  const d = vocabulary.length + 1;
  const inverse = Array.from({ length: agents }, () =>
    Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0))),
  );
  const b = Array.from({ length: agents }, () => new Array<number>(d).fill(0));
  const vector = (features: string[]) => [1, ...vocabulary.map((f) => (features.includes(f) ? 1 : 0))];
  const times = (m: number[][], x: number[]) => m.map((row) => row.reduce((s, v, j) => s + v * x[j]!, 0));
  const dot = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i]!, 0);
  return {
    pick(features) {
      const x = vector(features);
      let bestAgent = 0;
      let bestScore = -Infinity;
      for (let a = 0; a < agents; a++) {
        const ax = times(inverse[a]!, x);
        const score = dot(ax, b[a]!) + LINUCB_ALPHA * Math.sqrt(Math.max(0, dot(x, ax)));
        if (score > bestScore) [bestScore, bestAgent] = [score, a];
      }
      return bestAgent;
    },
    update(features, agent, reward) {
      const x = vector(features);
      const m = inverse[agent]!;
      const mx = times(m, x);
      const denominator = 1 + dot(x, mx);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) m[i]![j]! -= (mx[i]! * mx[j]!) / denominator;
      for (let i = 0; i < d; i++) b[agent]![i]! += reward * x[i]!;
    },
  };
}
