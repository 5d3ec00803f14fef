/**
 * What the hook tells Claude about an agent beyond its id: the subagent name Claude Code knows it
 * by (the brief's `name:`) and its one-line description, read from the project's compiled fleet
 * index (`compiler.out`, else codex/agents). The same index says whether the project has a fleet
 * at all, and whether an id a server answered with belongs to this project.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { loadConfig } from '../config/config.js';
import { DEFAULT_FLEET_DIR } from '../fleet/complete-fleet.js';

export interface FleetAgent {
  id: string;
  name: string;
  description: string;
}

export type FleetAgents = { ok: true; agents: ReadonlyMap<string, FleetAgent> } | { ok: false; reason: string };

/** The agents of the fleet of the project at `root`, by id. */
export async function readFleetAgents(root: string): Promise<FleetAgents> {
  const loaded = await loadConfig(root);
  const out = ((loaded.config.compiler ?? {}) as { out?: unknown }).out;
  const dir = typeof out === 'string' ? out : DEFAULT_FLEET_DIR;
  const indexPath = join(isAbsolute(dir) ? dir : join(root, dir), 'index.json');
  let text: string;
  try {
    text = await readFile(indexPath, 'utf8');
  } catch (error) {
    return { ok: false, reason: `no fleet index at ${indexPath} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})` };
  }
  let index: unknown;
  try {
    index = JSON.parse(text);
  } catch {
    return { ok: false, reason: `${indexPath} is not JSON` };
  }
  const entries = (index as { agents?: unknown } | null)?.agents;
  if (!Array.isArray(entries)) return { ok: false, reason: `${indexPath} lists no agents` };
  const agents = new Map<string, FleetAgent>();
  for (const entry of entries as Array<Record<string, unknown>>) {
    if (typeof entry?.id !== 'string') continue;
    agents.set(entry.id, {
      id: entry.id,
      name: typeof entry.name === 'string' ? entry.name : entry.id,
      description: typeof entry.description === 'string' ? entry.description : '',
    });
  }
  return { ok: true, agents };
}
