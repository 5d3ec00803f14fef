/**
 * What `run --dry-run` shows of an agent's workload tier: the tier, how its chain's members were
 * ordered (configured order, or the ranking with each member's terms), the providers in that
 * order and the model each runs for the brief's `model:`. The same data in text and `--json`.
 *
 * @example const { plans } = await runner.plan(tasks, chain.ids, (model) => chain.modelsFor(model), tierPlanSource(chain));
 */
import { definitionWorkload } from '../fleet/workload.js';
import type { ProviderChain } from '../providers/chain.js';
import type { TierPlanSource } from './plan.js';

export function tierPlanSource(chain: ProviderChain): TierPlanSource {
  return (definition) => {
    const view = chain.forWorkload(definitionWorkload(definition));
    const members = view.ranked
      ? view.ranked.order.map((member) => ({
          provider: member.provider,
          ...(member.model ? { model: member.model } : {}),
          why: member.why,
          ...(member.evidence ? { evidence: member.evidence } : {}),
        }))
      : [];
    const choice = view.ranked?.explanation ?? "no chain configured for this tier (providers.tiers): the run's providers";
    return {
      tier: { workload: view.workload, choice, members },
      providers: view.chain.ids,
      per_provider: view.chain.modelsFor(definition.agent.model),
    };
  };
}
