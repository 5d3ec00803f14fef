/**
 * Connections to the queue's Redis. A worker and a run live through a Redis restart: commands wait
 * for the reconnect (BullMQ needs `maxRetriesPerRequest: null`) and reconnects go on with a capped
 * delay. What must not wait is the start: the first connection answers PING within
 * `CONNECT_TIMEOUT_MS` or the command stops with CF8501 — a wrong URL is said at once, never a hang.
 *
 * @example
 * const redis = await connectQueueRedis('redis://127.0.0.1:6379/0');
 */
import { Redis } from 'ioredis';
import { redisUrlForDisplay } from '../runner/memory/redis-store.js';

/** With the command's own start, well inside the 5 s a user waits for "is Redis there?"; a Redis on the same network answers in milliseconds. */
export const CONNECT_TIMEOUT_MS = 2_000;
/** Reconnect delays grow to this: a restarting Redis is back in well under a second. */
const MAX_RECONNECT_DELAY_MS = 1_000;

export class QueueUnreachableError extends Error {
  override readonly name = 'QueueUnreachableError';
  readonly code = 'CF8501';
}

/** A client for the queue: waits through reconnects once it has connected. */
export async function connectQueueRedis(url: string, timeoutMs = CONNECT_TIMEOUT_MS): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (attempt) => Math.min(MAX_RECONNECT_DELAY_MS, 50 * attempt),
  });
  let lastError: Error | undefined;
  redis.on('error', (error: Error) => {
    lastError = error;
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([redis.connect().then(() => redis.ping()), deadline]);
    return redis;
  } catch (error) {
    redis.disconnect();
    const reason = lastError?.message ?? (error as Error).message;
    throw new QueueUnreachableError(`the queue's Redis at ${redisUrlForDisplay(url)} is unreachable: ${reason}`);
  } finally {
    clearTimeout(timer);
  }
}

/** Closes a client: QUIT when it answers soon, else the socket is dropped. */
export async function closeQuietly(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  await Promise.race([redis.quit().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 500).unref())]);
  redis.disconnect();
}
