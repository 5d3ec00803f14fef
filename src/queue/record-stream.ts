/**
 * A worker's view of a run record: each event of a task goes to the run's stream in Redis, marked
 * with the attempt and the worker, and the submitting run writes it into its own record
 * (stream-reader.ts). An attempt that dies leaves its events in the stream, so the record shows
 * every attempt. `flush` waits for the events sent so far: the job completes only after them.
 */
import type { Redis } from 'ioredis';
import type { RecordSink } from '../runner/run-record.js';

/** Entries kept per run stream (approximately): far above one run's events, bounded for a runaway one. */
const MAX_STREAM_ENTRIES = 200_000;

export class StreamRecord implements RecordSink {
  readonly dir = undefined;
  private readonly sent: Array<Promise<unknown>> = [];

  constructor(
    readonly runId: string,
    private readonly redis: Redis,
    private readonly stream: string,
    private readonly mark: Record<string, unknown>,
  ) {}

  event(event: Record<string, unknown>): void {
    // The worker's clock: when it happened, not when the run read it.
    const line = JSON.stringify({ at: new Date().toISOString(), ...event, ...this.mark });
    this.sent.push(this.redis.xadd(this.stream, 'MAXLEN', '~', MAX_STREAM_ENTRIES, '*', 'e', line).catch(() => undefined));
  }

  finish(): void {}

  async flush(): Promise<void> {
    await Promise.all(this.sent.splice(0));
  }
}
