/**
 * Runs and swarms the server started: each a job with an id, a status, its events so far and its
 * result. GET …/:id/events replays the events and follows the job as server-sent events, so a
 * client that connects late misses nothing. The store is bounded: finished jobs beyond
 * MAX_KEPT_JOBS are forgotten oldest first, a job keeps at most MAX_EVENTS_PER_JOB events (the
 * rest are counted), and at most MAX_JOBS_IN_FLIGHT run at once.
 */
import type { FastifyReply } from 'fastify';

/** Finished jobs kept for GET: enough for any client to read its result, and a bound on memory. */
const MAX_KEPT_JOBS = 1000;
/** Events kept per job: a long run streams text in many small pieces. */
const MAX_EVENTS_PER_JOB = 10_000;
/** Runs and swarms at once: each holds provider calls and a workspace; the runner's own lanes limit agents within one. */
export const MAX_JOBS_IN_FLIGHT = 16;

/** Quiet time after which an event stream gets a comment line: well under common proxy idle timeouts (60 s). */
const SSE_HEARTBEAT_MS = 15_000;

export type JobStatus = 'running' | 'ok' | 'failed' | 'error';

export interface JobEvent {
  event: string;
  data: unknown;
}

export class Job {
  status: JobStatus = 'running';
  result: unknown;
  readonly events: JobEvent[] = [];
  dropped = 0;
  private readonly listeners = new Set<(event: JobEvent | null) => void>();
  constructor(
    readonly id: string,
    readonly kind: 'run' | 'swarm',
    readonly fleetHash: string,
    readonly controller = new AbortController(),
  ) {}

  emit(event: string, data: unknown): void {
    const entry = { event, data };
    if (this.events.length < MAX_EVENTS_PER_JOB) this.events.push(entry);
    else this.dropped++;
    for (const listener of this.listeners) listener(entry);
  }

  finish(status: Exclude<JobStatus, 'running'>, result: unknown): void {
    this.status = status;
    this.result = result;
    this.emit('end', { status });
    for (const listener of this.listeners) listener(null);
    this.listeners.clear();
  }

  /** Follows the job: `listener` gets each new event, then null at the end. Returns the unsubscribe. */
  follow(listener: (event: JobEvent | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  view(): Record<string, unknown> {
    return {
      ok: true,
      id: this.id,
      kind: this.kind,
      status: this.status,
      fleet_hash: this.fleetHash,
      events: this.events.length + this.dropped,
      ...(this.result === undefined ? {} : { result: this.result }),
    };
  }
}

/** A place among the MAX_JOBS_IN_FLIGHT held while a job is being set up; release is idempotent. */
export interface JobSlot {
  release(): void;
}

export class JobStore {
  private readonly jobs = new Map<string, Job>();
  private readonly running = new Set<Promise<void>>();
  private reserved = 0;

  /** Jobs running plus slots reserved by requests still setting theirs up. */
  get inFlight(): number {
    return this.running.size + this.reserved;
  }

  /**
   * Takes a slot at once, or undefined when MAX_JOBS_IN_FLIGHT are taken. A handler reserves
   * before its first await, so requests arriving together cannot all pass the cap, and releases
   * on every way out; start() takes over the slot's place.
   */
  reserve(): JobSlot | undefined {
    if (this.inFlight >= MAX_JOBS_IN_FLIGHT) return undefined;
    this.reserved++;
    let held = true;
    return {
      release: () => {
        if (!held) return;
        held = false;
        this.reserved--;
      },
    };
  }

  get(id: string): Job | undefined {
    return this.jobs.get(id);
  }

  /** Starts `work` as a job in the place of `slot`; it must finish the job itself. Errors become status `error`. */
  start(job: Job, slot: JobSlot, work: (job: Job) => Promise<void>): void {
    slot.release();
    this.jobs.set(job.id, job);
    const running: Promise<void> = work(job)
      .catch((error: unknown) => {
        if (job.status === 'running') job.finish('error', { message: 'internal error' });
        throw error;
      })
      .finally(() => {
        this.running.delete(running);
        this.forgetOld();
      });
    this.running.add(running);
    running.catch(() => {});
  }

  /** Settles when every job has ended, or after `ms`; then aborts the rest. */
  async drain(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    });
    await Promise.race([Promise.allSettled([...this.running]), timeout]);
    clearTimeout(timer);
    for (const job of this.jobs.values()) if (job.status === 'running') job.controller.abort();
  }

  private forgetOld(): void {
    for (const [id, job] of this.jobs) {
      if (this.jobs.size <= MAX_KEPT_JOBS) return;
      if (job.status !== 'running') this.jobs.delete(id);
    }
  }
}

/** Streams a job's events as server-sent events: the past ones, then each new one until it ends or the client leaves. */
export function streamJob(reply: FastifyReply, job: Job, headers: Record<string, string>): void {
  reply.hijack();
  const response = reply.raw;
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', ...headers });
  const write = (entry: JobEvent) => response.write(`event: ${entry.event}\ndata: ${JSON.stringify(entry.data)}\n\n`);
  for (const entry of job.events) write(entry);
  if (job.status !== 'running') {
    response.end();
    return;
  }
  // A comment line now and then keeps proxies and the server's idle timeout from closing a quiet stream.
  const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), SSE_HEARTBEAT_MS);
  const unfollow = job.follow((entry) => {
    if (entry) write(entry);
    else {
      clearInterval(heartbeat);
      response.end();
    }
  });
  response.on('close', () => {
    clearInterval(heartbeat);
    unfollow();
  });
}
