/**
 * The reward simulation: agents that succeed equally often but differ in speed and price, routed
 * by Thompson sampling through the real learned model (model.ts over state.ts), once learning
 * from the reward (reward.ts: success discounted by latency and cost) and once from success
 * alone (the loop before rewards). Figures for docs/learning.md and the test: the share of traffic
 * on the fast, cheap agent, the regret in expected reward, and what was spent.
 *
 * @example simulateReward({ tasks: 2000, seed: 7, learnFrom: 'reward' }).cheapShare.at(-1) // > 0.8
 */
import { createLearnedModel } from './model.js';
import { createRandom } from './random.js';
import { DEFAULT_REWARD, rewardOf } from './reward.js';
import { applyOutcome, emptyState } from './state.js';
import type { Workload } from '../fleet/workload.js';

/** One agent of the simulated world: its hidden success rate, mean latency and mean cost per task. */
export interface RewardSimAgent {
  success: number;
  latencyMs: number;
  costUsd: number;
}

/**
 * Three coding agents: equal success, the first slow and costly (a large model), the second fast
 * and cheap (a small one), the third cheap but failing more. The best choice is agent 1.
 */
export const REWARD_WORLD: RewardSimAgent[] = [
  { success: 0.8, latencyMs: 90_000, costUsd: 0.12 },
  { success: 0.8, latencyMs: 20_000, costUsd: 0.01 },
  { success: 0.6, latencyMs: 15_000, costUsd: 0.005 },
];

export interface RewardSimOptions {
  tasks: number;
  seed: number;
  learnFrom: 'reward' | 'success';
  world?: RewardSimAgent[];
  workload?: Workload;
}

export interface RewardSimResult {
  /** Share of tasks routed to the agent with the highest expected reward, per window of 100. */
  cheapShare: number[];
  /** Cumulative expected-reward regret (Σ best expected reward − chosen agent's). */
  regret: number;
  costUsd: number;
  /** Mean latency of the routed tasks, ms. */
  meanLatencyMs: number;
  successes: number;
  /** Per agent: its share of the first and of the last window of tasks (the traffic the loop moved). */
  shares: Array<{ agent: string; first: number; last: number }>;
}

const WINDOW = 100;
/** Latency and cost vary ±50 % around the agent's mean, uniformly. */
const SPREAD = 0.5;

export function simulateReward(options: RewardSimOptions): RewardSimResult {
  const world = options.world ?? REWARD_WORLD;
  const workload = options.workload ?? 'coding';
  const random = createRandom(options.seed);
  const ids = world.map((_, index) => `agent-${index}`);
  const state = emptyState();
  const model = createLearnedModel(state, new Map(ids.map((id) => [id, 0.5])), { explore: true, random, priorStrength: 2 }).bind(ids);
  // Expected reward of each agent at its mean latency and cost (the regret's yardstick).
  const expected = world.map(
    (agent) => agent.success * rewardOf({ ok: true, latency_ms: agent.latencyMs, cost_usd: agent.costUsd }, workload, DEFAULT_REWARD),
  );
  const best = expected.indexOf(Math.max(...expected));
  const features = ['kw:implement', 'w:feature'];
  const chosenBest: number[] = [];
  const chosen: number[] = [];
  let regret = 0,
    cost = 0,
    latency = 0,
    successes = 0;
  for (let t = 0; t < options.tasks; t++) {
    const reward = model.forRequest({ task: '', paths: [], fired: features });
    let agent = 0;
    if (!reward) agent = Math.floor(random.next() * world.length);
    else for (let a = 1; a < world.length; a++) if (reward.value(a) > reward.value(agent)) agent = a;
    const truth = world[agent]!;
    const ok = random.next() < truth.success;
    const latencyMs = truth.latencyMs * (1 - SPREAD + 2 * SPREAD * random.next());
    const costUsd = truth.costUsd * (1 - SPREAD + 2 * SPREAD * random.next());
    regret += expected[best]! - expected[agent]!;
    cost += costUsd;
    latency += latencyMs;
    if (ok) successes++;
    chosenBest.push(agent === best ? 1 : 0);
    chosen.push(agent);
    const outcome = {
      agent: ids[agent]!,
      alias: ids[agent]!,
      ok,
      latency_ms: latencyMs,
      cost_usd: costUsd,
      retries: 0,
      tool_errors: 0,
      stop_reason: 'simulated',
      task_hash: '',
      at: new Date(Date.UTC(2026, 0, 1) + t * 1000).toISOString(),
    };
    const learned = options.learnFrom === 'reward' && ok ? { ...outcome, reward: rewardOf(outcome, workload, DEFAULT_REWARD) } : outcome;
    applyOutcome(state, learned, features, 0.1);
  }
  const cheapShare: number[] = [];
  for (let i = 0; i < chosenBest.length; i += WINDOW)
    cheapShare.push(chosenBest.slice(i, i + WINDOW).reduce((a, b) => a + b, 0) / Math.min(WINDOW, chosenBest.length - i));
  const first = chosen.slice(0, WINDOW);
  const last = chosen.slice(-WINDOW);
  const share = (window: number[], agent: number) => window.filter((a) => a === agent).length / Math.max(1, window.length);
  const shares = ids.map((agent, index) => ({ agent, first: share(first, index), last: share(last, index) }));
  return { cheapShare, regret, costUsd: cost, meanLatencyMs: latency / options.tasks, successes, shares };
}
