/**
 * Which folder holds the last complete fleet, for readers (route, run, validate, eval, stats…).
 *
 * A publish swaps folders with two renames: `out → .out.old-<stamp>`, then `.out.tmp-<stamp> → out`.
 * Between them (or after a kill that landed there) `out` does not exist but the kept old folder is
 * a complete fleet. Readers take that folder as it is; they never rename or delete anything, since
 * only a writer holding the publish lock knows whether a temp or old folder belongs to a publish
 * still running (`recoverInterruptedPublish` in compiler/publish.ts is that writer's step).
 * Invariant: the folder returned was complete when it was named; a reader that then finds it gone
 * (the writer finished and deleted it) asks again.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Where `codex-flow convert` publishes, and every reader looks, unless `compiler.out` or `--fleet` says otherwise. */
export const DEFAULT_FLEET_DIR = 'codex/agents';

/** Marks of the hidden siblings of a fleet folder `out`: `.out.old-<stamp>` and `.out.tmp-<stamp>`. */
export const OLD_MARK = '.old-';
export const TMP_MARK = '.tmp-';

/** The hidden siblings' common name prefix (`.agents` for `codex/agents`) and their parent folder. */
export function fleetSiblings(outDir: string): { parent: string; prefix: string; lock: string } {
  const parent = dirname(outDir);
  const prefix = `.${basename(outDir)}`;
  return { parent, prefix, lock: join(parent, `${prefix}.lock`) };
}

/** Kept old fleets of `outDir`, oldest first (stamps start with a fixed-width time, so names sort by age). */
export function keptOldFleets(outDir: string): string[] {
  const { parent, prefix } = fleetSiblings(outDir);
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.startsWith(prefix + OLD_MARK))
    .sort()
    .map((name) => join(parent, name));
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The folder to read the fleet of `outDir` from: `outDir` itself when it exists, else the newest
 * kept old fleet (a publish is between its renames, or was killed there), else `outDir` (so the
 * caller reports it missing).
 *
 * @example loadFleet(completeFleetDir('/repo/codex/agents'))
 */
export function completeFleetDir(outDir: string): string {
  if (isDirectory(outDir)) return outDir;
  return keptOldFleets(outDir).filter(isDirectory).pop() ?? outDir;
}
