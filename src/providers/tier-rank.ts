/**
 * The order of a tier chain's members: a weighted score of success, speed and cost, each in
 * [0, 1] relative to the chain's best, from two sources of evidence per member:
 *
 * - the tier's runs (the scorecards: tasks, successes, mean latency per task), and
 * - the newest bench result for the member's provider and model (bench-priors.ts): success rate,
 *   latency p50 and cost per call, counted as up to BENCH_PRIOR_RUNS runs.
 *
 * Success blends as counts: (ok + w·bench rate + 1) / (n + w + 2). Speed and cost blend as
 * ratios to the chain's best on each source (a bench call and an agent task differ in size, so
 * their milliseconds are never added), weighted w for the bench and n for the runs; the price
 * table (per 1K tokens) weighs PRICE_TABLE_WEIGHT beside the bench's cost per call. As runs
 * accumulate the bench's share w / (w + n) falls, so the tier's own record decides in the end.
 *
 * Without a bench result, a member's runs count from MIN_TIER_OBSERVATIONS on (0.5 below that),
 * and while no member has any evidence the configured order stands: the person who wrote it knows
 * more than the price table. Ties keep the configured order.
 *
 * @example
 * const ranked = rankTierChain(entries, priceOf, observed.get('coding'), DEFAULT_TIER_CHOICE, (entry) => priors.get(key(entry)));
 * ranked.order[0].why // 'score 0.912: success 94 % (12/12 runs + bench 5/5), bench p50 420 ms, $0.0003/call, …'
 */
import type { BenchPrior } from './bench-priors.js';
import type { Price } from './pricing.js';
import type { TierChoiceWeights, TierEntry, TierObservation } from './tiers.js';

/**
 * Success counts most: a cheap, fast model that fails costs a retry on the next one. Speed and
 * cost share the rest, so between members that succeed alike the faster and cheaper one leads.
 */
export const DEFAULT_TIER_CHOICE: TierChoiceWeights = { success: 0.6, speed: 0.2, cost: 0.2 };

/** Below three outcomes in a tier a member's rate is anecdote: one failure would read as 0 %. */
export const MIN_TIER_OBSERVATIONS = 3;

/**
 * A bench is a few calls on one prompt, not the tier's workload: it weighs as five runs at most,
 * so it decides for a new member and its share is a fifth once the member has twenty runs.
 */
export const BENCH_PRIOR_RUNS = 5;

/** The price table is a fact, not a sample: it weighs as much as a full bench beside the bench's cost per call. */
export const PRICE_TABLE_WEIGHT = BENCH_PRIOR_RUNS;

/** The evidence behind a member's score, for `--json`. */
export interface MemberEvidence {
  runs?: { tasks: number; ok: number; mean_latency_ms: number | null };
  bench?: { stamp: string; runs: number; ok: number; latency_p50_ms: number | null; cost_per_call_usd: number | null };
  /** The bench's share of the success and speed terms, w / (w + n). */
  bench_share: number;
  terms: { success: number; speed: number; cost: number };
}

export interface RankedMember {
  provider: string;
  model?: string;
  score: number;
  /** One line for people: the terms and what they came from. */
  why: string;
  evidence?: MemberEvidence;
}

export interface RankedChain {
  order: RankedMember[];
  explanation: string;
}

interface Facts {
  entry: TierEntry;
  index: number;
  runs?: TierObservation;
  bench?: BenchPrior;
  benchWeight: number;
  price: number | null;
  runLatency: number | null;
}

