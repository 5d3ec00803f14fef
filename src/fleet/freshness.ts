/**
 * Is the compiled fleet older than its briefs? Each index entry records the sha256 of the brief
 * it was compiled from; a brief whose bytes hash differently (or that is gone) makes the fleet
 * stale. One warning lists how many and which, because routing on a stale fleet still works.
 *
 * Hashing a thousand briefs on every `codex-flow route` costs more than the routing itself, so an
 * optional cache file remembers (size, mtime, hash) per brief and rehashes only briefs whose size
 * or mtime changed — git's index does the same. A brief rewritten within the same millisecond
 * with the same size would be missed; `convert --check` in CI has no such blind spot.
 *
 * @example checkFreshness(fleet.index, process.cwd()) // [] when up to date
 */
import { hashBytes } from '../util/hash.js';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { FleetIndex } from './types.js';
import { writeFileAtomic } from '../util/atomic-write.js';

/** Stale briefs named in the warning; the rest are counted. */
const MAX_NAMED_STALE = 5;

type HashCache = Record<string, [size: number, mtimeMs: number, hash: string]>;

export function checkFreshness(index: FleetIndex, projectRoot: string, cacheFile?: string): Diagnostic[] {
  const cache = cacheFile ? readCache(cacheFile) : {};
  const next: HashCache = {};
  const stale: string[] = [];
  for (const entry of index.agents) {
    const hash = briefHash(join(projectRoot, entry.source), entry.source, cache, next);
    if (hash !== entry.hash) stale.push(`${entry.source}${hash === undefined ? ' (deleted)' : ''}`);
  }
  if (cacheFile && JSON.stringify(next) !== JSON.stringify(cache)) writeCache(cacheFile, next);
  if (stale.length === 0) return [];
  const named = stale.slice(0, MAX_NAMED_STALE);
  const more = stale.length > named.length ? [`…and ${stale.length - named.length} more`] : [];
  return [diagnostic('CF5024', `the fleet is older than ${stale.length} of its ${index.agents.length} brief(s)`, undefined, { notes: [...named, ...more] })];
}

function briefHash(path: string, key: string, cache: HashCache, next: HashCache): string | undefined {
  try {
    const stat = statSync(path);
    const known = cache[key];
    if (known && known[0] === stat.size && known[1] === stat.mtimeMs) {
      next[key] = known;
      return known[2];
    }
    const hash = hashBytes(readFileSync(path));
    next[key] = [stat.size, stat.mtimeMs, hash];
    return hash;
  } catch {
    return undefined; // A deleted brief makes the fleet stale too.
  }
}

function readCache(file: string): HashCache {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as HashCache) : {};
  } catch {
    return {};
  }
}

function writeCache(file: string, cache: HashCache): void {
  try {
    writeFileAtomic(file, JSON.stringify(cache));
  } catch {
    // A read-only checkout still routes; it only rehashes next time.
  }
}
