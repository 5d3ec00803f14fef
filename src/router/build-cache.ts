/**
 * A cache for the parts of a router build that cost the most at start-up and depend only on
 * their input: the keyword automaton (tens of ms for a 1,000-agent fleet, most of a cold
 * `codex-flow route`) and the compiled glob regexes (which otherwise load picomatch).
 *
 * Naive approach: key a cache file by the fleet hash. That goes wrong when codex-flow itself
 * changes how it derives the input (an alias rule, a plural rule) while the fleet stays the same.
 * What we do: the key is a hash of the exact input the build consumes (every automaton pattern,
 * every glob) plus a format version, so a cache entry can only ever be read back for the input
 * that produced it. An entry that is missing, truncated or of another version is rebuilt; a
 * cache that cannot be written is skipped silently (routing must not fail on a read-only disk).
 * Invariants: `read` returns exactly the bytes `write` was given for that kind and key, or
 * undefined; at most MAX_ENTRIES_PER_KIND files per kind stay in the folder.
 *
 * @example createRouter(fleet, { buildCache: fileBuildCache('.codex-flow/cache') })
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashBytes } from '../util/hash.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { pruneOldest } from '../util/prune-files.js';

export interface BuildCache {
  /** The bytes stored for `kind` under `key`, or undefined. */
  read(kind: string, key: string): Uint8Array | undefined;
  /** Stores `bytes`; never throws. */
  write(kind: string, key: string, bytes: Uint8Array): void;
}

/**
 * Entries kept per kind: one per fleet a project routes against (the main fleet, a fleet under
 * review, a test fleet) plus the previous compile's, so switching back is still warm.
 */
export const MAX_ENTRIES_PER_KIND = 4;

/** The cache key of a build input: a content hash of its parts, in order. */
export function buildKey(parts: readonly string[]): string {
  return hashBytes(parts.join('\u0000')).slice('sha256:'.length, 'sha256:'.length + 32);
}

/** A BuildCache of files `<kind>-<key>.bin` in `dir` (created on first write). */
export function fileBuildCache(dir: string): BuildCache {
  return {
    read(kind, key) {
      try {
        return readFileSync(join(dir, `${kind}-${key}.bin`));
      } catch {
        return undefined;
      }
    },
    write(kind, key, bytes) {
      try {
        writeFileAtomic(join(dir, `${kind}-${key}.bin`), bytes);
        pruneCacheFiles(dir, `${kind}-`);
      } catch {
        // Read-only or full disk: this process still has what it built.
      }
    },
  };
}

/**
 * Removes the oldest `<prefix>*.bin` files of a cache folder beyond MAX_ENTRIES_PER_KIND (each
 * compile of a fleet leaves a new entry behind; the lexical model is megabytes per fleet).
 */
export function pruneCacheFiles(dir: string, prefix: string): void {
  pruneOldest(dir, MAX_ENTRIES_PER_KIND, (name) => name.startsWith(prefix) && name.endsWith('.bin'));
}

/** An in-memory BuildCache (tests, long-running hosts that rebuild routers). */
export function memoryBuildCache(): BuildCache & { readonly size: number } {
  const entries = new Map<string, Uint8Array>();
  return {
    read: (kind, key) => entries.get(`${kind}-${key}`),
    write: (kind, key, bytes) => {
      entries.set(`${kind}-${key}`, bytes.slice());
    },
    get size() {
      return entries.size;
    },
  };
}

export { jsonBytes, packArrays, parseJsonBytes, unpackArrays } from '../util/packed-arrays.js';
