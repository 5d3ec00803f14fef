/**
 * The learning layer's files under `.codex-flow/`: append-only JSONL logs (outcomes, decisions)
 * that survive concurrent writers and crashes, segment rotation for compaction, and a lock.
 *
 * Naive approach: read the file, push a record, write it back — two writers lose a record and a
 * crash mid-write loses the file. What we do: one `write` of a whole line per record on an
 * O_APPEND descriptor (the kernel serializes appends, so lines never interleave); if the file does
 * not end in a newline (a writer crashed mid-line), the record starts with one, so a torn line
 * never merges with the next record. Readers skip blank lines and count unparsable ones.
 * Compaction never rewrites a log: it renames it to a segment (new appends start a fresh file),
 * waits until no append that may hold a descriptor on the segment is left (each announces itself
 * with a marker file before it opens the log), folds the segment, publishes the snapshot
 * atomically, then deletes the segment. Without the wait, an append opened before the rename
 * and written after the fold lands in a file about to be deleted.
 * Invariants: every complete line ever appended is read back exactly once, in order, by
 * `readLog`, until a snapshot that folded it is published; a segment is folded only once no
 * announced append can still write into it.
 */
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { STALE_LOCK_MS, tryLockSync } from '../util/file-lock.js';

export const OUTCOMES_FILE = 'outcomes.jsonl';
export const DECISIONS_FILE = 'decisions.jsonl';
export const SNAPSHOT_FILE = 'learned-state.json';
export const LOCK_FILE = 'learning.lock';

/** Folder of the append markers beside the logs: one empty file per append in flight. */
export const APPENDING_DIR = 'appending';

let appendSequence = 0;

export interface AppendOptions {
  /**
   * Leaves a marker in APPENDING_DIR from before the log is opened until the descriptor is closed,
   * so a compactor can wait for appends that may still write into the log it just rotated.
   */
  announce?: boolean;
  /** Called with the descriptor open and nothing written; tests pause or compact here. */
  afterOpen?: () => void;
}

/**
 * Appends one record as one line (one `write` on an O_APPEND descriptor); returns the log's size
 * after the write.
 *
 * @example appendRecord('.codex-flow/outcomes.jsonl', { agent: 'debugger', ok: true, … }, { announce: true })
 */
export function appendRecord(file: string, record: unknown, options: AppendOptions = {}): number {
  return appendRecords(file, [record], options);
}

/**
 * Appends records as lines with one `write` (one announcement, one descriptor) on an O_APPEND
 * descriptor: they land together, never interleaved with another writer's; returns the log's
 * size after the write.
 */