export function rankTierChain(
  entries: readonly TierEntry[],
  priceOf: (entry: TierEntry) => Price | null,
  observed: ReadonlyMap<string, TierObservation> | undefined,
  weights: TierChoiceWeights = DEFAULT_TIER_CHOICE,
  benchOf: (entry: TierEntry) => BenchPrior | undefined = () => undefined,
): RankedChain {
  const facts: Facts[] = entries.map((entry, index) => {
    const bench = benchOf(entry);
    const seen = observed?.get(entry.provider);
    const runs = seen && seen.tasks > 0 && (bench || seen.tasks >= MIN_TIER_OBSERVATIONS) ? seen : undefined;
    const price = priceOf(entry);
    return {
      entry,
      index,
      ...(runs ? { runs } : {}),
      ...(bench ? { bench } : {}),
      benchWeight: bench ? Math.min(bench.runs, BENCH_PRIOR_RUNS) : 0,
      price: price ? price.input + price.output : null,
      runLatency: runs && runs.latencyCount > 0 ? runs.latencyMs / runs.latencyCount : null,
    };
  });
  if (!facts.some((fact) => fact.runs || fact.bench)) {
    const order = facts.map(({ entry, index, price }) => ({
      ...entry,
      score: 0,
      why: `configured position ${index + 1}${price !== null ? `, $${price.toFixed(4)}/1K tokens` : ''}`,
    }));
    return { order, explanation: 'no outcomes in this tier yet: the configured order (no bench result either)' };
  }
  const best = {
    runLatency: lowest(facts.map((fact) => fact.runLatency)),
    benchLatency: lowest(facts.map((fact) => fact.bench?.latencyP50Ms ?? null)),
    price: lowest(facts.map((fact) => fact.price)),
    benchCost: lowest(facts.map((fact) => fact.bench?.costPerCallUsd ?? null)),
  };
  const total = weights.success + weights.speed + weights.cost || 1;
  const scored = facts.map((fact) => {
    const { runs, bench, benchWeight: w } = fact;
    const n = runs?.tasks ?? 0;
    const success = n + w === 0 ? 0.5 : ((runs?.ok ?? 0) + (bench ? (w * bench.ok) / bench.runs : 0) + 1) / (n + w + 2);
    const speed = blend([
      [ratio(fact.runLatency, best.runLatency), runs?.latencyCount ?? 0],
      [ratio(bench?.latencyP50Ms ?? null, best.benchLatency), w],
    ]);
    const cost = blend([
      [ratio(fact.price, best.price), PRICE_TABLE_WEIGHT],
      [ratio(bench?.costPerCallUsd ?? null, best.benchCost), w],
    ]);
    const score = (weights.success * success + weights.speed * speed + weights.cost * cost) / total;
    return {
      provider: fact.entry.provider,
      ...(fact.entry.model ? { model: fact.entry.model } : {}),
      score,
      why: `score ${score.toFixed(3)}: ${describe(fact, success)}`,
      evidence: evidence(fact, { success, speed, cost }),
      index: fact.index,
    };
  });
  scored.sort((a, b) => (Math.abs(b.score - a.score) > 1e-9 ? b.score - a.score : a.index - b.index));
  const withBench = facts.some((fact) => fact.bench);
  return {
    order: scored.map(({ index: _index, ...member }) => member),
    explanation:
      `ranked by ${weights.success}·success + ${weights.speed}·speed + ${weights.cost}·cost (each relative to the chain's best` +
      (withBench ? `; a bench result counts as up to ${BENCH_PRIOR_RUNS} runs beside the tier's own)` : ')'),
  };
}

function describe(fact: Facts, success: number): string {
  const { runs, bench } = fact;
  const sources = [runs ? `${runs.ok}/${runs.tasks}${bench ? ' runs' : ''}` : '', bench ? `bench ${bench.ok}/${bench.runs}` : '']
    .filter(Boolean)
    .join(' + ');
  const parts = [sources ? `success ${(success * 100).toFixed(0)} % (${sources})` : 'success unknown'];
  if (bench) {
    if (bench.latencyP50Ms !== null) parts.push(`bench p50 ${Math.round(bench.latencyP50Ms)} ms`);
    if (bench.costPerCallUsd !== null) parts.push(`$${bench.costPerCallUsd.toFixed(4)}/call`);
  }
  if (fact.runLatency !== null) parts.push(`mean ${Math.round(fact.runLatency)} ms`);
  else if (!bench || bench.latencyP50Ms === null) parts.push('speed unknown');
  parts.push(fact.price === null ? 'price unknown' : `$${fact.price.toFixed(4)}/1K tokens`);
  if (bench && runs) parts.push(`bench weighs ${fact.benchWeight}/${fact.benchWeight + runs.tasks}`);
  return parts.join(', ');
}

function evidence(fact: Facts, terms: MemberEvidence['terms']): MemberEvidence {
  const { runs, bench } = fact;
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return {
    ...(runs
      ? { runs: { tasks: runs.tasks, ok: runs.ok, mean_latency_ms: fact.runLatency === null ? null : Math.round(fact.runLatency) } }
      : {}),
    ...(bench
      ? {
          bench: {
            stamp: bench.stamp,
            runs: bench.runs,
            ok: bench.ok,
            latency_p50_ms: bench.latencyP50Ms,
            cost_per_call_usd: bench.costPerCallUsd,
          },
        }
      : {}),
    bench_share: fact.benchWeight === 0 ? 0 : round(fact.benchWeight / (fact.benchWeight + (runs?.tasks ?? 0))),
    terms: { success: round(terms.success), speed: round(terms.speed), cost: round(terms.cost) },
  };
}

/** The smallest positive value (the chain's best), or null when none is known. */
function lowest(values: ReadonlyArray<number | null>): number | null {
  const positive = values.filter((value): value is number => value !== null && value > 0);
  return positive.length > 0 ? Math.min(...positive) : null;
}

/** best / value in [0, 1]: 1 for the best or a free (0) value, null when the value is unknown. */
function ratio(value: number | null, best: number | null): number | null {
  if (value === null) return null;
  return value <= 0 || best === null ? 1 : best / value;
}

/** The weighted mean of the known ratios; 0.5 (unknown) when none is known. */
function blend(parts: ReadonlyArray<[number | null, number]>): number {
  let sum = 0;
  let weight = 0;
  for (const [value, w] of parts) {
    if (value === null || w <= 0) continue;
    sum += value * w;
    weight += w;
  }
  return weight === 0 ? 0.5 : sum / weight;
}
