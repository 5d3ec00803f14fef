/**
 * The processing side: one BullMQ worker per alias queue (those named, or every alias a run has
 * used, looked up again every few seconds), each taking at most `concurrency` jobs at once; the
 * queue's global concurrency caps the alias across all workers. A job is prepared against this
 * machine's fleet the way the submitting run prepared it, run by the project's Runner with the
 * run's record (a Redis stream), outcomes (returned with the result) and budget (shared in Redis).
 *
 * A job for a fleet hash this worker does not have, and cannot load from `queue.fleets`, fails
 * for good with CF8502 (no retry can fix it). `stop` stops taking jobs, lets those in hand finish
 * for `graceMs`, then puts the rest back in their queue at once (no wait for the stall interval).
 */
import { hostname } from 'node:os';
import { UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Runner } from '../runner/runner.js';
import type { ModelClient } from '../runner/agent-loop.js';
import type { ProviderRequest } from '../providers/provider.js';
import { MemoryOutcomeSink } from '../learn/outcome.js';
import type { QueueOptions } from './options.js';
import { aliasesKey, budgetKey, queueName } from './keys.js';
import { JOB_FORMAT, jobFormatRefusal, withJobAutonomy, type TaskJob, type TaskJobResult } from './job.js';
import { StreamBatches, StreamRecord } from './record-stream.js';
import { sharedBudget } from './budget.js';
import { LockKeeper } from './lock-keeper.js';
import { RedisWatch } from './redis-watch.js';
import { redisUrlForDisplay } from '../runner/memory/redis-store.js';

/** How often a worker without `--aliases` looks for aliases a run has started using. */
const DISCOVER_MS = 1_000;
/** After the grace, how long putting jobs back and closing may take: with Redis gone they never finish. */
const CLOSE_MS = 5_000;

export interface WorkerInit {
  options: QueueOptions;
  redis: Redis;
  /** This machine's runner (its fleet, config, providers) and the fleet's hash. */
  runner: Runner;
  fleetHash: string;
  model: ModelClient;
  /** A call's estimated cost, for the shared budget. */
  estimate: (request: ProviderRequest) => number;
  /** A runner for another fleet version (from `queue.fleets`), or undefined when there is none. */
  runnerFor?: (hash: string) => Promise<Runner | undefined>;
  aliases?: string[];
  concurrency: number;
  name?: string;
  log?: (line: string) => void;
}

interface InHand {
  job: Job<TaskJob>;
  /** The alias queue's key base (BullMQ's `toKey('')`): the lock keeper's name for the queue. */
  base: string;
  token: string | undefined;
  release: AbortController;
  /** The job's lock was lost (its stall was declared): another worker has it now. */
  lost: boolean;
}

export class QueueWorker {
  readonly name: string;
  private readonly workers = new Map<string, Worker>();
  private readonly inHand = new Set<InHand>();
  private discover: NodeJS.Timeout | undefined;
  private stopping = false;
  private readonly locks: LockKeeper;
  private readonly watch: RedisWatch;
  private readonly streams: StreamBatches;
  processed = 0;

  private constructor(private readonly init: WorkerInit) {
    this.name = init.name ?? `${hostname()}-${process.pid}`;
    this.streams = new StreamBatches(init.redis);
    // A job whose lock could not be renewed may already run elsewhere: stop this attempt's work
    // (its model call is cut), so the task's side effects happen in one attempt, not two.
    this.locks = LockKeeper.start(
      init.options.url,
      init.options.stallMs,
      (ids, base) => {
        for (const hand of this.inHand) {
          if (hand.base !== base || !ids.includes(String(hand.job.id))) continue;
          hand.lost = true;
          hand.release.abort(new Error("the job's lock was lost"));
        }
      },
      (error) => init.log?.(`codex-flow worker: the lock keeper stopped (${error.message}); jobs in hand will be retried elsewhere\n`),
    );
    // A worker outlives a Redis outage (it reconnects with a capped backoff, as long as it takes)
    // and says so once per outage, not once per failed command.
    const where = redisUrlForDisplay(init.options.url);
    this.watch = new RedisWatch(init.redis, init.options.redisGraceMs, where, (state, downMs) =>
      init.log?.(
        state === 'down'
          ? `codex-flow worker ${this.name}: lost the queue's Redis at ${where}; reconnecting with backoff (at most 1 s apart) until it is back or SIGTERM\n`
          : `codex-flow worker ${this.name}: the queue's Redis is back after ${(downMs / 1000).toFixed(1)} s\n`,
      ),
    );
    this.watch.lost.catch((error: Error) =>
      init.log?.(`codex-flow worker ${this.name}: ${error.message.replace(/^CF8600: /, '')}; still reconnecting\n`),
    );
  }

  static async start(init: WorkerInit): Promise<QueueWorker> {
    const worker = new QueueWorker(init);
    await worker.refresh();
    if (!init.aliases) worker.discover = setInterval(() => void worker.refresh().catch(() => undefined), DISCOVER_MS);
    return worker;
  }

  get aliases(): string[] {
    return [...this.workers.keys()].sort();
  }

