/**
 * `route --explain`: the workload tier of the chosen agent and the model chain it would run on,
 * members in the order this run would try them and why (src/providers/tier-rank.ts: the tier's
 * outcomes and the bench results in data/bench). Read-only: the chain is built with health from
 * the state file and nothing is called or written; an unreadable bench report adds a CF6720 warning.
 *
 * @example const shown = await explainTier(io, configFile, fleet, 'code-reviewer', state, diagnostics);
 */
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { definitionWorkload } from '../fleet/workload.js';
import type { MemberEvidence } from '../providers/tier-rank.js';
import type { LoadedFleet } from '../fleet/load.js';
import type { LearnedState } from '../learn/state.js';
import type { CommandIO } from './io.js';

export interface TierExplanation {
  agent: string;
  workload: string;
  choice: string;
  chain: Array<{ provider: string; model: string; why?: string; evidence?: MemberEvidence }>;
}

export async function explainTier(
  io: CommandIO,
  configFile: string | undefined,
  fleet: LoadedFleet,
  agent: string,
  state: LearnedState,
  diagnostics: Diagnostic[] = [],
): Promise<TierExplanation | undefined> {
  const definition = fleet.definition(agent);
  if (!definition) return undefined;
  const [{ loadConfig }, { createProviderChain }, { resolveProviderOptions }, { tierObservations }, bench] = await Promise.all([
    import('../config/config.js'),
    import('../providers/chain.js'),
    import('../providers/options.js'),
    import('../learn/tier-observations.js'),
    import('../providers/bench-priors.js'),
  ]);
  const loaded = await loadConfig(io.cwd, configFile);
  const resolved = resolveProviderOptions(io.env, (loaded.config.providers ?? {}) as never);
  const workloadOf = (id: string) => {
    const found = fleet.definition(id);
    return found ? definitionWorkload(found) : undefined;
  };
  const observed = tierObservations(state, workloadOf);
  const benchPriors = bench.readBenchPriors(join(io.cwd, bench.DEFAULT_BENCH_DIR));
  diagnostics.push(...benchPriors.diagnostics);
  const chain = createProviderChain({}, io.env, {
    cwd: io.cwd,
    resolved,
    log: () => {},
    tierObservations: (workload) => observed.get(workload),
    benchPriors: benchPriors.priors,
  });
  const view = chain.forWorkload(definitionWorkload(definition));
  const ranked = new Map(view.ranked?.order.map((member) => [member.provider, member]) ?? []);
  return {
    agent,
    workload: view.workload,
    choice: view.ranked?.explanation ?? "no chain configured for this tier (providers.tiers): the run's providers",
    chain: view.chain.modelsFor(definition.agent.model).map(({ provider, model }) => {
      const member = ranked.get(provider);
      return { provider, model, ...(member ? { why: member.why } : {}), ...(member?.evidence ? { evidence: member.evidence } : {}) };
    }),
  };
}

export function formatTier(tier: TierExplanation): string {
  const lines = [`tier of ${tier.agent}: ${tier.workload} — ${tier.choice}`];
  for (const [index, member] of tier.chain.entries())
    lines.push(`  ${index + 1}. ${member.provider} ${member.model}${member.why ? ` — ${member.why}` : ''}`);
  return `${lines.join('\n')}\n`;
}
