/**
 * The shared fleet folder (`queue.fleets`): a run copies its compiled fleet to `<fleets>/<hash>/`
 * (once; a copy is written beside it and renamed into place, so a reader never sees half a fleet),
 * and a worker whose own fleet has another hash loads the job's from there.
 */
import { cp, mkdir, rename, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { completeFleetDir } from '../fleet/complete-fleet.js';

/** A fleet hash as fleets carry it: `sha256:` and 64 lowercase hex digits (the prefix optional). */
const FLEET_HASH = /^(?:sha256:)?([0-9a-f]{64})$/;

/**
 * The folder of a fleet version in the store, named by the hash's hex digits (a safe file name on
 * every system); undefined for anything that is not a fleet hash, such as a job's field naming `../x`.
 */
export function storedFleetDir(store: string, hash: string): string | undefined {
  const hex = FLEET_HASH.exec(hash)?.[1];
  return hex === undefined ? undefined : join(store, hex);
}

export async function publishFleet(fleetDir: string, store: string, hash: string): Promise<void> {
  const target = storedFleetDir(store, hash);
  // The hash is the compiled fleet's own: one of another form is a bug in codex-flow.
  if (target === undefined) throw new Error(`not a fleet hash: ${hash}`);
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

/**
 * Publishes this process's fleet once for all its runs: runs starting together share the copy in
 * flight; a copy that failed (a full disk, a folder not yet mounted) is tried again by the next
 * run instead of failing every later one.
 */
export function fleetPublisher(fleetDir: string, store: string, hash: string): () => Promise<void> {
  let published: Promise<void> | undefined;
  return () => {
    published ??= publishFleet(fleetDir, store, hash).catch((error: unknown) => {
      published = undefined;
      throw error;
    });
    return published;
  };
}
