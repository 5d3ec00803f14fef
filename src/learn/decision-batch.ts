/**
 * Route decisions recorded by a long-running process (the server), off the request path.
 *
 * Naive approach: every route appends its decision with synchronous file calls (open, stat, read
 * the last byte, write, close, stat for rotation) on the event loop, and a rotation can land in
 * the middle of a request. What this does instead: a route hands its decision to the batch and
 * returns; the batch writes everything pending as one append on a timer (FLUSH_DELAY_MS), with
 * asynchronous file calls, and rotates the log after the write, never inside a request.
 * Invariants: a decision is findable (`find`) from the moment it is added, in memory until its
 * batch is on disk and from the log afterwards, so feedback right after an answer finds it;
 * decisions reach the log in the order they were added, each as one whole line; one write runs
 * at a time, and what arrives meanwhile joins the next write, so a slow disk makes writes larger,
 * not more numerous; `flush()` (the server's shutdown) returns once every decision added earlier
 * is written, or past its bound with what is left counted as dropped; at most MAX_PENDING_DECISIONS wait for the timer (past that the write starts at
 * once); at most `maxUnwritten` are held in memory in all: a decision added past that is dropped,
 * counted (`dropped`) and reported through `onDrop`, never held up and never lost in silence.
 * Routes are not made to wait for the disk: a decision only gives feedback its context.
 *
 * @example
 * const batch = new DecisionBatch();
 * batch.add('.codex-flow', decision, 5000);
 * batch.find(decision.route_id); // the decision, written or still waiting
 * await batch.flush();
 */
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { DECISIONS_FILE } from './store.js';
import { rotateDecisionsWhenFull, type Decision } from './decisions.js';

/** How long a decision waits for others to share its write: well under any client's feedback round trip. */
export const FLUSH_DELAY_MS = 20;
/** Decisions waiting for the timer at most; a burst past it is written at once instead of waiting. */
export const MAX_PENDING_DECISIONS = 2_000;
/**
 * Decisions held in memory at most, queued and being written: 40 s of routes at 500 a second
 * behind a stalled disk, a few tens of megabytes. Past it new decisions are dropped and counted.
 */
export const MAX_UNWRITTEN_DECISIONS = 20_000;

/** How long a stopping process waits for its decisions to reach the disk: a stalled disk never holds the stop without end. */
export const FLUSH_AT_STOP_MS = 10_000;

/** Appends whole lines to a file; the batch's one way to the disk (a test passes a stalled one). */
export type AppendLines = (file: string, lines: string) => Promise<void>;

export interface DecisionBatchOptions {
  /** Told once when decisions start being dropped, then after each write with how many were dropped meanwhile. */
  onDrop?: (message: string) => void;
  maxUnwritten?: number;
  append?: AppendLines;
}

interface Pending {
  dir: string;
  decision: Decision;
  maxDecisions: number;
}

export class DecisionBatch {
  /** Added, not yet handed to a write. */
  private queued: Pending[] = [];
  /** Route id → the latest decision not yet on disk (queued or being written). */
  private readonly unwritten = new Map<string, Decision>();
  /** Decisions queued or being written: what the memory bound counts. */
  private held = 0;
  private timer: NodeJS.Timeout | undefined;
  /** The write in flight, if any: at most one. */
  private writing: Promise<void> | undefined;
  /** Decisions dropped at the bound since the process started (the server's metric). */
  dropped = 0;
  /** Dropped since the last report. */
  private droppedUnreported = 0;
  private readonly maxUnwritten: number;
  private readonly append: AppendLines;
  private readonly onDrop: (message: string) => void;

  constructor(
    private readonly onError: (message: string) => void = () => {},
    private readonly delayMs = FLUSH_DELAY_MS,
    options: DecisionBatchOptions = {},
  ) {
    this.maxUnwritten = options.maxUnwritten ?? MAX_UNWRITTEN_DECISIONS;
    this.append = options.append ?? appendLines;
    this.onDrop = options.onDrop ?? onError;
  }

