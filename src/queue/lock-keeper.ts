/**
 * Job locks renewed off the main thread. BullMQ reads a job's lock as the sign that its worker is
 * alive. Renewed from the event loop (BullMQ's own lock manager), a lock lapses whenever the loop
 * is held longer than the lock: a task's own synchronous work, a module's first load, a long GC
 * pause on a loaded machine. The job is then declared stalled and a second worker runs it while
 * the first still does, and the task's model call happens twice. Here a worker thread with its own
 * Redis connection renews the locks of the jobs in hand every quarter of the lock duration, so a
 * lock lapses when the process dies (SIGKILL, a lost machine) or loses Redis, not when its event
 * loop is busy. A main thread silent for `hungMs` (no heartbeat) counts as hung: the thread stops
 * renewing, its locks lapse and other workers take its jobs.
 *
 * @example
 * const keeper = LockKeeper.start(url, 30_000, (ids) => abortAttempts(ids));
 * keeper.track(worker.toKey(''), worker.keys.stalled, job.id, token);
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** The main thread's heartbeat: far below any lock duration, so a lapse means a hung loop. */
const BEAT_MS = 1_000;
/** How long the main thread may be silent before its jobs are let go: longer than any load-induced stall, short of forever. */
export const HUNG_MS = 120_000;

/**
 * BullMQ's lock rule (its extendLocks script): a lock is extended only while it still holds this
 * attempt's token; the job leaves the stalled set. Returns the ids whose lock is gone or someone else's.
 */
const EXTEND = `
local failed = {}
for i = 3, #ARGV, 2 do
  local id, token = ARGV[i], ARGV[i + 1]
  local key = ARGV[1] .. id .. ':lock'
  if redis.call('GET', key) == token then
    redis.call('SET', key, token, 'PX', ARGV[2])
    redis.call('SREM', KEYS[1], id)
  else
    table.insert(failed, id)
  end
end
return failed`;

/** The thread: plain CommonJS (it runs from a string, so the CLI bundle needs no second file). */
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const { Redis } = require(workerData.ioredis);
const { url, lockMs, hungMs, script } = workerData;
const redis = new Redis(url, { maxRetriesPerRequest: null, retryStrategy: (n) => Math.min(1000, 50 * n) });
redis.on('error', () => {});
const jobs = new Map();
let beat = Date.now();
let timer;
let closed = false;
parentPort.on('message', (message) => {
  const key = message.base + '\\0' + message.id;
  if (message.type === 'track') jobs.set(key, message);
  else if (message.type === 'untrack') jobs.delete(key);
  else if (message.type === 'beat') beat = Date.now();
  else if (message.type === 'close') {
    closed = true;
    clearTimeout(timer);
    redis.disconnect();
    parentPort.close();
  }
});
async function renew() {
  if (Date.now() - beat > hungMs) return;
  const queues = new Map();
  for (const job of jobs.values()) {
    const list = queues.get(job.base) ?? [];
    list.push(job);
    queues.set(job.base, list);
  }
  for (const [base, list] of queues) {
    const failed = await redis.eval(script, 1, list[0].stalled, base, String(lockMs), ...list.flatMap((job) => [job.id, job.token]));
    if (failed.length === 0) continue;
    for (const id of failed) jobs.delete(base + '\\0' + id);
    parentPort.postMessage({ type: 'lost', base, ids: failed.map(String) });
  }
}
const next = () => {
  timer = setTimeout(() => renew().catch(() => {}).finally(() => closed || next()), Math.max(50, lockMs / 4));
};
next();
`;

export class LockKeeper {
  private readonly beat: NodeJS.Timeout;

  private constructor(private readonly thread: Worker) {
    this.beat = setInterval(() => thread.postMessage({ type: 'beat' }), BEAT_MS);
    this.beat.unref();
    thread.unref();
  }

  /** `onLost` hears of jobs whose lock is gone (another worker may have them); `onError` of a dead thread. */
  static start(
    url: string,
    lockMs: number,
    onLost: (ids: string[], base: string) => void,
    onError: (error: Error) => void = () => undefined,
    hungMs = HUNG_MS,
  ): LockKeeper {
    const ioredis = createRequire(import.meta.url).resolve('ioredis');
    const thread = new Worker(THREAD, { eval: true, workerData: { ioredis, url, lockMs, hungMs, script: EXTEND } });
    thread.on('message', (message: { type: string; ids: string[]; base: string }) => {
      if (message.type === 'lost') onLost(message.ids, message.base);
    });
    thread.on('error', onError);
    return new LockKeeper(thread);
  }

  track(base: string, stalledKey: string, id: string, token: string): void {
    this.thread.postMessage({ type: 'track', base, stalled: stalledKey, id, token });
  }

  untrack(base: string, id: string): void {
    this.thread.postMessage({ type: 'untrack', base, id });
  }

  /** Stops renewing (the jobs in hand must be settled or released first) and ends the thread. */
  async close(): Promise<void> {
    clearInterval(this.beat);
    const exited = new Promise<void>((resolve) => this.thread.once('exit', () => resolve()));
    this.thread.postMessage({ type: 'close' });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), 1_000);
    });
    if ((await Promise.race([exited, late])) === 'late') await this.thread.terminate();
    clearTimeout(timer);
  }
}
