/**
 * The JSON Schema of the `learning:` section, as strict as resolveLearningOptions
 * (src/learn/options.ts) so a file that passes here never makes it throw. The one rule a schema
 * cannot state (the reward weights sum to at most 1) is `learningRules`, run by the loader after
 * the schema passes.
 */
import { WORKLOADS } from '../fleet/workload.js';
import { mapping, number, oneOf, orNull, type Schema } from './schema-helpers.js';
import type { RuleProblem } from './sections.js';

export const LEARNING_MODES = ['on', 'shadow', 'off'] as const;
export const BRIEF_CHANGE_POLICIES = ['reset', 'decay', 'keep'] as const;
export const AUTOTUNE_MODES = ['off', 'suggest', 'apply'] as const;

const share: Schema = number(0, 1);
/** Per workload tier, a reference above 0 (a latency in ms or a cost in USD). */
const perWorkload = (what: string): Schema =>
  mapping(Object.fromEntries(WORKLOADS.map((tier) => [tier, { type: 'number', exclusiveMinimum: 0, hint: `${what} above 0` }])));

export const LearningConfigSchema: Schema = mapping({
  mode: orNull(oneOf(LEARNING_MODES)),
  explore: orNull({ type: 'boolean' }),
  seed: orNull(number(0, 2 ** 32 - 1, 'a seed is a number from 0 to 4294967295')),
  prior_strength: orNull(number(0.01, 1000)),
  reward_weight: orNull(number(0, 100)),
  on_brief_change: orNull(oneOf(BRIEF_CHANGE_POLICIES)),
  decay: orNull(share),
  compact_after_bytes: orNull(number(1024, 2 ** 40)),
  max_decisions: orNull(number(10, 10_000_000)),
  ema_alpha: orNull(number(0.001, 1)),
  dir: orNull({ type: 'string', minLength: 1, hint: 'a folder path relative to the project root' }),
  reward: mapping({
    latency: share,
    cost: share,
    review: share,
    latency_ref_ms: perWorkload('milliseconds'),
    cost_ref_usd: perWorkload('USD'),
  }),
  autotune: orNull(oneOf(AUTOTUNE_MODES)),
});

/** DEFAULT_REWARD's three weights (src/learn/reward.ts; a test keeps them equal): an unset weight counts at its default. */
export const DEFAULT_REWARD_WEIGHTS = { latency: 0.15, cost: 0.15, review: 0.3 } as const;

/** The reward weights may not outweigh success: latency + cost + review ≤ 1. */
export function learningRules(section: unknown): RuleProblem[] {
  const reward = (section as { reward?: Record<string, unknown> } | null)?.reward;
  if (!reward) return [];
  const keys = ['latency', 'cost', 'review'] as const;
  const total = keys.reduce(
    (sum, key) => sum + (typeof reward[key] === 'number' ? (reward[key] as number) : DEFAULT_REWARD_WEIGHTS[key]),
    0,
  );
  if (total <= 1) return [];
  return [
    {
      path: ['reward'],
      message: '`learning.reward`: latency + cost + review must be at most 1, so a success never scores below a failure',
      hint: `they sum to ${Number(total.toFixed(6))} here (an unset one counts at its default); lower one of them`,
    },
  ];
}