  private async refresh(): Promise<void> {
    const aliases = this.init.aliases ?? Object.keys(await this.init.redis.hgetall(aliasesKey(this.init.options.prefix)));
    for (const alias of aliases) {
      if (this.stopping || this.workers.has(alias)) continue;
      const { options } = this.init;
      // Locks are renewed by the lock keeper's thread, not BullMQ's timer on this event loop.
      const worker: Worker<TaskJob, TaskJobResult> = new Worker<TaskJob, TaskJobResult>(
        queueName(alias),
        (job, token) => this.process(worker, job, token),
        {
          connection: this.init.redis,
          prefix: options.prefix,
          concurrency: this.init.concurrency,
          name: this.name,
          lockDuration: options.stallMs,
          stalledInterval: options.stallMs,
          maxStalledCount: Math.max(1, options.attempts - 1),
          skipLockRenewal: true,
        },
      );
      // Said once BullMQ has the job's completion in Redis: a job logged here is never run again.
      worker.on('completed', (job, returned) => {
        this.processed++;
        this.init.log?.(
          `codex-flow worker ${this.name}: job ${job.id} (${job.data.alias}, attempt ${job.attemptsStarted}) ${returned.result.stop_reason} in ${returned.result.ms} ms\n`,
        );
      });
      worker.on('error', (error) => {
        if (this.init.redis.status !== 'ready') return; // the outage is said once, by the watch
        this.init.log?.(`codex-flow worker: ${alias}: ${error.message}\n`);
      });
      this.workers.set(alias, worker);
    }
  }

  private async process(worker: Worker, job: Job<TaskJob>, token: string | undefined): Promise<TaskJobResult> {
    const hand: InHand = { job, base: worker.toKey(''), token, release: new AbortController(), lost: false };
    this.inHand.add(hand);
    if (token) this.locks.track(hand.base, worker.keys.stalled!, String(job.id), token);
    try {
      return await this.attempt(job, token, hand);
    } finally {
      this.locks.untrack(hand.base, String(job.id));
      this.inHand.delete(hand);
    }
  }

  private async attempt(job: Job<TaskJob>, token: string | undefined, hand: InHand): Promise<TaskJobResult> {
    const data = job.data;
    if (data.v !== JOB_FORMAT) throw new UnrecoverableError(jobFormatRefusal(job.id, data.v, this.name));
    const runner = data.fleet_hash === this.init.fleetHash ? this.init.runner : await this.init.runnerFor?.(data.fleet_hash);
    if (!runner) {
      throw new UnrecoverableError(
        `CF8502: job ${job.id} needs fleet ${data.fleet_hash.slice(0, 12)}; worker ${this.name} has fleet ${this.init.fleetHash.slice(0, 12)}${this.init.options.fleets ? ` and ${this.init.options.fleets} holds no copy of it` : ''}: compile the same briefs here, or set queue.fleets to a folder every machine reads`,
      );
    }
    const prepared = await runner.prepare(
      {
        task: data.task,
        files: data.files,
        alias: data.alias,
        ...(data.prompt ? { prompt: data.prompt } : {}),
        ...(data.id !== undefined ? { id: data.id } : {}),
      },
      data.index,
    );
    if (!prepared.ok) throw new UnrecoverableError(`job ${job.id}: ${prepared.diagnostic.message}`);
    const task = withJobAutonomy(prepared.task, data);
    if (data.route) task.route = data.route;
    const record = new StreamRecord(data.run_id, this.streams, data.events, {
      attempt: job.attemptsStarted,
      worker: this.name,
      job_id: job.id,
    });
    record.event({ event: 'task-attempt', task: data.index, alias: data.alias });
    // Sent before the work starts: a worker killed mid-task leaves its attempt in the record.
    await record.flush();
    const outcomes = new MemoryOutcomeSink();
    const model =
      data.budget_usd !== undefined
        ? sharedBudget(this.init.redis, budgetKey(this.init.options.prefix, data.run_id), this.init.estimate).wrap(this.init.model)
        : this.init.model;
    const result = await runner.execute(task, { runId: data.run_id, record, outcomes, model, signal: hand.release.signal });
    await record.flush();
    if (hand.lost) {
      record.event({ event: 'task-lock-lost', task: data.index, alias: data.alias });
      await record.flush();
      throw new Error(`job ${job.id}: its lock was lost and another worker has it; this attempt's result is dropped`);
    }
    if (hand.release.signal.aborted) {
      // Stopped before the task finished: the job goes back for another worker, not to "completed".
      record.event({ event: 'task-released', task: data.index, alias: data.alias });
      await record.flush();
      await job.moveToWait(token);
      throw new WaitingError();
    }
    return { result, outcomes: outcomes.outcomes };
  }

  /**
   * Stops taking jobs; jobs in hand get `graceMs` to finish, then are cancelled and put back in
   * their queue. Resolves with the number put back.
   */
  async stop(graceMs: number): Promise<number> {
    this.stopping = true;
    clearInterval(this.discover);
    const closing = Promise.all([...this.workers.values()].map((worker) => worker.close()));
    let timer: NodeJS.Timeout | undefined;
    const expired = await Promise.race([
      closing.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), graceMs);
      }),
    ]);
    clearTimeout(timer);
    let released = 0;
    if (expired) {
      released = this.inHand.size;
      for (const hand of this.inHand) hand.release.abort(new Error('the worker is stopping'));
      const closed = await Promise.race([closing.then(() => true), pause(CLOSE_MS).then(() => false)]);
      // Redis is gone: nothing can be put back; the jobs' locks lapse and other workers take them.
      if (!closed) for (const worker of this.workers.values()) void worker.disconnect().catch(() => undefined);
    }
    this.watch.close();
    await this.locks.close();
    return released;
  }
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