export function appendRecords(file: string, records: readonly unknown[], options: AppendOptions = {}): number {
  const marker = options.announce ? announceAppend(dirname(file)) : undefined;
  try {
    const fd = inMadeDir(dirname(file), () => openSync(file, 'a+'));
    try {
      options.afterOpen?.();
      const size = fstatSync(fd).size;
      let prefix = '';
      if (size > 0) {
        const last = Buffer.alloc(1);
        readSync(fd, last, 0, 1, size - 1);
        if (last[0] !== 0x0a) prefix = '\n';
      }
      const text = `${prefix}${records.map((record) => `${JSON.stringify(record)}\n`).join('')}`;
      return size + writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
  } finally {
    if (marker) removeMarker(marker);
  }
}

/** Takes an announcement back: one unlink (a compactor may have removed a stale one already). */
function removeMarker(marker: string): void {
  try {
    unlinkSync(marker);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Folders this process has made (or found): an append does not ask for them again. */
const madeDirs = new Set<string>();

/** Runs `create` (which makes a file in `dir`), making `dir` first when it is new or was removed since. */
function inMadeDir<T>(dir: string, create: () => T): T {
  if (madeDirs.has(dir)) {
    try {
      return create();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  mkdirSync(dir, { recursive: true });
  madeDirs.add(dir);
  return create();
}

function announceAppend(dir: string): string {
  const folder = join(dir, APPENDING_DIR);
  const marker = join(folder, `${process.pid}-${appendSequence++}-${Math.random().toString(36).slice(2, 8)}`);
  closeSync(inMadeDir(folder, () => openSync(marker, 'w')));
  return marker;
}

/** An append takes milliseconds; a marker this old was left by a crashed or stopped writer. */
const STALE_MARKER_MS = 30_000;

/** Whether an append marker belongs to a live append: its process runs and it is younger than STALE_MARKER_MS. */
function isLiveMarker(path: string, now: number): boolean {
  const pid = Number.parseInt(basename(path), 10);
  try {
    if (now - statSync(path).mtimeMs > STALE_MARKER_MS) return false;
  } catch {
    return false;
  }
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Waits until every append announced so far has closed its descriptor (dead or stale markers are
 * removed), polling every APPEND_POLL_MS; false when some are still open after `waitMs`.
 * Called by a compactor right after it rotated the log: an append not announced by then opens
 * the fresh log, so once this returns true no write can land in the rotated segments any more.
 */
export function waitForAppends(dir: string, waitMs: number): boolean {
  const folder = join(dir, APPENDING_DIR);
  let pending: string[];
  try {
    pending = readdirSync(folder).map((name) => join(folder, name));
  } catch {
    return true;
  }
  const deadline = Date.now() + waitMs;
  for (;;) {
    const now = Date.now();
    pending = pending.filter((marker) => {
      if (!existsSync(marker)) return false;
      if (isLiveMarker(marker, now)) return true;
      rmSync(marker, { force: true });
      return false;
    });
    if (pending.length === 0) return true;
    if (now >= deadline) return false;
    Atomics.wait(sleeper, 0, 0, APPEND_POLL_MS);
  }
}

/** How often a compactor looks again at the appends it waits for: an append holds its descriptor for microseconds. */
const APPEND_POLL_MS = 2;

export interface LogRead<T> {
  records: T[];
  /** Lines that were not JSON (torn by a crash, or edited by hand): 1-based line numbers. */
  skipped: number[];
  bytes: number;
}

/** Reads a JSONL log; a missing file is empty. `accept` rejects parsed values of the wrong shape. */
export function readLog<T>(file: string, accept: (value: unknown) => value is T): LogRead<T> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { records: [], skipped: [], bytes: 0 };
  }
  const records: T[] = [];
  const skipped: number[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim().length === 0) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      skipped.push(i + 1);
      continue;
    }
    if (accept(value)) records.push(value);
    else skipped.push(i + 1);
  }
  return { records, skipped, bytes: Buffer.byteLength(text) };
}

/** Segments of a log waiting to be folded (`<log>.<stamp>.segment`), oldest first. */
export function segmentsOf(file: string): string[] {
  const dir = dirname(file);
  const prefix = `${basename(file)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.startsWith(prefix) && name.endsWith('.segment'))
    .sort()
    .map((name) => join(dir, name));
}

/** Renames the live log to a new segment (appends then go to a fresh file); undefined when empty. */
export function rotate(file: string, stamp: string): string | undefined {
  const segment = `${file}.${stamp}.segment`;
  try {
    renameSync(file, segment);
    return segment;
  } catch {
    return undefined;
  }
}

/**
 * Runs `work` while holding the learning lock (util/file-lock.ts); returns undefined without
 * running it when another process holds it. A crashed holder's lock is taken over once stale.
 */
export function withLock<T>(dir: string, work: () => T, staleMs = STALE_LOCK_MS): T | undefined {
  const lock = tryLockSync(join(dir, LOCK_FILE), staleMs);
  if (lock === undefined) return undefined;
  try {
    return work();
  } finally {
    lock.release();
  }
}

/**
 * Rotates a log once it reaches `maxBytes`: the live file becomes `<file>.old` (the previous one
 * is dropped), under the lock, by a rename, never a rewrite, so an append during it lands in one of
 * the two files readers read. The size is checked again under the lock: two processes that both saw
 * the file full rotate it once, and the second never drops the first's `.old`.
 */
export function rotateWhenFull(dir: string, file: string, maxBytes: number): void {
  const size = () => {
    try {
      return statSync(file).size;
    } catch {
      return 0;
    }
  };
  if (size() < maxBytes) return;
  withLock(dir, () => {
    if (size() < maxBytes) return;
    rmSync(`${file}.old`, { force: true });
    try {
      renameSync(file, `${file}.old`);
    } catch {
      // Gone since the check: nothing to rotate.
    }
  });
}
