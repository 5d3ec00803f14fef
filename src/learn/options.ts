/**
 * Every default of the learning layer, resolved in one place from the `learning:` section of
 * codex-flow.config.yaml and the environment (`CI=true` turns exploration off).
 *
 * @example
 * const options = resolveLearningOptions({ explore: false, prior_strength: 4 }, process.env);
 */

import { WORKLOADS, type Workload } from '../fleet/workload.js';
import { DEFAULT_REWARD, type RewardOptions } from './reward.js';

/** on: learn and route on what was learned; shadow: learn, route as if nothing was; off: neither. */
export type LearningMode = 'on' | 'shadow' | 'off';
/** What happens to an agent's learned state when its brief's content hash changes. */
export type BriefChangePolicy = 'reset' | 'decay' | 'keep';
/** off: no tuning shown; suggest: `stats --suggest` lists it; apply: `run` applies it under the caps (tuning.ts). */
export type AutotuneMode = 'off' | 'suggest' | 'apply';

export interface LearningOptions {
  mode: LearningMode;
  /** Thompson sampling (true) or posterior means (false, deterministic). */
  explore: boolean;
  /** Seed of the sampler; undefined = a fresh seed per call (recorded with the decision). */
  seed: number | undefined;
  /** Pseudo-outcomes the fleet's prior (capabilities.quality) is worth. */
  priorStrength: number;
  /** δ, the router's weight of R(agent), when learning is on and router.weights.reward is unset. */
  rewardWeight: number;
  onBriefChange: BriefChangePolicy;
  /** Share of the evidence kept by `decay`. */
  decay: number;
  /** The outcome log is folded into the snapshot once it is larger than this (bytes). */
  compactAfterBytes: number;
  /** Route decisions kept for `feedback` (the oldest are dropped at compaction). */
  maxDecisions: number;
  /** Smoothing of the failure EMA behind the autonomy suggestion. */
  emaAlpha: number;
  /** Folder of the stores, relative to the project root. */
  dir: string;
  /** Weights and per-tier references of the reward (reward.ts). */
  reward: RewardOptions;
  autotune: AutotuneMode;
}

/**
 * Two pseudo-outcomes: one real outcome moves R(agent) by a third of the way to 0 or 1, so a
 * handful of feedback changes a close ranking, while a single bad day cannot bury a good agent.
 */
export const DEFAULT_PRIOR_STRENGTH = 2;

/**
 * δ = 1 while learning: R ranges over [0, 1], so the learned term can move an agent by one
 * keyword's worth; the router's neutral 0.25 was sized for a prior that never changes.
 */
export const DEFAULT_LEARNED_REWARD_WEIGHT = 1;

/** Halving keeps direction (what the old brief was good at) but lets the new brief relearn fast. */
export const DEFAULT_DECAY = 0.5;

/** 4 MiB ≈ 20,000 outcomes: reading the tail stays in the low milliseconds on every route. */
export const DEFAULT_COMPACT_AFTER_BYTES = 4 * 1024 * 1024;

/** 5,000 decisions ≈ 2 MiB: a week of routing for a busy team, enough for late feedback. */
export const DEFAULT_MAX_DECISIONS = 5000;

/** α = 0.1: the EMA remembers about the last 10 tasks, recent enough to react within a day. */
export const DEFAULT_EMA_ALPHA = 0.1;

export const DEFAULT_LEARNING_DIR = '.codex-flow';

export class LearningConfigError extends Error {
  override readonly name = 'LearningConfigError';
}

const MODES: readonly LearningMode[] = ['on', 'shadow', 'off'];
const KEYS = [
  'mode',
  'explore',
  'seed',
  'prior_strength',
  'reward_weight',
  'on_brief_change',
  'decay',
  'compact_after_bytes',
  'max_decisions',
  'ema_alpha',
  'dir',
  'reward',
  'autotune',
];
const AUTOTUNE: readonly AutotuneMode[] = ['off', 'suggest', 'apply'];
const POLICIES: readonly BriefChangePolicy[] = ['reset', 'decay', 'keep'];

