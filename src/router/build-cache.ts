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
    write: (kind, key, bytes) => { entries.set(`${kind}-${key}`, bytes.slice()); },
    get size() { return entries.size; },
  };
}

/**
 * Packs typed arrays into one buffer: a header (version, count, then per array its element size
 * and length) followed by the arrays, each aligned to 8 bytes so `unpackArrays` can view them
 * without copying.
 */
export function packArrays(version: number, arrays: ReadonlyArray<Int32Array | Uint16Array | Uint8Array | Float64Array>): Uint8Array {
  const headerWords = 2 + arrays.length * 2;
  let offset = align(headerWords * 4);
  const offsets = arrays.map((array) => {
    const at = offset;
    offset = align(offset + array.byteLength);
    return at;
  });
  const out = new Uint8Array(offset);
  const header = new Int32Array(out.buffer, 0, headerWords);
  header[0] = version;
  header[1] = arrays.length;
  arrays.forEach((array, i) => {
    header[2 + i * 2] = array.BYTES_PER_ELEMENT;
    header[3 + i * 2] = array.length;
    out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), offsets[i]!);
  });
  return out;
}

/** The element kinds `unpackArrays` can return, by element size. */
type Packed = Int32Array | Uint16Array | Uint8Array | Float64Array;

/**
 * Reads what `packArrays` wrote; undefined when the version, the count or any length does not
 * fit (a truncated or foreign file). Element sizes 4 → Int32Array, 2 → Uint16Array,
 * 1 → Uint8Array, 8 → Float64Array. The arrays are views into `bytes` when it starts on an
 * 8-byte boundary (a file read on its own, an array packed inside another image), a copy
 * otherwise; callers treat them as read-only.
 */
export function unpackArrays(bytes: Uint8Array, version: number, count: number): Packed[] | undefined {
  // A small Buffer from readFileSync may sit at any offset of a shared pool: copy only then (into
  // a fresh buffer; Buffer#slice would share the memory).
  const own = bytes.byteOffset % 8 === 0 ? bytes : new Uint8Array(bytes);
  const { buffer, byteOffset: base, byteLength } = own;
  if (byteLength < 8) return undefined;
  const head = new Int32Array(buffer, base, 2);
  if (head[0] !== version || head[1] !== count) return undefined;
  const headerWords = 2 + count * 2;
  if (byteLength < headerWords * 4) return undefined;
  const header = new Int32Array(buffer, base, headerWords);
  let offset = align(headerWords * 4);
  const arrays: Packed[] = [];
  for (let i = 0; i < count; i++) {
    const size = header[2 + i * 2]!;
    const length = header[3 + i * 2]!;
    if (length < 0 || offset + size * length > byteLength) return undefined;
    if (size === 4) arrays.push(new Int32Array(buffer, base + offset, length));
    else if (size === 2) arrays.push(new Uint16Array(buffer, base + offset, length));
    else if (size === 1) arrays.push(new Uint8Array(buffer, base + offset, length));
    else if (size === 8) arrays.push(new Float64Array(buffer, base + offset, length));
    else return undefined;
    offset = align(offset + size * length);
  }
  return arrays;
}

/** A JSON value as UTF-8 bytes, for an entry or a part of one. */
export function jsonBytes(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value));
}

/** The JSON value `jsonBytes` wrote, or undefined when the bytes do not parse. */
export function parseJsonBytes(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function align(offset: number): number {
  return (offset + 7) & ~7;
}
