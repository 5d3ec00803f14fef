/**
 * Per-alias concurrency with bounded queues and backpressure.
 *
 * The naive approach runs everything at once (`Promise.all`) or puts every task behind one global
 * limiter, so a slow alias blocks the others and a flood of work grows memory without bound. Here
 * each alias has its own lane: at most `limit` jobs run, the rest wait in the lane's TaskQueue
 * (fifo / lifo / priority), and once `maxQueued` jobs wait, a new job is refused at once with a
 * BackpressureError value — the caller learns "no" synchronously, nothing is half-accepted.
 *
 * Invariants: `running <= limit` at every moment; every accepted job runs exactly once and its
 * promise settles exactly once; lanes never wait on each other. The per-job path allocates one
 * entry and one promise; lanes are created once per alias.
 *
 * @example
 * const scheduler = new Scheduler((alias) => ({ limit: 2, strategy: 'fifo', maxQueued: 10 }));
 * const admitted = scheduler.submit('reviewer', () => review(task));
 * if (!admitted.accepted) console.error(admitted.error.message);
 * else await admitted.done;
 */
import { TaskQueue, type QueueStrategy } from './task-queue.js';

export interface LaneOptions {
  limit: number;
  strategy: QueueStrategy;
  maxQueued: number;
}

/** The queue of an alias is full: the job was not accepted (CF8001). */
export class BackpressureError extends Error {
  override readonly name = 'BackpressureError';
  readonly code = 'CF8001';

  constructor(
    readonly alias: string,
    readonly queued: number,
    readonly maxQueued: number,
    readonly limit: number,
  ) {
    super(`alias "${alias}" is saturated: ${limit} running and ${queued} queued (threshold ${maxQueued}); task rejected`);
  }
}

export type Admission<T> = { accepted: true; done: Promise<T> } | { accepted: false; error: BackpressureError };

export interface LaneStats {
  running: number;
  queued: number;
  /** Highest `running` seen since the lane was created. */
  peakRunning: number;
  started: number;
  rejected: number;
}

interface Entry<T> {
  job: () => Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

class Lane {
  running = 0;
  peakRunning = 0;
  started = 0;
  rejected = 0;
  readonly queue: TaskQueue<Entry<unknown>>;

  constructor(
    readonly alias: string,
    readonly options: LaneOptions,
  ) {
    this.queue = new TaskQueue(options.strategy);
  }

  start(entry: Entry<unknown>): void {
    this.running++;
    this.started++;
    if (this.running > this.peakRunning) this.peakRunning = this.running;
    let promise: Promise<unknown>;
    try {
      promise = entry.job();
    } catch (error) {
      promise = Promise.reject(error);
    }
    promise.then(
      (value) => {
        this.finish();
        entry.resolve(value);
      },
      (error: unknown) => {
        this.finish();
        entry.reject(error);
      },
    );
  }

  private finish(): void {
    this.running--;
    const next = this.queue.shift();
    if (next) this.start(next);
  }
}

export class Scheduler {
  private readonly lanes = new Map<string, Lane>();

  constructor(private readonly laneOptions: (alias: string) => LaneOptions) {}

  /** Runs `job` under the alias's limit, or refuses it when the alias's queue is full. */
  submit<T>(alias: string, job: () => Promise<T>, priority = 0): Admission<T> {
    const lane = this.lane(alias);
    if (lane.running >= lane.options.limit && lane.queue.size >= lane.options.maxQueued) {
      lane.rejected++;
      return { accepted: false, error: new BackpressureError(alias, lane.queue.size, lane.options.maxQueued, lane.options.limit) };
    }
    let entry!: Entry<T>;
    const done = new Promise<T>((resolve, reject) => {
      entry = { job, resolve, reject };
    });
    if (lane.running < lane.options.limit) lane.start(entry as Entry<unknown>);
    else lane.queue.push(entry as Entry<unknown>, priority);
    return { accepted: true, done };
  }

  stats(alias: string): LaneStats {
    const lane = this.lanes.get(alias);
    if (!lane) return { running: 0, queued: 0, peakRunning: 0, started: 0, rejected: 0 };
    return {
      running: lane.running,
      queued: lane.queue.size,
      peakRunning: lane.peakRunning,
      started: lane.started,
      rejected: lane.rejected,
    };
  }

  private lane(alias: string): Lane {
    let lane = this.lanes.get(alias);
    if (!lane) {
      const options = this.laneOptions(alias);
      lane = new Lane(alias, { ...options, limit: Math.max(1, options.limit), maxQueued: Math.max(0, options.maxQueued) });
      this.lanes.set(alias, lane);
    }
    return lane;
  }
}
