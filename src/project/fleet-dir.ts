/**
 * Where a project's compiled fleet lives: the `--fleet` flag, else the config's `compiler.out`,
 * else DEFAULT_FLEET_DIR, resolved against the project root. Every command that reads a fleet and
 * the server resolve it here, so the default and its precedence exist once.
 *
 * @example projectFleetDir('/repo', config, undefined) // { fleetDir: '/repo/codex/agents', fleetShown: 'codex/agents' }
 */
import { isAbsolute, join, relative } from 'node:path';
import { DEFAULT_FLEET_DIR } from '../fleet/complete-fleet.js';

/** Where the CLI and the server cache the fleet's lexical model (keyed by fleet hash), the router's build products and brief hashes; add it to .gitignore. */
export const LEXICAL_CACHE_DIR = '.codex-flow/cache';

/** The stale check's hash cache in LEXICAL_CACHE_DIR (src/fleet/freshness.ts); its signature sits beside it. */
export const BRIEF_HASHES_FILE = 'brief-hashes.json';

export interface FleetLocation {
  /** Absolute folder of the compiled fleet. */
  fleetDir: string;
  /** The same folder as people read it: relative to the project root. */
  fleetShown: string;
}

export function projectFleetDir(root: string, config: { compiler?: unknown } | undefined, flag: string | undefined): FleetLocation {
  const dir = flag ?? (config?.compiler as { out?: string } | undefined)?.out ?? DEFAULT_FLEET_DIR;
  const fleetDir = isAbsolute(dir) ? dir : join(root, dir);
  return { fleetDir, fleetShown: relative(root, fleetDir) || '.' };
}
