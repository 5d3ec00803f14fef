/**
 * Delegation priors for swarm planning and follow-up scheduling: how likely a hand-off from one
 * agent to another is to help, from the fleet's `triggers.delegations` (`prefers`, `complements`)
 * and reinforced by observed hand-offs (handoffs.ts: each judged better, equal or worse than the
 * receiving agent's baseline, persisted in `handoffs.json`). The swarm planner breaks near-ties
 * between a subtask's candidates with `prior(from, to)` (swarm/route-plan.ts) and orders
 * follow-ups by it (swarm/follow-ups.ts); nothing here schedules anything.
 *
 *   prior(from, to) = base + REINFORCE_WEIGHT · (better + equal/2 + 1) / (handoffs + 2) − REINFORCE_WEIGHT / 2
 *   base = PREFERS_PRIOR (from prefers to) · COMPLEMENTS_PRIOR (either complements the other) · 0
 *
 * The reinforcement is a Beta mean around ½: 0 with no hand-offs (the brief's declaration alone
 * decides), bounded to ±REINFORCE_WEIGHT/2 however many hand-offs agree, and moving less with
 * each one, so one odd run cannot swing it.
 *
 * @example
 * const priors = delegationPriors(definitions, readHandoffs(dir).data.pairs);
 * priors.record({ from: 'planner', to: 'coder', retries: 0, baselineRetries: 1, ms: 900, baselineMs: 1200 });
 * priors.prior('planner', 'coder') // 0.6 + 0.4·(2/3) − 0.2 ≈ 0.667
 */
import { judgeHandoff, type HandoffTally } from './handoffs.js';

/** A declared preference is a strong hint: the brief's author named that agent for the hand-off. */
export const PREFERS_PRIOR = 0.6;
/** Complementary agents work well together, in either direction, but were not named as the next step. */
export const COMPLEMENTS_PRIOR = 0.3;
/** How far observations can move a prior either way (±0.2): evidence adjusts a declaration, it does not erase it. */
export const REINFORCE_WEIGHT = 0.4;

export interface DelegatingAgent {
  agent: { id: string };
  triggers: { delegations: { prefers: readonly string[]; complements: readonly string[] } };
}

export interface HandoffObservation {
  from: string;
  to: string;
  retries: number;
  baselineRetries: number;
  ms: number;
  baselineMs: number;
}

export interface DelegationPriors {
  prior(from: string, to: string): number;
  /** The hand-off tallies behind `prior(from, to)`'s reinforcement, if any. */
  evidence(from: string, to: string): HandoffTally | undefined;
  /** The candidates a follow-up of `from` should consider, best prior first (ties by id). */
  ranked(from: string): Array<{ to: string; prior: number }>;
  record(observation: HandoffObservation): void;
}

export function delegationPriors(
  definitions: readonly DelegatingAgent[],
  observed: Readonly<Record<string, HandoffTally>> = {},
): DelegationPriors {
  const base = new Map<string, number>();
  const key = (from: string, to: string) => `${from}\0${to}`;
  const raise = (from: string, to: string, value: number) => base.set(key(from, to), Math.max(base.get(key(from, to)) ?? 0, value));
  for (const definition of definitions) {
    const from = definition.agent.id;
    for (const to of definition.triggers.delegations.prefers) if (to !== from) raise(from, to, PREFERS_PRIOR);
    for (const to of definition.triggers.delegations.complements) {
      if (to === from) continue;
      raise(from, to, COMPLEMENTS_PRIOR);
      raise(to, from, COMPLEMENTS_PRIOR);
    }
  }
  const seen = new Map<string, HandoffTally>();
  for (const [pair, tally] of Object.entries(observed)) {
    const [from, to] = pair.split(' → ') as [string, string | undefined];
    if (to !== undefined) seen.set(key(from, to), { ...tally });
  }
  const prior = (from: string, to: string) => {
    const evidence = seen.get(key(from, to));
    const reinforcement = evidence ? handoffReinforcement(evidence) : 0;
    return Math.round(((base.get(key(from, to)) ?? 0) + reinforcement) * 1e6) / 1e6;
  };
  return {
    prior,
    ranked(from) {
      const targets = new Set<string>();
      for (const entry of [...base.keys(), ...seen.keys()]) {
        const [source, target] = entry.split('\0') as [string, string];
        if (source === from) targets.add(target);
      }
      return [...targets].map((to) => ({ to, prior: prior(from, to) })).sort((a, b) => b.prior - a.prior || (a.to < b.to ? -1 : 1));
    },
    evidence: (from, to) => seen.get(key(from, to)),
    record(observation) {
      const verdict = judgeHandoff(
        { ok: true, retries: observation.retries, ms: observation.ms },
        { retries: observation.baselineRetries, ms: observation.baselineMs },
      );
      const evidence = seen.get(key(observation.from, observation.to)) ?? { handoffs: 0, better: 0, equal: 0, worse: 0, saved_ms: 0 };
      evidence.handoffs++;
      evidence[verdict]++;
      evidence.saved_ms += observation.baselineMs - observation.ms;
      seen.set(key(observation.from, observation.to), evidence);
    },
  };
}

/** How far a pair's hand-offs move its prior: in [−REINFORCE_WEIGHT/2, +REINFORCE_WEIGHT/2], 0 while it has none. */
export function handoffReinforcement(tally: Pick<HandoffTally, 'handoffs' | 'better' | 'equal'>): number {
  return REINFORCE_WEIGHT * ((tally.better + tally.equal / 2 + 1) / (tally.handoffs + 2)) - REINFORCE_WEIGHT / 2;
}
