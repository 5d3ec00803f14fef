/**
 * Reading a small file codex-flow depends on (the config, a fleet's index, routing table and
 * definitions) without trusting what sits at the path: a folder, a FIFO, `/dev/zero` or a file of
 * gigabytes. The naive `readFileSync(path)` blocks forever on a FIFO and reads a device until
 * memory runs out. Here the file is opened non-blocking (a FIFO opens at once instead of waiting
 * for a writer), checked with `fstat` on the open descriptor (so a swap after the check cannot
 * change what is read), refused unless it is a regular file under `maxBytes`, and read at most
 * `maxBytes + 1` bytes, so a file growing while it is read is still caught. This is the one
 * reader of such files: `readRegularFile` (sync, text) for the config and the fleet,
 * `readRegularBytes` (async, bytes) for briefs and a published fleet read back; `followLinks:
 * false` adds O_NOFOLLOW, so a link at the last step is refused as `not-regular`.
 *
 * @example
 * const result = readRegularFile('codex/agents/index.json', 64 * 1024 * 1024);
 * if (!result.ok) console.error(result.problem); // "not a regular file (a directory)"
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { fsReason } from './fs-errors.js';

/** Read size per call: large enough for a fleet index in a few calls, small enough to allocate freely. */
const READ_CHUNK_BYTES = 1024 * 1024;
/** Smallest read: a file that grows past its size, or reports 0 (/proc), is read a page at a time at least. */
const MIN_CHUNK_BYTES = 4096;

export type ReadProblem = 'missing' | 'not-regular' | 'too-large' | 'unreadable';

export interface ReadFailure {
  ok: false;
  reason: ReadProblem;
  problem: string;
  code?: string;
  /** For `not-regular`: what is there instead ("a FIFO", "a directory", "a symbolic link"). */
  kind?: string;
  /** For `too-large`: the size seen, when the file said it up front. */
  bytes?: number;
}
export type ReadResult = { ok: true; text: string } | ReadFailure;
export type ReadBytesResult = { ok: true; bytes: Buffer } | ReadFailure;

export interface ReadOptions {
  /** False: a symbolic link at the path is refused (O_NOFOLLOW) instead of followed. Default true. */
  followLinks?: boolean;
}

function openFlags(options: ReadOptions): number {
  return constants.O_RDONLY | constants.O_NONBLOCK | (options.followLinks === false ? constants.O_NOFOLLOW : 0);
}

/** The checks on the open descriptor's `fstat`, shared by both readers. */
function refuse(stats: Stats, maxBytes: number): ReadFailure | undefined {
  if (!stats.isFile()) return notRegular(kindOf(stats));
  if (stats.size > maxBytes) return { ...tooLarge(`${stats.size} bytes`, maxBytes), bytes: stats.size };
  return undefined;
}

/** Reads `path` as UTF-8 when it is a regular file of at most `maxBytes` bytes. Never throws for the file's sake. */
export function readRegularFile(path: string, maxBytes: number, options: ReadOptions = {}): ReadResult {
  let fd: number;
  try {
    fd = openSync(path, openFlags(options));
  } catch (error) {
    return fromError(error);
  }
  try {
    const stats = fstatSync(fd);
    const refused = refuse(stats, maxBytes);
    if (refused) return refused;
    // The size is a hint, not a promise (a file can grow, /proc reports 0): read in chunks up to the limit.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(chunkSize(stats.size, total, maxBytes));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(read === chunk.length ? chunk : chunk.subarray(0, read));
      total += read;
      if (total > maxBytes) return tooLarge('it grew while being read', maxBytes);
    }
    return { ok: true, text: Buffer.concat(chunks, total).toString('utf8') };
  } catch (error) {
    return fromError(error);
  } finally {
    closeSync(fd);
  }
}

/** `readRegularFile` for callers that want the bytes and must not block the event loop. */
export async function readRegularBytes(path: string, maxBytes: number, options: ReadOptions = {}): Promise<ReadBytesResult> {
  let handle;
  try {
    handle = await open(path, openFlags(options));
  } catch (error) {
    return fromError(error);
  }
  try {
    const stats = await handle.stat();
    const refused = refuse(stats, maxBytes);
    if (refused) return refused;
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(chunkSize(stats.size, total, maxBytes));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(bytesRead === chunk.length ? chunk : chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) return tooLarge('it grew while being read', maxBytes);
    }
    return { ok: true, bytes: Buffer.concat(chunks, total) };
  } catch (error) {
    return fromError(error);
  } finally {
    await handle.close();
  }
}

/**
 * The next read's size: what the file said it holds plus one byte (to see the end), at least a
 * page, at most a chunk and never past the limit; a brief of 3 KB does not allocate a megabyte.
 */
function chunkSize(expected: number, total: number, maxBytes: number): number {
  return Math.min(READ_CHUNK_BYTES, maxBytes + 1 - total, Math.max(MIN_CHUNK_BYTES, expected + 1 - total));
}

function notRegular(kind: string): ReadFailure {
  return { ok: false, reason: 'not-regular', problem: `not a regular file (${kind})`, kind };
}

function tooLarge(what: string, maxBytes: number): ReadFailure {
  return { ok: false, reason: 'too-large', problem: `too large (${what}; the limit is ${maxBytes} bytes)` };
}

function fromError(error: unknown): ReadFailure {
  const { code, message } = error as NodeJS.ErrnoException;
  if (code === 'ENOENT') return { ok: false, reason: 'missing', problem: 'not found', code };
  if (code === 'ELOOP') return { ...notRegular('a symbolic link'), code };
  if (code === 'EISDIR') return { ...notRegular('a directory'), code };
  return {
    ok: false,
    reason: 'unreadable',
    // Node's message already starts with the code ("EACCES: permission denied, open …").
    problem: code ? firstLine(fsReason(error)) : firstLine(String(message ?? error)),
    ...(code ? { code } : {}),
  };
}

/** What sits at a path that is not a regular file, for messages ("a FIFO", "a directory"). */
export function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a file';
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!;
}
