/**
 * One namespace file's entries as read so far (file-store.ts): the last `put` of each key in
 * write order (expired or not: expiry is applied when read, by the clock of that moment), the
 * byte offset read to, the file's identity and the bytes just before the offset.
 *
 * `catchUp` reads what lies past the offset, up to the last newline, and applies it; it reads the
 * whole file again when the file is another one (dev/inode: compaction renames a new file in),
 * is shorter than the offset, or no longer holds the same bytes before it (rewritten in place).
 * The reads are synchronous: a catch-up is never interleaved with another on the same index.
 * Invariant: after `catchUp`, `latest` equals a replay of the file's complete lines from its start.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { isLive, type MemoryEntry } from './store.js';

/** One line of a namespace file. */
export type Line = { op: 'put'; entry: MemoryEntry } | { op: 'del'; key: string };

/** Bytes before the offset compared on each catch-up: a rewrite in place changes them. */
const CHECK_BYTES = 64;
const NEWLINE = 0x0a;

export class NamespaceIndex {
  private latest = new Map<string, MemoryEntry>();
  private offset = 0;
  private dev = -1;
  private ino = -1;
  private check: Buffer = Buffer.alloc(0);
  lines = 0;

  constructor(private readonly file: string) {}

  /** The live entries at `now`, in write order. */
  live(now: number): Map<string, MemoryEntry> {
    const live = new Map<string, MemoryEntry>();
    for (const [key, entry] of this.latest) if (isLive(entry, now)) live.set(key, entry);
    return live;
  }

  catchUp(): void {
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch {
      this.reset(-1, -1); // no file: nothing written yet, or removed
      return;
    }
    try {
      const stat = fstatSync(fd);
      if (stat.dev !== this.dev || stat.ino !== this.ino || stat.size < this.offset) this.reset(stat.dev, stat.ino);
      let back = Math.min(this.offset, CHECK_BYTES);
      let bytes = readAt(fd, this.offset - back, stat.size - (this.offset - back));
      if (!bytes.subarray(0, back).equals(this.check)) {
        this.reset(stat.dev, stat.ino);
        back = 0;
        bytes = readAt(fd, 0, stat.size);
      }
      const end = bytes.lastIndexOf(NEWLINE);
      if (end < back) return; // nothing complete appended
      this.apply(bytes.toString('utf8', back, end));
      this.offset += end + 1 - back;
      this.check = Buffer.from(bytes.subarray(Math.max(0, end + 1 - CHECK_BYTES), end + 1));
    } finally {
      closeSync(fd);
    }
  }

  private reset(dev: number, ino: number): void {
    this.latest = new Map();
    this.offset = 0;
    this.lines = 0;
    this.check = Buffer.alloc(0);
    this.dev = dev;
    this.ino = ino;
  }

  private apply(text: string): void {
    for (const raw of text.split('\n')) {
      if (!raw) continue;
      this.lines++;
      let line: Line;
      try {
        line = JSON.parse(raw) as Line;
      } catch {
        continue; // a line torn by a crash, joined to the next append
      }
      if (line.op === 'del') this.latest.delete(line.key);
      else if (line.op === 'put') {
        this.latest.delete(line.entry.key); // re-insert so map order is write order
        this.latest.set(line.entry.key, line.entry);
      }
    }
  }
}

/** `length` bytes of `fd` from `position` (fewer if the file ends first). */
function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(Math.max(0, length));
  let read = 0;
  while (read < buffer.length) {
    const got = readSync(fd, buffer, read, buffer.length - read, position + read);
    if (got === 0) break;
    read += got;
  }
  return buffer.subarray(0, read);
}
