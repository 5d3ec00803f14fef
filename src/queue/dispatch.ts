/**
 * The submitting side of the queue: a run's tasks become BullMQ jobs, one queue per alias, and
 * the run waits for their results as it waits for the in-process scheduler. Admission mirrors the
 * scheduler's lane (`limit` running, then `max_queued` waiting, then CF8001), counted from the
 * alias queue's jobs when the run first uses the alias and then from this run's own submissions.
 * The alias queue's global concurrency is set to `max_parallel_tasks`, so the limit holds across
 * every worker together.
 *
 * Results come back atomically with the job's completion (BullMQ's `completed` event carries the
 * return value); task events come through the run's stream (record-stream.ts) and go into the run
 * record; outcomes go to the run's sink (the learning store). A job whose events were trimmed or
 * missed across a Redis restart is found by a periodic look at the job itself; a job Redis lost is
 * added again under the same id.
 *
 * A Redis gone for `queue.redis_grace_ms` ends the wait: every task still pending ends failed with
 * CF8600 (its job, if queued, stays in Redis for the workers once Redis is back), and so does
 * every task submitted after.
 *
 * Nothing here keeps the process alive once no task is pending: the sockets are unref'd and the
 * one ref'd timer runs only while results are awaited.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DispatchRun, TaskDispatch } from '../runner/runner.js';
import { BackpressureError, type Admission, type LaneOptions } from '../runner/scheduler.js';
import { taskHash, type PreparedTask, type TaskResult } from '../runner/execute-task.js';
import type { QueueOptions } from './options.js';
import { connectQueueRedis, closeQuietly } from './connection.js';
import { aliasesKey, budgetKey, jobId, queueName, runEventsKey } from './keys.js';
import { jobOf, queueFailedResult, type TaskJob, type TaskJobResult } from './job.js';
import { StreamReader } from './stream-reader.js';
import { jobOptions } from './strategy.js';
import { fleetPublisher } from './fleet-store.js';
import { QueueLostError, RedisWatch } from './redis-watch.js';
import { redisUrlForDisplay } from '../runner/memory/redis-store.js';

/** A pending job not heard of for this long is looked up directly (its events may be gone). */
const RECONCILE_MS = 3_000;
/** Jobs looked up per reconcile pass: bounded work, the rest wait for the next pass. */
const RECONCILE_BATCH = 200;
/** Run keys (events, budget) outlive the run by a day, for `runs failed` and late readers. */
export const RUN_KEY_TTL_S = 86_400;

interface Lane {
  queue: Queue;
  options: LaneOptions;
  active: number;
  queued: number;
}

interface Pending {
  job: TaskJob;
  hash: string;
  alias: string;
  run: DispatchRun;
  since: number;
  resolve: (result: TaskResult) => void;
}

export interface DispatchInit {
  options: QueueOptions;
  fleetHash: string;
  /** The compiled fleet's folder: copied to `queue.fleets` when that is set. */
  fleetDir: string;
  budgetUsd?: number;
}

export class QueueDispatch implements TaskDispatch {
  private readonly lanes = new Map<string, Promise<Lane>>();
  private readonly pending = new Map<string, Pending>();
  private readonly occurrences = new Map<string, number>();
  private readonly runs = new Set<string>();
  private readonly reader: StreamReader;
  private keepAlive: NodeJS.Timeout | undefined;
  /** Jobs settled whose events and outcomes are still being read. */
  private settling = 0;
  private publish: (() => Promise<void>) | undefined;
  private readonly watch: RedisWatch;

  private constructor(
    private readonly redis: Redis,
    blocking: Redis,
    private readonly init: DispatchInit,
  ) {
    this.reader = new StreamReader(blocking, (_stream, fields) => this.onEntry(fields));
    this.watch = new RedisWatch(redis, init.options.redisGraceMs, redisUrlForDisplay(init.options.url));
    this.watch.lost.catch((error: QueueLostError) => this.abandon(error));
  }

  /** Connects (CF8501 within seconds when Redis does not answer). */
  static async open(init: DispatchInit): Promise<QueueDispatch> {
    const redis = await connectQueueRedis(init.options.url);
    const blocking = redis.duplicate();
    for (const client of [redis, blocking]) unrefSockets(client);
    return new QueueDispatch(redis, blocking, init);
  }

  async submit(task: PreparedTask, priority: number, run: DispatchRun): Promise<Admission<TaskResult>> {
    // The sockets are unreferenced: from the first Redis command on, only the hold keeps a CLI
    // process alive until the job is queued and its result read.
    this.hold();
    try {
      return await this.enqueue(task, priority, run);
    } finally {
      this.releaseIfIdle();
    }
  }

