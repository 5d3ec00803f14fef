/**
 * The shared fleet folder (`queue.fleets`): a run copies its compiled fleet to `<fleets>/<hash>/`
 * (once; a copy is written beside it and renamed into place, so a reader never sees half a fleet),
 * and a worker whose own fleet has another hash loads the job's from there.
 */
import { cp, mkdir, rename, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { completeFleetDir } from '../fleet/complete-fleet.js';

/** The folder of a fleet version in the store: the hash is hex, so it is a safe name. */
export function storedFleetDir(store: string, hash: string): string {
  if (!/^[\w-]+$/.test(hash)) throw new Error(`not a fleet hash: ${hash}`);
  return join(store, hash);
}

export async function publishFleet(fleetDir: string, store: string, hash: string): Promise<void> {
  const target = storedFleetDir(store, hash);
  if (existsSync(join(target, 'index.json'))) return;
  await mkdir(store, { recursive: true });
  const temporary = `${target}.tmp-${process.pid}-${Date.now()}`;
  await cp(completeFleetDir(fleetDir), temporary, { recursive: true });
  try {
    await rename(temporary, target);
  } catch (error) {
    // Another run published the same hash first: its copy is the same fleet.
    await rm(temporary, { recursive: true, force: true });
    if (!(await stat(target).catch(() => undefined))) throw error;
  }
}
