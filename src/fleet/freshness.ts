/**
 * Is the compiled fleet older than its briefs? Each index entry records the sha256 of the brief
 * it was compiled from; a brief whose bytes hash differently (or that is gone) makes the fleet
 * stale. One warning lists how many and which, because routing on a stale fleet still works.
 *
 * Hashing a thousand briefs on every `codex-flow route` costs more than the routing itself, so an
 * optional cache file remembers (size, mtime, hash) per brief and rehashes only briefs whose size
 * or mtime changed — git's index does the same. A brief rewritten within the same millisecond
 * with the same size would be missed; `convert --check` in CI has no such blind spot. When every
 * brief's (size, mtime) is what it was at the last fresh verdict for this fleet hash (a signature
 * file beside the cache), the answer is that verdict, without reading the cache at all.
 *
 * @example checkFreshness(fleet.index, process.cwd()) // [] when up to date
 */
import { hashBytes } from '../util/hash.js';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { IndexEntry } from './types.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { packArrays, unpackArrays } from '../util/packed-arrays.js';

/** Stale briefs named in the warning; the rest are counted. */
const MAX_NAMED_STALE = 5;

type HashCache = Record<string, [size: number, mtimeMs: number, hash: string]>;

/**
 * What the stale check reads of a fleet: each agent's brief path and the hash it was compiled
 * from, and the fleet hash (which covers both: they are in every definition's provenance).
 */
export interface FreshnessInput {
  hash?: string;
  agents: ReadonlyArray<Pick<IndexEntry, 'source' | 'hash'>>;
}

export function checkFreshness(index: FreshnessInput, projectRoot: string, cacheFile?: string): Diagnostic[] {
  // `path.join` per brief costs as much as its `stat`; a plain relative path appended to the
  // normalized root gives the very string join would.
  const root = join(projectRoot, '/');
  const paths = index.agents.map((entry) => (PLAIN_RELATIVE.test(entry.source) ? root + entry.source : join(projectRoot, entry.source)));
  // The (size, mtime) pairs are written straight into the signature: most runs need nothing else.
  const signature = new Float64Array(paths.length * 2);
  for (let i = 0; i < paths.length; i++) statInto(paths[i]!, signature, i);
  const signatureFile = cacheFile && index.hash ? `${cacheFile}${SIGNATURE_SUFFIX}` : undefined;
  if (signatureFile && unchangedSince(signatureFile, index.hash!, signature)) return [];
  const stats = paths.map((path, i): BriefStat =>
    signature[i * 2]! < 0 ? undefined : { path, size: signature[i * 2]!, mtimeMs: signature[i * 2 + 1]! },
  );
  const cache = cacheFile ? readCache(cacheFile) : {};
  const hashes = index.agents.map((entry, i) => briefHash(stats[i]!, cache[entry.source]));
  const diagnostics = verdict(index, projectRoot, hashes, cache, cacheFile);
  if (signatureFile && diagnostics.length === 0) writeSignature(signatureFile, index.hash!, signature);
  return diagnostics;
}

/**
 * Beside the hash cache: the (size, mtime) of every brief, in index order, when the fleet with
 * this hash was last found up to date. Equal on the next run, the answer is the same: no brief
 * changed by the rule the hash cache already trusts, and reading a few bytes per brief replaces
 * parsing the cache and a lookup per brief. Written only after a fresh verdict; a stale fleet takes the full check.
 */
const SIGNATURE_SUFFIX = '.sig';
const SIGNATURE_FORMAT = 1;

type BriefStat = { path: string; size: number; mtimeMs: number } | undefined;

const STAT_OPTIONS = { throwIfNoEntry: false } as const;

/** Writes brief i's (size, mtime) into the signature; −1, −1 for a brief that is gone or not a regular file. */
function statInto(path: string, signature: Float64Array, i: number): void {
  let size = -1;
  let mtimeMs = -1;
  try {
    const stat = statSync(path, STAT_OPTIONS);
    // Only a regular file is hashed: a brief replaced by a FIFO or a device must not block or flood route.
    if (stat && stat.isFile()) {
      size = stat.size;
      mtimeMs = stat.mtimeMs;
    }
  } catch {
    // Unreadable: as gone.
  }
  signature[i * 2] = size;
  signature[i * 2 + 1] = mtimeMs;
}