  /** Takes a decision to write with the next batch; returns at once. False: the bound is reached and the decision was dropped. */
  add(dir: string, decision: Decision, maxDecisions: number): boolean {
    if (this.held >= this.maxUnwritten) {
      this.dropped++;
      if (this.droppedUnreported++ === 0)
        this.onDrop(
          `route decisions are being dropped: ${this.held} wait for the disk (the bound); feedback on the dropped routes records without their context`,
        );
      return false;
    }
    this.queued.push({ dir, decision, maxDecisions });
    this.held++;
    this.unwritten.set(decision.route_id, decision);
    if (this.queued.length >= MAX_PENDING_DECISIONS) this.startWrite();
    else this.timer ??= setTimeout(() => this.startWrite(), this.delayMs);
    return true;
  }

  /** The latest decision recorded for a route id that is not on disk yet. */
  find(routeId: string): Decision | undefined {
    return this.unwritten.get(routeId);
  }

  /** Decisions held when a flush gave up waiting (already counted as dropped); undefined until one does. */
  private abandonedAt: number | undefined;

  /** How many decisions are held in memory, queued or being written. */
  get pending(): number {
    return this.held;
  }

  /**
   * Writes everything added so far; resolves true once it is on disk (or its failure was
   * reported), false when `waitMs` passed first (a stalled disk): what is still held is then
   * counted as dropped and reported, so a process that stops never waits on its disk without end.
   */
  async flush(waitMs = Number.POSITIVE_INFINITY): Promise<boolean> {
    // A flush that already gave up on a stalled disk: a second one (the holder's, then the
    // server's) neither waits again nor counts the same decisions twice, only those added since.
    if (this.abandonedAt !== undefined) {
      const added = this.held - this.abandonedAt;
      if (added > 0) {
        this.dropped += added;
        this.abandonedAt = this.held;
        this.onDrop(`${added} route decision(s) not written: the decision log is stalled`);
      }
      return this.held === 0;
    }
    this.startWrite();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = Number.isFinite(waitMs)
      ? new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), waitMs);
        })
      : undefined;
    try {
      while (this.writing) {
        if ((await (timedOut ? Promise.race([this.writing, timedOut]) : this.writing)) !== 'timeout') continue;
        this.dropped += this.held;
        this.abandonedAt = this.held;
        this.onDrop(`${this.held} route decision(s) not written: the decision log took over ${waitMs} ms`);
        return false;
      }
      return true;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Starts a write of everything queued unless one is in flight (that one starts the next when it ends). */
  private startWrite(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.writing || this.queued.length === 0) return;
    const batch = this.queued;
    this.queued = [];
    this.writing = this.write(batch).finally(() => {
      this.writing = undefined;
      this.held -= batch.length;
      if (this.droppedUnreported > 0) {
        this.onDrop(`${this.droppedUnreported} route decision(s) dropped while the decision log was written slower than routes arrived`);
        this.droppedUnreported = 0;
      }
      this.startWrite();
    });
  }

  private async write(batch: Pending[]): Promise<void> {
    const byDir = new Map<string, Pending[]>();
    for (const entry of batch) {
      const entries = byDir.get(entry.dir);
      if (entries) entries.push(entry);
      else byDir.set(entry.dir, [entry]);
    }
    for (const [dir, entries] of byDir) {
      try {
        await this.append(join(dir, DECISIONS_FILE), entries.map((entry) => JSON.stringify(entry.decision)).join('\n'));
        rotateDecisionsWhenFull(dir, Math.min(...entries.map((entry) => entry.maxDecisions)));
      } catch (error) {
        this.onError(`${entries.length} route decision(s) not written to ${join(dir, DECISIONS_FILE)}: ${(error as Error).message}`);
      }
      for (const { decision } of entries) if (this.unwritten.get(decision.route_id) === decision) this.unwritten.delete(decision.route_id);
    }
  }
}

/** One append of whole lines; starts with a newline when a crashed writer left the file without one (store.ts's rule). */
async function appendLines(file: string, lines: string): Promise<void> {
  await mkdir(join(file, '..'), { recursive: true });
  const handle = await open(file, 'a+');
  try {
    const { size } = await handle.stat();
    let prefix = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) prefix = '\n';
    }
    await handle.write(`${prefix}${lines}\n`);
  } finally {
    await handle.close();
  }
}
