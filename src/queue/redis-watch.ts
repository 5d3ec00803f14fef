/**
 * How long a queue client may be without its Redis. Commands wait through a reconnect (a restart
 * is back in a second), but a Redis that stays gone would leave them waiting for ever: once the
 * connection has been down for `graceMs` without a break, `lost` rejects with CF8600 and the
 * listeners hear of it once. A connection that comes back before that resets the clock.
 *
 * @example
 * const watch = new RedisWatch(redis, 60_000, 'redis://queue:6379/0');
 * await Promise.race([queue.add(...), watch.lost]);
 */
import type { Redis } from 'ioredis';

export class QueueLostError extends Error {
  override readonly name = 'QueueLostError';
  readonly code = 'CF8600';
}

export class RedisWatch {
  /** Rejects once Redis has been gone for the whole grace; never resolves. */
  readonly lost: Promise<never>;
  private downSince: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reject!: (error: QueueLostError) => void;
  private error: QueueLostError | undefined;
  private closed = false;

  constructor(
    redis: Redis,
    private readonly graceMs: number,
    private readonly where: string,
    private readonly onDown?: (state: 'down' | 'up', downMs: number) => void,
  ) {
    this.lost = new Promise<never>((_, reject) => {
      this.reject = reject;
    });
    this.lost.catch(() => undefined);
    redis.on('close', () => this.down());
    redis.on('ready', () => this.up());
  }

  /** The error once Redis is lost, else undefined. */
  get gone(): QueueLostError | undefined {
    return this.error;
  }

  /** `promise`, or the CF8600 rejection when Redis is lost first. */
  bounded<T>(promise: Promise<T>): Promise<T> {
    return Promise.race([promise, this.lost]);
  }

  private down(): void {
    // After close() the connection is being shut on purpose: that is no outage to report.
    if (this.closed || this.downSince !== undefined || this.error) return;
    this.downSince = Date.now();
    this.onDown?.('down', 0);
    this.timer = setTimeout(() => {
      this.error = new QueueLostError(
        `CF8600: the queue's Redis at ${this.where} has been unreachable for ${Math.round(this.graceMs / 1000)} s (queue.redis_grace_ms)`,
      );
      this.reject(this.error);
    }, this.graceMs);
    this.timer.unref();
  }

  private up(): void {
    if (this.closed || this.downSince === undefined || this.error) return;
    const downMs = Date.now() - this.downSince;
    clearTimeout(this.timer);
    this.downSince = undefined;
    this.onDown?.('up', downMs);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }
}
