/**
 * Fills in the parts of a TriggerTable the router needs when an older or hand-written table
 * lacks them (`agents`, `generalists`), from the fleet index. Returns a new table (the input is
 * not touched), or the input itself when it lacks nothing, as a current compiler's table does.
 */
import type { FleetIndex, RoutingAgentInfo, TriggerTable } from './types.js';

/** Prior quality of an agent with no recorded quality: the neutral middle of [0, 1]. */
export const NEUTRAL_PRIOR = 0.5;

export function completeTriggerTable(table: TriggerTable, index?: FleetIndex): TriggerTable {
  if (isComplete(table, index)) return table;
  const agents: Record<string, RoutingAgentInfo> = { ...(table.agents ?? {}) };
  for (const entry of index?.agents ?? []) {
    agents[entry.id] ??= {
      domain: entry.domain,
      ...(entry.subdomain ? { subdomain: entry.subdomain } : {}),
      tier: entry.tier,
      prior: NEUTRAL_PRIOR,
      topics: [],
    };
  }
  const generalists =
    table.generalists ??
    Object.keys(agents)
      .filter((id) => agents[id]!.tier === 'generalist')
      .sort();
  return {
    ...table,
    keywords: table.keywords ?? {},
    regex: table.regex ?? [],
    file_patterns: table.file_patterns ?? {},
    agents,
    generalists,
  };
}

/** A table the current compiler wrote: every part present, every indexed agent described. */
function isComplete(table: TriggerTable, index: FleetIndex | undefined): boolean {
  const { agents } = table;
  if (!agents || !table.generalists || !table.keywords || !table.regex || !table.file_patterns) return false;
  return (index?.agents ?? []).every((entry) => Object.hasOwn(agents, entry.id));
}
