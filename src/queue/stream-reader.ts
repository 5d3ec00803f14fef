/**
 * Reads several Redis streams on one blocking connection (XREAD BLOCK): the runs' task-event
 * streams, whose entries go into their run records, and the alias queues' BullMQ event streams,
 * whose entries go to a handler. Each stream is read from the last id seen, so a Redis restart or
 * a slow pass loses nothing still in the stream; a failed read is retried after a pause.
 */
import type { Redis } from 'ioredis';
import type { RecordSink } from '../runner/run-record.js';
import { closeQuietly } from './connection.js';
import { STREAM_FORMAT } from './record-stream.js';

/** How long one XREAD waits for news: also how long `stop` takes to be noticed. */
const BLOCK_MS = 1_000;
const BATCH = 1_000;
const RETRY_PAUSE_MS = 200;

interface Watched {
  lastId: string;
  record?: RecordSink;
  /** An entry of another format was refused: said once per stream, in its record. */
  refused?: boolean;
}

export class StreamReader {
  private readonly streams = new Map<string, Watched>();
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly onEntry: (stream: string, fields: Record<string, string>) => void,
  ) {}

  /** Reads `stream` after the id `from` ('0': from its start); a record receives its entries as events. */
  watch(stream: string, from: string, record?: RecordSink): void {
    if (this.streams.has(stream)) return;
    this.streams.set(stream, { lastId: from, ...(record ? { record } : {}) });
  }

  /**
   * Reads what `stream` holds past its last id now, on `client` (not the blocking connection): a
   * run's events are all in its record before the result that follows them is handed back.
   */
  async drain(stream: string, client: Redis): Promise<void> {
    const watched = this.streams.get(stream);
    if (!watched?.record) return;
    for (;;) {
      const entries = (await client.xrange(stream, `(${watched.lastId}`, '+', 'COUNT', BATCH)) as Array<[string, string[]]>;
      for (const [id, flat] of entries) {
        if (!after(id, watched.lastId)) continue;
        watched.lastId = id;
        writeEvent(watched, stream, id, fieldsOf(flat));
      }
      if (entries.length < BATCH) return;
    }
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.read();
  }

  stop(): void {
    this.running = false;
  }

  async close(): Promise<void> {
    this.stop();
    await closeQuietly(this.redis);
    await this.loop?.catch(() => undefined);
  }

  private async read(): Promise<void> {
    while (this.running) {
      try {
        const keys = [...this.streams.keys()];
        if (keys.length === 0) {
          await pause(RETRY_PAUSE_MS);
          continue;
        }
        const ids = keys.map((key) => this.streams.get(key)!.lastId);
        const reply = (await this.redis.xread('COUNT', BATCH, 'BLOCK', BLOCK_MS, 'STREAMS', ...keys, ...ids)) as Array<
          [string, Array<[string, string[]]>]
        > | null;
        // Task events first: a result must not close a run record before its last events are in.
        const batches = (reply ?? []).sort(
          (a, b) => Number(this.streams.get(b[0])?.record !== undefined) - Number(this.streams.get(a[0])?.record !== undefined),
        );
        for (const [stream, entries] of batches) {
          const watched = this.streams.get(stream);
          if (!watched) continue;
          for (const [id, flat] of entries) {
            if (!after(id, watched.lastId)) continue;
            watched.lastId = id;
            const fields = fieldsOf(flat);
            if (watched.record) writeEvent(watched, stream, id, fields);
            else this.onEntry(stream, fields);
          }
        }
      } catch {
        if (this.running) await pause(RETRY_PAUSE_MS);
      }
    }
  }
}

/** Stream ids are `<ms>-<seq>`: whether `id` comes after `last` (`last` may be `<ms>` alone, or '0'). */
function after(id: string, last: string): boolean {
  const dash = id.indexOf('-');
  const lastDash = last.indexOf('-');
  const ms = Number(id.slice(0, dash));
  const lastMs = Number(lastDash < 0 ? last : last.slice(0, lastDash));
  if (ms !== lastMs) return ms > lastMs;
  return Number(id.slice(dash + 1)) > (lastDash < 0 ? -1 : Number(last.slice(lastDash + 1)));
}

function fieldsOf(flat: string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
  return fields;
}

/**
 * An entry holds one event (`e`) or several (`b`, one JSON line each: record-stream.ts), in the
 * format its `v` names; an entry of another format is refused (CF8141, once per stream).
 */
function writeEvent(watched: Watched, stream: string, id: string, fields: Record<string, string>): void {
  const record = watched.record!;
  if (fields.v !== STREAM_FORMAT) {
    if (!watched.refused) {
      watched.refused = true;
      record.event({ event: 'stream-entry-refused', code: 'CF8141', reason: streamFormatRefusal(stream, id, fields.v) });
    }
    return;
  }
  const lines = fields.b !== undefined ? fields.b.split('\n') : [fields.e ?? 'null'];
  for (const line of lines) {
    try {
      const event = JSON.parse(line) as Record<string, unknown> | null;
      if (event && typeof event === 'object') record.event(event);
    } catch {
      // A line that is not ours is skipped: the stream is a transport, the record keeps what parses.
    }
  }
}

/** Why a run stream's entry is not read (CF8141). */
export function streamFormatRefusal(stream: string, id: string, format: string | undefined): string {
  return `CF8141: entry ${id} of ${stream} has format ${format ?? 'none'}; this codex-flow reads format ${STREAM_FORMAT} only (it and later entries of other formats are left out of the record): run the same codex-flow version on the dispatching machine and every worker`;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
