/**
 * The Redis memory store (selected by MEM_REDIS_URL). Each entry is a string key holding its JSON
 * with a PX expiry; each namespace has a sorted set of its keys scored by write time, so `list`
 * reads the newest keys first and drops index members whose entry has expired or was deleted.
 * Expiry is also checked against the store's clock, so both stores answer the same way (the PX
 * expiry, set with a margin, only garbage-collects).
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
/** A store that cannot reach Redis fails the first command after this long, not after minutes. */
const CONNECT_TIMEOUT_MS = 2_000;

export class RedisMemoryStore implements MemoryStore {
  readonly kind = 'redis';

  private constructor(private readonly redis: Redis, private readonly clock: Clock) {}

  static async connect(url: string, clock: Clock = Date.now): Promise<RedisMemoryStore> {
    const redis = new Redis(url, { lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, maxRetriesPerRequest: 1, enableOfflineQueue: true });
    redis.on('error', () => { /* surfaced by the command that fails */ });
    await redis.connect();
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
    await multi.exec();
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
    await this.redis.multi().del(this.entryKey(namespace, key)).zrem(this.indexKey(namespace), key).exec();
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