  private async enqueue(task: PreparedTask, priority: number, run: DispatchRun): Promise<Admission<TaskResult>> {
    try {
      if (this.watch.gone) throw this.watch.gone;
      return await this.enqueueOn(task, priority, run);
    } catch (error) {
      if (!(error instanceof QueueLostError)) throw error;
      const agent = task.target.definition.agent.id;
      const job = { index: task.index, agent, alias: task.target.alias, ...(task.id !== undefined ? { id: task.id } : {}) };
      run.record.event({ event: 'task-failed-in-queue', task: task.index, alias: task.target.alias, reason: error.message });
      return { accepted: true, done: Promise.resolve(queueFailedResult(job, taskHash(agent, task.task, task.files), lostReason(error))) };
    }
  }

  private async enqueueOn(task: PreparedTask, priority: number, run: DispatchRun): Promise<Admission<TaskResult>> {
    const alias = task.target.alias;
    const lane = await this.watch.bounded(this.lane(alias, task.target.lane));
    if (lane.active < lane.options.limit) lane.active++;
    else if (lane.queued < lane.options.maxQueued) lane.queued++;
    else return { accepted: false, error: new BackpressureError(alias, lane.queued, lane.options.maxQueued, lane.options.limit) };
    const agent = task.target.definition.agent.id;
    const hash = taskHash(agent, task.task, task.files);
    const key = `${run.runId}\0${hash}`;
    const occurrence = this.occurrences.get(key) ?? 0;
    this.occurrences.set(key, occurrence + 1);
    const id = jobId(run.runId, hash, occurrence);
    const events = runEventsKey(this.init.options.prefix, run.runId);
    const job = jobOf(task, {
      runId: run.runId,
      fleetHash: this.init.fleetHash,
      events,
      ...(this.init.budgetUsd !== undefined ? { budgetUsd: this.init.budgetUsd } : {}),
    });
    await this.watch.bounded(this.startRun(run, events));
    const done = new Promise<TaskResult>((resolve) => this.pending.set(id, { job, hash, alias, run, since: Date.now(), resolve }));
    await this.watch.bounded(lane.queue.add('task', job, jobOptions(id, lane.options.strategy, priority, this.init.options)));
    run.record.event({ event: 'task-queued', task: task.index, alias, job_id: id, queue: queueName(alias) });
    return { accepted: true, done };
  }

