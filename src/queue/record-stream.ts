/**
 * A worker's view of a run record: each event of a task goes to the run's stream in Redis, marked
 * with the attempt and the worker, and the submitting run writes it into its own record
 * (stream-reader.ts). A worker flushes a task's `task-attempt` before the work starts, so an attempt
 * that dies is in the record; of its later events, at most BATCH_MS's worth is lost with it.
 * `flush` waits for the events sent so far: the job completes only after them.
 *
 * The events of all of a worker's tasks bound for one stream are sent together (`StreamBatches`):
 * one XADD per batch of at most BATCH_MS, one event as the entry's `e` field, several as `b`, their
 * lines joined by newlines (a JSON line holds none). A task's events arrive at most BATCH_MS later
 * than they happened, and in their order; a task's own flush sends at once. Every entry carries
 * its format (`v`, STREAM_FORMAT): a reader of another format refuses it (CF8141) instead of
 * misreading it.
 */
import type { Redis } from 'ioredis';
import type { RecordSink } from '../runner/run-record.js';

/** The format of a run stream's entries (`v`): the `e`/`b` fields above. */
export const STREAM_FORMAT = '2';
/** Entries kept per run stream (approximately): far above one run's events, bounded for a runaway one. */
const MAX_STREAM_ENTRIES = 200_000;
/** How long an event may wait for others to share its XADD: well under what a reader of the record notices. */
const BATCH_MS = 20;

/** The lines waiting for one stream, and the sends of that stream still in flight. */
class StreamBatch {
  private lines: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    private readonly stream: string,
    private readonly onIdle: () => void,
  ) {}

  push(line: string): void {
    this.lines.push(line);
    this.timer ??= setTimeout(() => void this.send(), BATCH_MS);
  }

  /** Sends what waits now; resolves once every send so far is done (a failed one is given up: the stream is a transport). */
  send(): Promise<unknown> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.lines.length > 0) {
      const lines = this.lines.splice(0);
      const field = lines.length === 1 ? ['e', lines[0]!] : ['b', lines.join('\n')];
      const sent = this.redis
        .xadd(this.stream, 'MAXLEN', '~', MAX_STREAM_ENTRIES, '*', 'v', STREAM_FORMAT, ...field)
        .catch(() => undefined);
      this.inFlight = Promise.all([this.inFlight, sent]).then(() => {
        if (this.lines.length === 0) this.onIdle();
      });
    }
    return this.inFlight;
  }
}

/** A worker's batches, one per run stream it writes to. */
export class StreamBatches {
  private readonly batches = new Map<string, StreamBatch>();

  constructor(private readonly redis: Redis) {}

  of(stream: string): StreamBatch {
    let batch = this.batches.get(stream);
    if (!batch) {
      // A batch with nothing left to send is forgotten (a worker serves many runs over its life);
      // a record still holding it keeps sending through it.
      const created: StreamBatch = new StreamBatch(this.redis, stream, () => {
        if (this.batches.get(stream) === created) this.batches.delete(stream);
      });
      this.batches.set(stream, (batch = created));
    }
    return batch;
  }
}

export class StreamRecord implements RecordSink {
  readonly dir = undefined;
  private readonly batch: StreamBatch;

  constructor(
    readonly runId: string,
    batches: StreamBatches,
    stream: string,
    private readonly mark: Record<string, unknown>,
  ) {
    this.batch = batches.of(stream);
  }

  event(event: Record<string, unknown>): void {
    // The worker's clock: when it happened, not when the run read it.
    this.batch.push(JSON.stringify({ at: new Date().toISOString(), ...event, ...this.mark }));
  }

  finish(): void {}

  async flush(): Promise<void> {
    await this.batch.send();
  }
}
