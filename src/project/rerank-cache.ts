/**
 * The reranker's answers on disk, one file per key (router/rerank/cache-key.ts) under
 * `.codex-flow/rerank-cache/`: a repeated request on the same fleet reuses the answer and makes no
 * call until the entry's TTL runs out. Entries are written atomically; an entry that cannot be read
 * or has the wrong shape is a miss with a warning, never a failed route. The folder keeps the
 * newest MAX_RERANK_CACHE_ENTRIES files.
 *
 * @example
 * const cache = new RerankCache(root, Date.now);
 * const hit = cache.read(key); if (!hit.entry) cache.write(key, entry, ttlMs);
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, stableJson } from '../util/atomic-write.js';
import { readRegularFile } from '../util/read-regular-file.js';
import { pruneOldest } from '../util/prune-files.js';
import type { RankedId } from '../router/rerank/answer.js';

export const RERANK_CACHE_DIR = '.codex-flow/rerank-cache';
/** Enough for a team's distinct requests over the TTL; each file is a kilobyte or two. */
export const MAX_RERANK_CACHE_ENTRIES = 2_000;
/** An entry holds at most fifty ids with a line each: far below this. */
const MAX_ENTRY_BYTES = 256 * 1024;

export interface RerankCacheEntry {
  provider?: string;
  model?: string;
  ranking: RankedId[];
  createdMs: number;
  expiresMs: number;
}

export class RerankCache {
  readonly dir: string;

  constructor(
    root: string,
    private readonly now: () => number = Date.now,
  ) {
    this.dir = join(root, RERANK_CACHE_DIR);
  }

  /** The live entry for `key`; `problem` when a file was there but unusable. */
  read(key: string): { entry?: RerankCacheEntry; problem?: string } {
    const read = readRegularFile(join(this.dir, `${key}.json`), MAX_ENTRY_BYTES);
    if (!read.ok) return read.reason === 'missing' ? {} : { problem: read.problem };
    let value: unknown;
    try {
      value = JSON.parse(read.text);
    } catch (error) {
      return { problem: `entry ${key}.json is not JSON: ${(error as Error).message}` };
    }
    if (!isEntry(value)) return { problem: `entry ${key}.json has the wrong shape` };
    return value.expiresMs > this.now() ? { entry: value } : {};
  }

  /** Stores an answer for `ttlMs`; a TTL of 0 stores nothing. Returns a problem instead of throwing. */
  write(key: string, answer: Omit<RerankCacheEntry, 'createdMs' | 'expiresMs'>, ttlMs: number): string | undefined {
    if (ttlMs <= 0) return undefined;
    const createdMs = this.now();
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileAtomic(join(this.dir, `${key}.json`), stableJson({ ...answer, createdMs, expiresMs: createdMs + ttlMs }));
      pruneOldest(this.dir, MAX_RERANK_CACHE_ENTRIES, (name) => name.endsWith('.json'));
      return undefined;
    } catch (error) {
      return `cannot write ${RERANK_CACHE_DIR}: ${(error as Error).message}`;
    }
  }
}

function isEntry(value: unknown): value is RerankCacheEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Partial<RerankCacheEntry>;
  return (
    typeof entry.expiresMs === 'number' &&
    typeof entry.createdMs === 'number' &&
    Array.isArray(entry.ranking) &&
    entry.ranking.every((item) => typeof item?.id === 'string' && typeof item?.reason === 'string')
  );
}
