/**
 * The one lock between codex-flow processes that share a folder (the learning store's compaction,
 * the fleet publish), on proper-lockfile: the lock is a directory created with mkdir(2), which is
 * atomic on every file system, and its holder touches it every `staleMs / 2` while it works.
 * A lock nobody touched for `staleMs` belongs to a process that died (SIGKILL runs no cleanup)
 * and is taken over; a live holder is never robbed however long its work takes.
 *
 * Invariants: at most one holder at a time; every wait is bounded (`tryLockSync` never waits,
 * `lockWithin` gives up after `waitMs`); a lost lock (its directory removed under us) is reported
 * by `compromised()` instead of throwing from a timer.
 *
 * @example
 * const lock = tryLockSync(join(dir, 'learning.lock'));
 * if (lock) try { compact(); } finally { lock.release(); }
 */
import { mkdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type * as ProperLockfile from 'proper-lockfile';

let lockfileModule: typeof ProperLockfile | undefined;

/**
 * proper-lockfile (with graceful-fs and signal-exit) is loaded on the first lock, not at start:
 * `route` imports the learning store but takes its lock only when a log rotates.
 */
function lockfile(): typeof ProperLockfile {
  return (lockfileModule ??= createRequire(import.meta.url)('proper-lockfile') as typeof ProperLockfile);
}

/** A holder refreshes its lock every STALE_LOCK_MS / 2; two missed refreshes mean it is gone.
 * Ten seconds is proper-lockfile's default and long enough for a machine under heavy load. */
export const STALE_LOCK_MS = 10_000;

export interface HeldLock {
  release(): void;
  /** True once the lock was removed or replaced by another process while held. */
  compromised(): boolean;
}

function options(lockPath: string, staleMs: number, flag: { lost: boolean }) {
  // The lock directory is the path itself; nothing is locked "inside" it, so no realpath of a target.
  return {
    lockfilePath: lockPath,
    realpath: false,
    stale: staleMs,
    onCompromised: () => {
      flag.lost = true;
    },
  };
}

function held(release: () => void, flag: { lost: boolean }): HeldLock {
  return {
    release: () => {
      try {
        release();
      } catch {
        // Already released, or compromised and removed by its taker: nothing of ours is left.
      }
    },
    compromised: () => flag.lost,
  };
}

/** Takes the lock if it is free or stale; returns undefined at once when a live process holds it. */
export function tryLockSync(lockPath: string, staleMs = STALE_LOCK_MS): HeldLock | undefined {
  mkdirSync(dirname(lockPath), { recursive: true });
  const flag = { lost: false };
  try {
    return held(lockfile().lockSync(lockPath, options(lockPath, staleMs, flag)), flag);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') return undefined;
    throw error;
  }
}

/** Waits for the lock up to `waitMs` (enough to outlast a stale lock by default), then throws `LockTimeoutError`. */
export async function lockWithin(lockPath: string, waitMs = STALE_LOCK_MS * 2, staleMs = STALE_LOCK_MS): Promise<HeldLock> {
  await mkdir(dirname(lockPath), { recursive: true });
  const flag = { lost: false };
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const release = await lockfile().lock(lockPath, options(lockPath, staleMs, flag));
      return held(() => void release().catch(() => undefined), flag);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      if (Date.now() >= deadline) throw new LockTimeoutError(lockPath, waitMs);
      await new Promise((resolve) => setTimeout(resolve, Math.min(100, Math.max(1, deadline - Date.now()))));
    }
  }
}

export class LockTimeoutError extends Error {
  constructor(
    readonly lockPath: string,
    readonly waitMs: number,
  ) {
    super(`another codex-flow process holds ${lockPath} (waited ${Math.round(waitMs / 1000)} s)`);
    this.name = 'LockTimeoutError';
  }
}
