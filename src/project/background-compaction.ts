/**
 * Outcome compaction for a long-running process, off the request path: feedback appends its
 * outcome and answers; a compaction that comes due is run on a thread of its own
 * (compaction-worker.ts), never on the event loop, where its wait for open appends alone can take
 * seconds (learn/learner.ts, APPEND_WAIT_MS).
 * Invariants: at most one compaction runs at a time per process; a compaction asked for while one
 * runs is remembered once and runs after it (asks coalesce, so the work is bounded by the log, not
 * by the feedback rate); each is cut after `timeoutMs` (the thread is terminated; the compaction's
 * lock goes stale and the next compaction takes it, its segments stay pending and loads read
 * them); a failure is reported, never thrown at a request; `close()` waits for the one running,
 * within its bound.
 *
 * @example
 * const compaction = new BackgroundCompaction((message) => console.error(message));
 * learning.compactor = compaction.ask;
 * await compaction.close();
 */
import { Worker } from 'node:worker_threads';
import type { Learning } from '../learn/learner.js';
import type { LearningOptions } from '../learn/options.js';
import { workerSource } from './worker-source.js';

/** Far past a compaction's own bound (its two-second wait for appends plus the fold of a few megabytes). */
export const COMPACTION_TIMEOUT_MS = 60_000;

export interface CompactionRequest {
  id: number;
  /** The learning folder (a Learning's `dir`). */
  dir: string;
  options: LearningOptions;
}

export type CompactionReply = { id: number; compacted: boolean } | { id: number; error: string };

/** The learning folder a compaction works on, and its options. */
type Target = Pick<Learning, 'dir' | 'options'>;

export class BackgroundCompaction {
  private running: Promise<void> | undefined;
  /** Folders asked for while a compaction ran, by learning folder: each runs once afterwards. */
  private readonly again = new Map<string, Target>();
  private worker: Worker | undefined;
  private next = 0;
  private closed = false;
  /** Compactions ended, by result (tests, and the server's log). */
  readonly counts = { compacted: 0, skipped: 0, failed: 0 };

  constructor(
    private readonly onError: (message: string) => void = () => {},
    private readonly timeoutMs = COMPACTION_TIMEOUT_MS,
  ) {}

  /** Asks for a compaction of this learning folder; returns at once. Bound, so it can be a Learning's `compactor`. */
  readonly ask = (learning: Target): void => {
    if (this.closed) return;
    const target = { dir: learning.dir, options: learning.options };
    if (this.running) {
      this.again.set(target.dir, target);
      return;
    }
    this.running = this.run(target).finally(() => {
      this.running = undefined;
      const queued = this.again.values().next();
      if (queued.done) return;
      this.again.delete(queued.value.dir);
      this.ask(queued.value);
    });
  };

  /** Resolves once no compaction runs (tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Lets the running compaction end (within its bound), starts no other, and stops the thread. */
  async close(): Promise<void> {
    this.closed = true;
    this.again.clear();
    await this.running;
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private run(target: Target): Promise<void> {
    const worker = this.thread();
    const id = ++this.next;
    return new Promise<void>((settle) => {
      const done = (result: 'compacted' | 'skipped' | 'failed', problem?: string) => {
        clearTimeout(timer);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        this.counts[result]++;
        if (problem) {
          this.drop(worker);
          this.onError(`the outcome log of ${target.options.dir} was not compacted: ${problem}`);
        }
        settle();
      };
      const onMessage = (reply: CompactionReply) => {
        if (reply.id !== id) return;
        if ('error' in reply) done('failed', reply.error);
        else done(reply.compacted ? 'compacted' : 'skipped');
      };
      const onError = (error: Error) => done('failed', error.stack ?? error.message);
      const onExit = (code: number) => done('failed', `the compaction thread exited (${code})`);
      const timer = setTimeout(() => done('failed', `it ran past ${this.timeoutMs} ms and was cut`), this.timeoutMs);
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.postMessage({ id, dir: target.dir, options: target.options } satisfies CompactionRequest);
    });
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const { source, eval: evaluate } = workerSource('compaction-worker');
    const worker = new Worker(source, { eval: evaluate });
    worker
      .on('error', () => {})
      .on('exit', () => {
        if (this.worker === worker) this.worker = undefined;
      });
    // An idle compaction thread does not keep the process alive.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private drop(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    void worker.terminate();
  }
}
