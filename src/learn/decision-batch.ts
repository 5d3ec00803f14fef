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
 * decisions reach the log in the order they were added, each as one whole line; `flush()` (the
 * server's shutdown) returns once every decision added earlier is written; at most
 * MAX_PENDING_DECISIONS wait in memory: past that, a route waits for nothing but the batch is
 * written at once.
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
/** Decisions held in memory at most; a burst past it is written at once instead of waiting for the timer. */
export const MAX_PENDING_DECISIONS = 2_000;

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
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly onError: (message: string) => void = () => {},
    private readonly delayMs = FLUSH_DELAY_MS,
  ) {}

  /** Takes a decision to write with the next batch; returns at once. */
  add(dir: string, decision: Decision, maxDecisions: number): void {
    this.queued.push({ dir, decision, maxDecisions });
    this.unwritten.set(decision.route_id, decision);
    if (this.queued.length >= MAX_PENDING_DECISIONS) this.startWrite();
    else this.timer ??= setTimeout(() => this.startWrite(), this.delayMs);
  }

  /** The latest decision recorded for a route id that is not on disk yet. */
  find(routeId: string): Decision | undefined {
    return this.unwritten.get(routeId);
  }

  /** How many decisions are not on disk yet. */
  get pending(): number {
    return this.unwritten.size;
  }

  /** Writes everything added so far; resolves once it is on disk (or its failure was reported). */
  async flush(): Promise<void> {
    this.startWrite();
    await this.writing;
  }

  private startWrite(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queued.length === 0) return;
    const batch = this.queued;
    this.queued = [];
    this.writing = this.writing.then(() => this.write(batch));
  }

  private async write(batch: Pending[]): Promise<void> {
    const byDir = new Map<string, Pending[]>();
    for (const entry of batch) byDir.set(entry.dir, [...(byDir.get(entry.dir) ?? []), entry]);
    for (const [dir, entries] of byDir) {
      try {
        await appendLines(join(dir, DECISIONS_FILE), entries.map((entry) => JSON.stringify(entry.decision)).join('\n'));
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
