/**
 * The Redis memory store (selected by MEM_REDIS_URL). Each entry is a string key holding its JSON
 * with a PX expiry; each namespace has a sorted set of its keys scored by write time, so `list`
 * reads the newest keys first and drops index members whose entry has expired or was deleted.
 * Expiry is also checked against the store's clock, so both stores answer the same way (the PX
 * expiry, set with a margin, only garbage-collects).
 *
 * Nothing here waits without a bound, and nothing keeps the process alive: the first connection
 * (TCP and the ready check) has `CONNECT_TIMEOUT_MS`, every command `COMMAND_TIMEOUT_MS`, commands
 * fail at once while the connection is down (no offline queue, no per-request retries), reconnects
 * stop after `MAX_RECONNECTS`, and `close` gives QUIT a moment before it drops the socket. A Redis
 * that accepts connections and never answers, or dies mid-run, fails the calls; callers report it.
 *
 * @example
 * const store = await RedisMemoryStore.connect('redis://127.0.0.1:6379/0');
 */
import { Redis } from 'ioredis';
import { isLive, type Clock, type MemoryEntry, type MemoryStore } from './store.js';

/** Key prefix, so codex-flow shares a Redis database with other applications safely. */
export const REDIS_PREFIX = 'codex-flow:mem:';
/** Redis deletes an entry this long after our own clock says it expired: clocks of different
 *  machines disagree by seconds, and an early delete would make the stores differ. */
const EXPIRY_MARGIN_MS = 60_000;
/** Connecting (TCP and the ready check) to a Redis on the same network takes milliseconds; two
 *  seconds leaves room for a loaded machine and still reports a dead address well within 5 s. */
export const CONNECT_TIMEOUT_MS = 2_000;
/** A memory command is one small key or a page of them; a reply slower than this is a Redis in
 *  trouble, and the task must not wait on it. */
export const COMMAND_TIMEOUT_MS = 2_000;
/** Reconnect attempts after a dropped connection (a Redis restart takes a few hundred ms); then the
 *  client gives up, so a Redis gone for good never keeps the process alive. */
const MAX_RECONNECTS = 3;
const RECONNECT_DELAY_MS = 200;
/** How long `close` lets QUIT finish before dropping the socket. */
const QUIT_GRACE_MS = 500;

/** The URL without its password, for messages: `redis://:secret@host` must never reach a log. */
export function redisUrlForDisplay(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured Redis URL';
  }
}

export class RedisMemoryStore implements MemoryStore {
  readonly kind = 'redis';

  private constructor(
    private readonly redis: Redis,
    private readonly clock: Clock,
  ) {}

  /**
   * Connects and checks that Redis answers (PING) within `connectTimeoutMs`; rejects otherwise,
   * with the client already shut down.
   */
  static async connect(url: string, clock: Clock = Date.now, connectTimeoutMs = CONNECT_TIMEOUT_MS): Promise<RedisMemoryStore> {
    // Reconnects are for a connection that once worked: an address that never answered fails now.
    let connected = false;
    const redis = new Redis(url, {
      lazyConnect: true,
      connectTimeout: connectTimeoutMs,
      commandTimeout: COMMAND_TIMEOUT_MS,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: (attempt) => (!connected || attempt > MAX_RECONNECTS ? null : RECONNECT_DELAY_MS * attempt),
    });
    // Errors surface through the command that fails; the last one explains a failed connect.
    let lastError: Error | undefined;
    redis.on('error', (error: Error) => {
      lastError = error;
    });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer from ${redisUrlForDisplay(url)} within ${connectTimeoutMs} ms`)),
        connectTimeoutMs,
      );
    });
    try {
      await Promise.race([redis.connect().then(() => redis.ping()), deadline]);
      connected = true;
    } catch (error) {
      redis.disconnect();
      throw lastError ?? error;
    } finally {
      clearTimeout(timer);
    }
    return new RedisMemoryStore(redis, clock);
  }

  private entryKey(namespace: string, key: string): string {
    return `${REDIS_PREFIX}${namespace}:e:${key}`;
  }

  private indexKey(namespace: string): string {
    return `${REDIS_PREFIX}${namespace}:idx`;
  }

  async put(entry: MemoryEntry): Promise<void> {
    const multi = this.redis.multi();
    const json = JSON.stringify(entry);
    if (entry.expires_at === null) multi.set(this.entryKey(entry.namespace, entry.key), json);
    else multi.set(this.entryKey(entry.namespace, entry.key), json, 'PX', Math.max(1, entry.expires_at - this.clock()) + EXPIRY_MARGIN_MS);
    multi.zadd(this.indexKey(entry.namespace), entry.written_at, entry.key);
    await execOrThrow(multi.exec());
  }

  async get(namespace: string, key: string): Promise<MemoryEntry | undefined> {
    const json = await this.redis.get(this.entryKey(namespace, key));
    const entry = json ? (JSON.parse(json) as MemoryEntry) : undefined;
    return entry && isLive(entry, this.clock()) ? entry : undefined;
  }

  async list(namespace: string, limit: number): Promise<MemoryEntry[]> {
    const out: MemoryEntry[] = [];
    const now = this.clock();
    const index = this.indexKey(namespace);
    let start = 0;
    // Pages of the index, newest first, until `limit` live entries are found or the index ends.
    while (out.length < limit) {
      const keys = await this.redis.zrevrange(index, start, start + limit - 1);
      if (keys.length === 0) break;
      start += keys.length;
      const values = await this.redis.mget(keys.map((key) => this.entryKey(namespace, key)));
      const gone: string[] = [];
      values.forEach((json, at) => {
        const entry = json ? (JSON.parse(json) as MemoryEntry) : undefined;
        if (!entry) gone.push(keys[at]!);
        else if (isLive(entry, now) && out.length < limit) out.push(entry);
      });
      if (gone.length > 0) {
        await this.redis.zrem(index, ...gone);
        start -= gone.length;
      }
    }
    return out;
  }

  async delete(namespace: string, key: string): Promise<void> {
    await execOrThrow(this.redis.multi().del(this.entryKey(namespace, key)).zrem(this.indexKey(namespace), key).exec());
  }

  async close(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, QUIT_GRACE_MS);
    });
    await Promise.race([this.redis.quit().catch(() => undefined), grace]);
    clearTimeout(timer);
    this.redis.disconnect();
  }
}

/** A MULTI reports a failed command in its reply rather than rejecting; a lost write must throw. */
async function execOrThrow(reply: Promise<Array<[Error | null, unknown]> | null>): Promise<void> {
  const results = await reply;
  if (results === null) throw new Error('the Redis transaction was discarded');
  for (const [error] of results) if (error) throw error;
}
