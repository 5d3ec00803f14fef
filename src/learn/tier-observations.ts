/**
 * The scorecards as the tier chains read them: per workload tier, per provider, the outcomes of
 * every agent of that tier summed (tasks, successes, latency and cost), from the learned state's
 * per-provider tallies. A provider is judged per tier because a model that is fast and good at
 * lookups can be slow or weak at long reasoning.
 *
 * @example
 * const observed = tierObservations(state, (agent) => workloads.get(agent));
 * observed.get('coding')?.get('ollama') // { tasks: 12, ok: 11, latencyMs: 30500, latencyCount: 12, costUsd: 0, costCount: 12 }
 */
import type { Workload } from '../fleet/workload.js';
import type { TierObservation } from '../providers/tiers.js';
import type { LearnedState } from './state.js';

export function tierObservations(
  state: LearnedState,
  workloadOf: (agent: string) => Workload | undefined,
): Map<Workload, Map<string, TierObservation>> {
  const tiers = new Map<Workload, Map<string, TierObservation>>();
  for (const [agent, record] of state.agents) {
    const workload = workloadOf(agent);
    if (!workload || !record.providers) continue;
    let byProvider = tiers.get(workload);
    if (!byProvider) tiers.set(workload, (byProvider = new Map()));
    for (const [provider, tally] of Object.entries(record.providers)) {
      const sum = byProvider.get(provider) ?? { tasks: 0, ok: 0, latencyMs: 0, latencyCount: 0, costUsd: 0, costCount: 0 };
      sum.tasks += tally.tasks;
      sum.ok += tally.ok;
      sum.latencyMs += tally.latency_ms;
      sum.latencyCount += tally.latency_n;
      sum.costUsd += tally.cost_usd;
      sum.costCount += tally.cost_n;
      byProvider.set(provider, sum);
    }
  }
  return tiers;
}
