/**
 * Fills in the parts of a TriggerTable the router needs when an older or hand-written table
 * lacks them (`agents`, `generalists`), from the fleet index. Returns a new table; the input is
 * not touched. A table written by the current compiler passes through unchanged.
 */
import type { FleetIndex, RoutingAgentInfo, TriggerTable } from './types.js';

/** Prior quality of an agent with no recorded quality: the neutral middle of [0, 1]. */
export const NEUTRAL_PRIOR = 0.5;

export function completeTriggerTable(table: TriggerTable, index?: FleetIndex): TriggerTable {
  const agents: Record<string, RoutingAgentInfo> = { ...(table.agents ?? {}) };
  for (const entry of index?.agents ?? []) {
    agents[entry.id] ??= { domain: entry.domain, ...(entry.subdomain ? { subdomain: entry.subdomain } : {}), tier: entry.tier, prior: NEUTRAL_PRIOR, topics: [] };
  }
  const generalists = table.generalists ?? Object.keys(agents).filter((id) => agents[id]!.tier === 'generalist').sort();
  return {
    ...table,
    keywords: table.keywords ?? {},
    regex: table.regex ?? [],
    file_patterns: table.file_patterns ?? {},
    agents,
    generalists,
  };
}
