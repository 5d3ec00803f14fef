/**
 * Workload tiers and their model chains: `providers.tiers` maps each workload (orchestrator,
 * reasoning, coding, librarian; src/fleet/workload.ts) to an ordered list of `provider` or
 * `provider:model` entries, and the chain an agent runs on is its tier's list. A tier without a
 * list runs on the plain chain (`--provider`/`--fallback`, `providers.provider`/`fallback`).
 *
 * Which healthy member goes first is decided per run by {@link rankTierChain}: a weighted score
 * of the success rate observed for that tier, the speed observed (mean latency) and the price per
 * token, each normalised to [0, 1] within the chain. Until a member has MIN_TIER_OBSERVATIONS
 * outcomes in the tier its success and speed are unknown (0.5); while no member has any, the
 * configured order stands (the person who wrote it knows more than the price table). Members with
 * an open circuit are still skipped by the schedule (chain-schedule.ts), whatever their rank.
 *
 * @example
 * const ranked = rankTierChain(entries, settingsOf, observations.get('coding'), DEFAULT_TIER_CHOICE);
 * ranked.order.map((entry) => entry.provider) // ['ollama', 'openai']
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { WORKLOADS, type Workload } from '../fleet/workload.js';
import type { Price } from './pricing.js';

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

/**
 * Success counts most: a cheap, fast model that fails costs a retry on the next one. Speed and
 * cost share the rest, so between members that succeed alike the faster and cheaper one leads.
 */
export const DEFAULT_TIER_CHOICE: TierChoiceWeights = { success: 0.6, speed: 0.2, cost: 0.2 };

/** Below three outcomes in a tier a member's rate is anecdote: one failure would read as 0 %. */
export const MIN_TIER_OBSERVATIONS = 3;

/** What the outcomes say about one provider within one tier. */
export interface TierObservation {
  tasks: number;
  ok: number;
  latencyMs: number;
  latencyCount: number;
  costUsd: number;
  costCount: number;
}

export interface RankedMember {
  provider: string;
  model?: string;
  score: number;
  /** One line for people: the terms and what they came from. */
  why: string;
}

export interface RankedChain {
  order: RankedMember[];
  explanation: string;
}

/**
 * Orders a tier's entries by the weighted score (ties keep the configured order).
 * `priceOf` gives the member's price per 1K tokens (null when unknown).
 */
export function rankTierChain(
  entries: readonly TierEntry[],
  priceOf: (entry: TierEntry) => Price | null,
  observed: ReadonlyMap<string, TierObservation> | undefined,
  weights: TierChoiceWeights = DEFAULT_TIER_CHOICE,
): RankedChain {
  const seen = (entry: TierEntry) => {
    const o = observed?.get(entry.provider);
    return o && o.tasks >= MIN_TIER_OBSERVATIONS ? o : undefined;
  };
  const prices = entries.map((entry) => {
    const price = priceOf(entry);
    return price ? price.input + price.output : null;
  });
  const latencies = entries.map((entry) => {
    const o = seen(entry);
    return o && o.latencyCount > 0 ? o.latencyMs / o.latencyCount : null;
  });
  if (!entries.some((entry) => seen(entry))) {
    const order = entries.map((entry, index) => ({
      ...entry,
      score: 0,
      why: `configured position ${index + 1}${prices[index] !== null ? `, $${prices[index]!.toFixed(4)}/1K tokens` : ''}`,
    }));
    return { order, explanation: 'no outcomes in this tier yet: the configured order' };
  }
  const cheapest = Math.min(...prices.filter((price): price is number => price !== null && price > 0));
  const fastest = Math.min(...latencies.filter((latency): latency is number => latency !== null && latency > 0));
  const total = weights.success + weights.speed + weights.cost || 1;
  const scored = entries.map((entry, index) => {
    const o = seen(entry);
    const success = o ? (o.ok + 1) / (o.tasks + 2) : 0.5;
    const latency = latencies[index] ?? null;
    const speed = latency === null ? 0.5 : latency <= 0 ? 1 : fastest / latency;
    const price = prices[index] ?? null;
    const cost = price === null ? 0.5 : price <= 0 || !Number.isFinite(cheapest) ? 1 : cheapest / price;
    const score = (weights.success * success + weights.speed * speed + weights.cost * cost) / total;
    const parts = [
      o ? `success ${(success * 100).toFixed(0)} % (${o.ok}/${o.tasks})` : 'success unknown',
      latency === null ? 'speed unknown' : `mean ${Math.round(latency)} ms`,
      price === null ? 'price unknown' : `$${price.toFixed(4)}/1K tokens`,
    ];
    return {
      provider: entry.provider,
      ...(entry.model ? { model: entry.model } : {}),
      score,
      why: `score ${score.toFixed(3)}: ${parts.join(', ')}`,
      index,
    };
  });
  scored.sort((a, b) => (Math.abs(b.score - a.score) > 1e-9 ? b.score - a.score : a.index - b.index));
  const order = scored.map(({ index: _index, ...member }) => member);
  return {
    order,
    explanation: `ranked by ${weights.success}·success + ${weights.speed}·speed + ${weights.cost}·cost (each relative to the chain's best)`,
  };
}

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