function unchangedSince(file: string, hash: string, now: Float64Array): boolean {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch {
    return false;
  }
  const arrays = unpackArrays(bytes, SIGNATURE_FORMAT, 2);
  if (!arrays || !(arrays[0] instanceof Uint8Array) || !(arrays[1] instanceof Float64Array)) return false;
  if (Buffer.from(arrays[0].buffer, arrays[0].byteOffset, arrays[0].byteLength).toString('utf8') !== hash) return false;
  const known = arrays[1];
  if (known.length !== now.length) return false;
  for (let i = 0; i < now.length; i++) if (known[i] !== now[i]) return false;
  return true;
}

function writeSignature(file: string, hash: string, signature: Float64Array): void {
  try {
    writeFileAtomic(file, packArrays(SIGNATURE_FORMAT, [Buffer.from(hash, 'utf8'), signature]));
  } catch {
    // A read-only checkout still routes; it takes the full check next time.
  }
}

/** A relative POSIX path that join leaves as it is: no `.`/`..` segments, empty segments or backslashes. */
const PLAIN_RELATIVE = /^(?!\/)(?!.*(?:^|\/)\.{1,2}(?:\/|$))(?!.*\/\/)[^\\]+$/;

type Hashed = { size: number; mtimeMs: number; hash: string } | undefined;

/** The CF5024 warning (if any) from each brief's current hash; rewrites the cache when it changed. */
function verdict(
  index: FreshnessInput,
  projectRoot: string,
  hashes: readonly Hashed[],
  cache: HashCache,
  cacheFile: string | undefined,
): Diagnostic[] {
  const stale: string[] = [];
  let changed = Object.keys(cache).length !== index.agents.length;
  index.agents.forEach((entry, i) => {
    const hashed = hashes[i];
    if (hashed) {
      const known = cache[entry.source];
      if (!known || known[0] !== hashed.size || known[1] !== hashed.mtimeMs || known[2] !== hashed.hash) changed = true;
    } else {
      changed ||= entry.source in cache;
    }
    if (hashed?.hash !== entry.hash) stale.push(`${entry.source}${hashed === undefined ? ' (deleted)' : ''}`);
  });
  // Not one brief found: this is not the folder the fleet was compiled in (brief paths are relative
  // to it), not a fleet whose every brief was deleted. One clear warning instead of N "deleted".
  if (index.agents.length > 0 && hashes.every((hashed) => hashed === undefined)) {
    return [
      diagnostic(
        'CF5025',
        `none of the ${index.agents.length} brief(s) the fleet was compiled from is under ${projectRoot} (e.g. ${index.agents[0]!.source}); the stale check is skipped`,
      ),
    ];
  }
  if (cacheFile && changed) {
    // Built only when it is written: most runs find every brief as the cache remembers it.
    const next: HashCache = {};
    index.agents.forEach((entry, i) => {
      const hashed = hashes[i];
      if (hashed) next[entry.source] = [hashed.size, hashed.mtimeMs, hashed.hash];
    });
    writeCache(cacheFile, next);
  }
  if (stale.length === 0) return [];
  const named = stale.slice(0, MAX_NAMED_STALE);
  const more = stale.length > named.length ? [`…and ${stale.length - named.length} more`] : [];
  return [
    diagnostic('CF5024', `the fleet is older than ${stale.length} of its ${index.agents.length} brief(s)`, undefined, {
      notes: [...named, ...more],
    }),
  ];
}

/** A brief's (size, mtime, hash), reusing the cached hash while size and mtime match; undefined when it is gone. */
function briefHash(stat: BriefStat, known: HashCache[string] | undefined): Hashed {
  if (stat === undefined) return undefined;
  if (known && known[0] === stat.size && known[1] === stat.mtimeMs) return { size: stat.size, mtimeMs: stat.mtimeMs, hash: known[2] };
  try {
    return { size: stat.size, mtimeMs: stat.mtimeMs, hash: hashBytes(readFileSync(stat.path)) };
  } catch {
    return undefined; // Deleted since its stat: a deleted brief makes the fleet stale too.
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
