/**
 * Workload tiers and their model chains: `providers.tiers` maps each workload (orchestrator,
 * reasoning, coding, librarian; src/fleet/workload.ts) to an ordered list of `provider` or
 * `provider:model` entries, and the chain an agent runs on is its tier's list. A tier without a
 * list runs on the plain chain (`--provider`/`--fallback`, `providers.provider`/`fallback`).
 *
 * Which healthy member goes first is decided per run by `rankTierChain` (tier-rank.ts): a
 * weighted score of success, speed and cost, from the tier's outcomes and the bench results.
 * Members with an open circuit are still skipped by the schedule (chain-schedule.ts), whatever
 * their rank.
 *
 * @example
 * const ranked = rankTierChain(entries, settingsOf, observations.get('coding'), DEFAULT_TIER_CHOICE);
 * ranked.order.map((entry) => entry.provider) // ['ollama', 'openai']
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { WORKLOADS, type Workload } from '../fleet/workload.js';
import { DEFAULT_TIER_CHOICE } from './tier-rank.js';

export interface TierEntry {
  provider: string;
  /** A brief-style name (`sonnet`) or a concrete id; absent: what the agent's `model:` maps to. */
  model?: string;
}

export type TierChains = Partial<Record<Workload, TierEntry[]>>;

/** Weights of the member choice; they need not sum to 1 (they are divided by their sum). */
export interface TierChoiceWeights {
  success: number;
  speed: number;
  cost: number;
}

/** What the outcomes say about one provider within one tier. */
export interface TierObservation {
  tasks: number;
  ok: number;
  latencyMs: number;
  latencyCount: number;
  costUsd: number;
  costCount: number;
}

export {
  rankTierChain,
  BENCH_PRIOR_RUNS,
  DEFAULT_TIER_CHOICE,
  MIN_TIER_OBSERVATIONS,
  type RankedChain,
  type RankedMember,
  type MemberEvidence,
} from './tier-rank.js';

/**
 * `providers.tiers` as written: `{ coding: ['openai:gpt-4o-mini', 'anthropic'] }`, or a comma
 * string per tier. Bad entries are dropped with a diagnostic; nothing throws.
 */
export function checkTierChains(raw: unknown, providerIds: readonly string[], diagnostics: Diagnostic[]): TierChains {
  if (raw === undefined || raw === null) return {};
  const chains: TierChains = {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    diagnostics.push(
      diagnostic('CF7100', 'providers.tiers should map workloads to provider lists; ignored', undefined, {
        hint: `write e.g. providers.tiers.coding: [openai:gpt-4o-mini, anthropic]; workloads: ${WORKLOADS.join(', ')}`,
      }),
    );
    return chains;
  }
  for (const [tier, list] of Object.entries(raw as Record<string, unknown>)) {
    if (!(WORKLOADS as readonly string[]).includes(tier)) {
      diagnostics.push(
        diagnostic('CF7100', `providers.tiers.${tier} is not a workload; ignored`, undefined, {
          hint: `use one of ${WORKLOADS.join(', ')}`,
        }),
      );
      continue;
    }
    const items =
      typeof list === 'string'
        ? list
            .split(',')
            .map((item) => item.trim())
            .filter(Boolean)
        : list;
    if (!Array.isArray(items) || !items.every((item) => typeof item === 'string' && item.trim() !== '')) {
      diagnostics.push(
        diagnostic('CF7100', `providers.tiers.${tier} should be a list of provider or provider:model entries; ignored`, undefined, {
          hint: `write providers.tiers.${tier}: [openai:gpt-4o-mini, anthropic]`,
        }),
      );
      continue;
    }
    const entries: TierEntry[] = [];
    for (const item of items as string[]) {
      const at = item.indexOf(':');
      const provider = (at < 0 ? item : item.slice(0, at)).trim();
      const model = at < 0 ? '' : item.slice(at + 1).trim();
      if (!providerIds.includes(provider)) {
        diagnostics.push(
          diagnostic('CF7101', `providers.tiers.${tier}: \`${provider}\` is not a provider; entry skipped`, undefined, {
            hint: `known providers: ${[...providerIds].sort().join(', ')}`,
          }),
        );
        continue;
      }
      if (entries.some((entry) => entry.provider === provider)) {
        diagnostics.push(
          diagnostic('CF7102', `providers.tiers.${tier}: \`${provider}\` is listed twice; the later entry is skipped`, undefined, {
            hint: 'a chain tries each provider once per round; name one model per provider in a tier',
          }),
        );
        continue;
      }
      entries.push(model ? { provider, model } : { provider });
    }
    if (entries.length > 0) chains[tier as Workload] = entries;
  }
  return chains;
}

/** `providers.tierChoice` weights, each a non-negative number; the defaults fill what is missing. */
export function checkTierChoice(raw: unknown, diagnostics: Diagnostic[]): TierChoiceWeights {
  const weights = { ...DEFAULT_TIER_CHOICE };
  if (raw === undefined || raw === null) return weights;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    diagnostics.push(
      diagnostic('CF7103', 'providers.tierChoice should be a mapping of success, speed and cost weights; defaults used', undefined, {
        hint: 'write providers.tierChoice: { success: 0.6, speed: 0.2, cost: 0.2 }',
      }),
    );
    return weights;
  }
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!(key in weights)) {
      diagnostics.push(
        diagnostic('CF7103', `providers.tierChoice.${key} is not a weight; ignored`, undefined, {
          hint: 'the weights are success, speed and cost',
        }),
      );
    } else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      diagnostics.push(
        diagnostic('CF7103', `providers.tierChoice.${key} should be a number ≥ 0; the default is used`, undefined, {
          hint: `e.g. providers.tierChoice.${key}: ${DEFAULT_TIER_CHOICE[key as keyof TierChoiceWeights]}`,
        }),
      );
    } else {
      weights[key as keyof TierChoiceWeights] = value;
    }
  }
  return weights;
}