/** Resolves the learning section; throws LearningConfigError listing every bad value. */
export function resolveLearningOptions(
  config: Record<string, unknown> = {},
  env: Record<string, string | undefined> = {},
): LearningOptions {
  const problems: string[] = [];
  const number = (key: string, fallback: number, min: number, max: number): number => {
    const value = config[key] ?? fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      problems.push(`learning.${key} must be a number from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };
  for (const key of Object.keys(config))
    if (!KEYS.includes(key)) problems.push(`learning.${key} is not a setting (use ${KEYS.join(', ')})`);
  const mode = (config.mode ?? 'on') as LearningMode;
  if (!MODES.includes(mode)) problems.push(`learning.mode must be one of ${MODES.join(', ')}`);
  const onBriefChange = (config.on_brief_change ?? 'decay') as BriefChangePolicy;
  if (!POLICIES.includes(onBriefChange)) problems.push(`learning.on_brief_change must be one of ${POLICIES.join(', ')}`);
  const explore = config.explore ?? !isCI(env);
  if (typeof explore !== 'boolean') problems.push('learning.explore must be true or false');
  const autotune = (config.autotune ?? 'suggest') as AutotuneMode;
  if (!AUTOTUNE.includes(autotune)) problems.push(`learning.autotune must be one of ${AUTOTUNE.join(', ')}`);
  const seed = config.seed === undefined ? undefined : number('seed', 0, 0, 2 ** 32 - 1);
  const dir = config.dir ?? DEFAULT_LEARNING_DIR;
  if (typeof dir !== 'string' || dir.length === 0) problems.push('learning.dir must be a folder path');
  const options: LearningOptions = {
    mode,
    explore: explore === true,
    seed,
    onBriefChange,
    dir: String(dir),
    priorStrength: number('prior_strength', DEFAULT_PRIOR_STRENGTH, 0.01, 1000),
    rewardWeight: number('reward_weight', DEFAULT_LEARNED_REWARD_WEIGHT, 0, 100),
    decay: number('decay', DEFAULT_DECAY, 0, 1),
    compactAfterBytes: number('compact_after_bytes', DEFAULT_COMPACT_AFTER_BYTES, 1024, 2 ** 40),
    maxDecisions: number('max_decisions', DEFAULT_MAX_DECISIONS, 10, 10_000_000),
    emaAlpha: number('ema_alpha', DEFAULT_EMA_ALPHA, 0.001, 1),
    reward: resolveReward(config.reward, problems),
    autotune,
  };
  if (problems.length > 0) throw new LearningConfigError(problems.join('; '));
  return options;
}

/** `learning.reward`: latency / cost / review weights (summing to at most 1) and per-tier references. */
function resolveReward(raw: unknown, problems: string[]): RewardOptions {
  const reward: RewardOptions = {
    ...DEFAULT_REWARD,
    latencyRefMs: { ...DEFAULT_REWARD.latencyRefMs },
    costRefUsd: { ...DEFAULT_REWARD.costRefUsd },
  };
  if (raw === undefined) return reward;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push('learning.reward must be a mapping (latency, cost, review, latency_ref_ms, cost_ref_usd)');
    return reward;
  }
  const good = (value: unknown, max: number): value is number =>
    typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= max;
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'latency' || key === 'cost' || key === 'review') {
      if (good(value, 1)) reward[key] = value;
      else problems.push(`learning.reward.${key} must be a number from 0 to 1`);
    } else if (key === 'latency_ref_ms' || key === 'cost_ref_usd') {
      const target = key === 'latency_ref_ms' ? reward.latencyRefMs : reward.costRefUsd;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        problems.push(`learning.reward.${key} must map workloads (${WORKLOADS.join(', ')}) to numbers`);
        continue;
      }
      for (const [tier, reference] of Object.entries(value)) {
        if (!(WORKLOADS as readonly string[]).includes(tier))
          problems.push(`learning.reward.${key}.${tier} is not a workload (use ${WORKLOADS.join(', ')})`);
        else if (!good(reference, Number.MAX_SAFE_INTEGER) || reference === 0)
          problems.push(`learning.reward.${key}.${tier} must be a number above 0`);
        else target[tier as Workload] = reference;
      }
    } else {
      problems.push(`learning.reward.${key} is not a setting (use latency, cost, review, latency_ref_ms, cost_ref_usd)`);
    }
  }
  if (reward.latency + reward.cost + reward.review > 1)
    problems.push('learning.reward: latency + cost + review must be at most 1, so a success never scores below a failure');
  return reward;
}

/** CI systems set CI=true (GitHub, GitLab, CircleCI, Buildkite…); routing there must be reproducible. */
export function isCI(env: Record<string, string | undefined>): boolean {
  const value = env.CI?.toLowerCase();
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}

/** An outcome's latency when none was given: negative means "not measured", and the sketch skips it. */
export const LATENCY_NOT_MEASURED = -1;