  /** The alias's queue, its global concurrency set to the lane's limit, and its jobs counted once. */
  private lane(alias: string, options: LaneOptions): Promise<Lane> {
    let lane = this.lanes.get(alias);
    if (!lane) {
      lane = (async () => {
        const name = queueName(alias);
        const queue = new Queue(name, { connection: this.redis, prefix: this.init.options.prefix });
        queue.on('error', () => undefined); // a Redis restart: the commands wait for the reconnect
        const limit = Math.max(1, options.limit);
        await Promise.all([queue.setGlobalConcurrency(limit), this.redis.hset(aliasesKey(this.init.options.prefix), alias, name)]);
        const events = `${this.init.options.prefix}:${name}:events`;
        // Read the queue's events from here on: what comes before is not this run's.
        const last = (await this.redis.xrevrange(events, '+', '-', 'COUNT', 1)) as Array<[string, string[]]>;
        this.reader.watch(events, last[0]?.[0] ?? '0');
        const counts = await queue.getJobCounts('active', 'waiting', 'prioritized', 'delayed');
        return {
          queue,
          options: { ...options, limit, maxQueued: Math.max(0, options.maxQueued) },
          active: counts.active ?? 0,
          queued: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0),
        };
      })();
      this.lanes.set(alias, lane);
      lane.catch(() => this.lanes.delete(alias));
    }
    return lane;
  }

  private async startRun(run: DispatchRun, events: string): Promise<void> {
    if (this.runs.has(run.runId)) return;
    this.runs.add(run.runId);
    this.reader.watch(events, '0', run.record);
    const prefix = this.init.options.prefix;
    const writes: Array<Promise<unknown>> = [this.redis.expire(events, RUN_KEY_TTL_S)];
    if (this.init.budgetUsd !== undefined) {
      writes.push(
        this.redis.hsetnx(budgetKey(prefix, run.runId), 'limit', String(this.init.budgetUsd)),
        this.redis.expire(budgetKey(prefix, run.runId), RUN_KEY_TTL_S),
      );
    }
    if (this.init.options.fleets) {
      this.publish ??= fleetPublisher(this.init.fleetDir, this.init.options.fleets, this.init.fleetHash);
      writes.push(this.publish());
    }
    await Promise.all(writes);
  }

  /** One entry of an alias queue's BullMQ event stream: a job of this run completed or failed for good. */
  private onEntry(fields: Record<string, string>): void {
    if (fields.event === 'completed' || fields.event === 'failed') {
      const entry = this.pending.get(fields.jobId ?? '');
      if (!entry) return;
      if (fields.event === 'completed') this.settle(fields.jobId!, parseResult(fields.returnvalue));
      else this.settle(fields.jobId!, undefined, fields.failedReason ?? 'the job failed');
    }
  }

  private settle(id: string, returned: TaskJobResult | undefined, failure?: string): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    this.settling++;
    void this.lanes.get(entry.alias)?.then((lane) => {
      if (lane.queued > 0) lane.queued--;
      else lane.active = Math.max(0, lane.active - 1);
    });
    if (!returned) {
      const reason = `the job ${id} failed in the queue: ${failure ?? 'no result'} (CF8503: \`codex-flow runs failed\`, \`codex-flow runs retry ${id}\`)`;
      void this.reader
        .drain(entry.job.events, this.redis)
        .catch(() => undefined)
        .then(() => {
          entry.run.record.event({ event: 'task-failed-in-queue', task: entry.job.index, alias: entry.alias, job_id: id, reason: failure });
          entry.resolve(queueFailedResult(entry.job, entry.hash, reason));
        })
        .finally(() => this.settled());
    } else {
      const { result, outcomes } = returned;
      // The task's events, then its outcomes (in order, to the run's learning store), then the result.
      void this.reader
        .drain(entry.job.events, this.redis)
        .catch(() => undefined)
        .then(() => outcomes.reduce((chain, outcome) => chain.then(() => entry.run.outcomes.record(outcome)), Promise.resolve()))
        .catch((error: Error) => entry.run.record.event({ event: 'report-error', task: entry.job.index, error: error.message }))
        .then(() => entry.resolve(result))
        .finally(() => this.settled());
    }
  }

  /** Redis is gone past its grace: every pending task ends failed now, its job left to the workers. */
  private abandon(error: QueueLostError): void {
    const reason = lostReason(error);
    for (const [id, entry] of this.pending) {
      entry.run.record.event({
        event: 'task-failed-in-queue',
        task: entry.job.index,
        alias: entry.alias,
        job_id: id,
        reason: error.message,
      });
      entry.resolve(queueFailedResult(entry.job, entry.hash, `${reason} (job ${id})`));
    }
    this.pending.clear();
    this.releaseIfIdle();
  }

  /** A settled job's events and outcomes are read (over Redis, whose sockets hold nothing alive): the hold ends after. */
  private settled(): void {
    this.settling--;
    this.releaseIfIdle();
  }

  private releaseIfIdle(): void {
    if (this.pending.size === 0 && this.settling === 0) this.release();
  }

  /** Keeps the process alive while results are awaited; looks up jobs not heard of for a while. */
  private hold(): void {
    if (this.keepAlive) return;
    this.reader.start();
    this.keepAlive = setInterval(() => void this.reconcile().catch(() => undefined), RECONCILE_MS);
  }

  private release(): void {
    clearInterval(this.keepAlive);
    this.keepAlive = undefined;
    this.reader.stop();
  }

  private async reconcile(): Promise<void> {
    const now = Date.now();
    const stale = [...this.pending.entries()].filter(([, entry]) => now - entry.since >= RECONCILE_MS).slice(0, RECONCILE_BATCH);
    for (const [id, entry] of stale) {
      const lane = await this.lanes.get(entry.alias);
      if (!lane) continue;
      const job = await lane.queue.getJob(id);
      entry.since = Date.now();
      if (!job) {
        // Redis lost the job (a restart without persistence): the run still holds the task.
        entry.run.record.event({
          event: 'task-requeued',
          task: entry.job.index,
          alias: entry.alias,
          job_id: id,
          reason: 'the job was missing from Redis',
        });
        await lane.queue.add('task', entry.job, jobOptions(id, lane.options.strategy, 0, this.init.options));
      } else if (job.finishedOn) {
        if (job.failedReason && (job.returnvalue === null || job.returnvalue === undefined)) this.settle(id, undefined, job.failedReason);
        else this.settle(id, parseResult(job.returnvalue));
      }
    }
  }

  async close(): Promise<void> {
    this.release();
    this.watch.close();
    await Promise.all(
      [...this.lanes.values()].map((lane) =>
        lane.then(
          (opened) => opened.queue.close(),
          () => undefined,
        ),
      ),
    );
    await Promise.all([closeQuietly(this.redis), this.reader.close()]);
  }
}

function lostReason(error: QueueLostError): string {
  return `${error.message}: this run stopped waiting. Jobs already queued stay in Redis and run on the workers once it is back (\`codex-flow queue stats\`); run the tasks again (a swarm: \`--resume\`) to record them`;
}

function parseResult(value: unknown): TaskJobResult | undefined {
  try {
    const parsed = (typeof value === 'string' ? JSON.parse(value) : value) as TaskJobResult | null;
    return parsed && typeof parsed === 'object' && parsed.result ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** A client whose sockets never keep the process alive by themselves, reconnects included. */
export function unrefSockets(redis: Redis): void {
  // Errors surface through the commands that fail; a reconnecting client must not crash the process.
  redis.on('error', () => undefined);
  const unref = () => (redis as unknown as { stream?: { unref?: () => void } }).stream?.unref?.();
  unref();
  redis.on('connect', unref);
}
