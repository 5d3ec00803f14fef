/**
 * The reward the bandit learns from: f(success, latency, cost, review verdict) in [0, 1].
 *
 *   reward = 0                                                     for a failure
 *   reward = 1 − w_latency·L − w_cost·C − w_review·V               for a success
 *   L = latency / (latency + latency_ref[tier])    C = cost / (cost + cost_ref[tier])
 *   V = 0 approved or no review · 0.5 changes requested · 1 rejected
 *
 * L and C are normalised per workload tier (src/fleet/workload.ts): a reasoning agent's minute
 * and an orchestrator's ten seconds both read 0.5 at their tier's reference, so a cheap fast
 * agent is not punished for a heavy task, and agents are compared with the others of their kind.
 * x / (x + ref) keeps every term in [0, 1) without a cap to tune and is 0 when unmeasured
 * (latency −1, no cost): an outcome with nothing to discount is a plain success, 1, as before
 * rewards existed. The weights sum to at most 1, so a success never scores below a failure.
 *
 * @example rewardOf({ ok: true, latency_ms: 30_000, cost_usd: 0.02 }, 'coding', DEFAULT_REWARD) // 1 − 0.15·0.5 − 0.15·0.5 = 0.85
 */
import type { Workload } from '../fleet/workload.js';

export type ReviewVerdict = 'approved' | 'changes-requested' | 'rejected';
export const REVIEW_VERDICTS: readonly ReviewVerdict[] = ['approved', 'changes-requested', 'rejected'];

export interface RewardOptions {
  latency: number;
  cost: number;
  review: number;
  latencyRefMs: Record<Workload, number>;
  costRefUsd: Record<Workload, number>;
}

/**
 * Defaults: a success at its tier's reference latency and cost scores 0.85, one at a fifth of
 * both 0.95 — enough for the bandit to prefer the faster, cheaper of two agents that succeed
 * alike, too little for speed to buy back a failure (0). A rejected review costs 0.3, more than
 * being slow and costly together: a wrong answer fast is still wrong.
 */
export const DEFAULT_REWARD: RewardOptions = {
  latency: 0.15,
  cost: 0.15,
  review: 0.3,
  // Typical wall time of a task per tier: coordinators answer in a few turns, reasoning agents think long.
  latencyRefMs: { orchestrator: 20_000, reasoning: 90_000, coding: 60_000, librarian: 15_000 },
  // Typical spend per task: a few thousand tokens on a small model up to tens of thousands on a large one.
  costRefUsd: { orchestrator: 0.02, reasoning: 0.2, coding: 0.05, librarian: 0.005 },
};

const REVIEW_PENALTY: Record<ReviewVerdict, number> = { approved: 0, 'changes-requested': 0.5, rejected: 1 };

export interface RewardInput {
  ok: boolean;
  latency_ms?: number;
  cost_usd?: number;
  review?: ReviewVerdict;
}

export function rewardOf(outcome: RewardInput, workload: Workload | undefined, options: RewardOptions = DEFAULT_REWARD): number {
  if (!outcome.ok) return 0;
  const tier = workload ?? 'coding';
  const latency = share(outcome.latency_ms, options.latencyRefMs[tier]);
  const cost = share(outcome.cost_usd, options.costRefUsd[tier]);
  const review = outcome.review ? REVIEW_PENALTY[outcome.review] : 0;
  const reward = 1 - options.latency * latency - options.cost * cost - options.review * review;
  return Math.round(Math.min(1, Math.max(0, reward)) * 1e6) / 1e6;
}

/** x / (x + ref): 0 unmeasured, 0.5 at the reference, towards 1 far above it. */
function share(value: number | undefined, reference: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && reference > 0 ? value / (value + reference) : 0;
}
