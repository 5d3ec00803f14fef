/**
 * One process at a time in a swarm's folder: two `--resume <id>` at once would both run every
 * unfinished subtask and interleave the log. The lock is `.runs/<swarm-id>/lock`, created
 * exclusively (link(2), which fails on an existing file as O_EXCL does) and holding the owner's pid; it is stale only when that process is gone (a swarm runs for
 * as long as its subtasks do, so age says nothing). A lock held by a live process is refused at
 * once rather than waited for: the other swarm may run for an hour.
 *
 * The shared lock (util/file-lock.ts) waits for its holder and does not record who holds it; a
 * swarm must refuse at once and name the other process, so this one is its own.
 *
 * @example
 * const lock = lockSwarmFolder(dir);
 * if ('heldBy' in lock) refuse(lock.heldBy); else try { … } finally { lock.release(); }
 */
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const SWARM_LOCK_FILE = 'lock';

export type SwarmLock = { release: () => void } | { heldBy: number };

export function lockSwarmFolder(dir: string): SwarmLock {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, SWARM_LOCK_FILE);
  // Two tries: the second after removing a dead owner's lock; a third process racing us wins fairly.
  for (let attempt = 0; attempt < 2; attempt++) {
    // The pid is written to a file of our own, then linked into place: link(2) fails with EEXIST
    // like O_EXCL, and a lock that exists always holds its whole pid.
    const own = `${file}.${process.pid}.tmp`;
    const fd = openSync(own, 'w');
    try {
      writeSync(fd, String(process.pid));
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(own, file);
      return {
        release: () => {
          try {
            unlinkSync(file);
          } catch {
            /* already gone */
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = ownerOf(file);
      if (owner !== undefined && isAlive(owner)) return { heldBy: owner };
      try {
        unlinkSync(file);
      } catch {
        /* another process removed it first */
      }
    } finally {
      try {
        unlinkSync(own);
      } catch {
        /* never made */
      }
    }
  }
  return { heldBy: ownerOf(file) ?? 0 };
}

function ownerOf(file: string): number | undefined {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number.parseInt(text, 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
