/**
 * Reading a small file codex-flow depends on (the config, a fleet's index, routing table and
 * definitions) without trusting what sits at the path: a folder, a FIFO, `/dev/zero` or a file of
 * gigabytes. The naive `readFileSync(path)` blocks forever on a FIFO and reads a device until
 * memory runs out. Here the file is opened non-blocking (a FIFO opens at once instead of waiting
 * for a writer), checked with `fstat` on the open descriptor (so a swap after the check cannot
 * change what is read), refused unless it is a regular file under `maxBytes`, and read at most
 * `maxBytes + 1` bytes, so a file growing while it is read is still caught.
 *
 * @example
 * const result = readRegularFile('codex/agents/index.json', 64 * 1024 * 1024);
 * if (!result.ok) console.error(result.problem); // "not a regular file (a directory)"
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/** Read size per call: large enough for a fleet index in a few calls, small enough to allocate freely. */
const READ_CHUNK_BYTES = 1024 * 1024;

export type ReadProblem = 'missing' | 'not-regular' | 'too-large' | 'unreadable';

export type ReadResult =
  | { ok: true; text: string }
  | { ok: false; reason: ReadProblem; problem: string; code?: string };

/** Reads `path` as UTF-8 when it is a regular file of at most `maxBytes` bytes. Never throws for the file's sake. */
export function readRegularFile(path: string, maxBytes: number): ReadResult {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return fromError(error);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { ok: false, reason: 'not-regular', problem: `not a regular file (${kindOf(stats)})` };
    if (stats.size > maxBytes) return tooLarge(`${stats.size} bytes`, maxBytes);
    // The size is a hint, not a promise (a file can grow, /proc reports 0): read in chunks up to the limit.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK_BYTES, maxBytes + 1 - total));
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

function tooLarge(what: string, maxBytes: number): ReadResult {
  return { ok: false, reason: 'too-large', problem: `too large (${what}; the limit is ${maxBytes} bytes)` };
}

function fromError(error: unknown): ReadResult {
  const { code, message } = error as NodeJS.ErrnoException;
  if (code === 'ENOENT') return { ok: false, reason: 'missing', problem: 'not found', code };
  if (code === 'EISDIR') return { ok: false, reason: 'not-regular', problem: 'not a regular file (a directory)', code };
  return { ok: false, reason: 'unreadable', problem: code ? `${code}: ${firstLine(message)}` : firstLine(String(message ?? error)), ...(code ? { code } : {}) };
}

function kindOf(stats: Stats): string {
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
