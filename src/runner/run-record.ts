/**
 * The run record: `.runs/<run-id>/events.jsonl` and `.runs/<run-id>/result.json`.
 *
 * Written so a crash at any moment leaves something readable: events are appended one line per
 * `write(2)` on a file opened O_APPEND (a kill can tear at most the last line, which readers skip),
 * and the result is written last, to a temporary file that is fsynced and renamed into place — a
 * reader sees either no result.json (the run did not finish) or a complete one.
 *
 * Every event and the result pass the run's one Redactor first: hook output, tool errors and
 * provider messages may carry a configured secret, and a run record is read by people and CI.
 *
 * @example
 * const record = RunRecorder.create('/repo/.runs', newRunId());
 * record.event({ event: 'task-start', task: 't1' });
 * record.finish({ ok: true, tasks: [] });
 */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Redactor } from '../providers/redact.js';
import { writeFileAtomic } from '../util/atomic-write.js';

export const EVENTS_FILE = 'events.jsonl';
export const RESULT_FILE = 'result.json';

/** `20261123T172905Z-1a2b3c`: sorts by time; the random tail keeps concurrent runs apart. */
export function newRunId(now = new Date(), random = randomBytes(3).toString('hex')): string {
  return `${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${random}`;
}

export interface RecordSink {
  readonly runId: string;
  /** The folder of the record, or undefined when nothing is written. */
  readonly dir: string | undefined;
  event(event: Record<string, unknown>): void;
  finish(result: unknown): void;
}

export class RunRecorder implements RecordSink {
  private fd: number | undefined;

  private constructor(
    readonly runId: string,
    readonly dir: string,
    private readonly clock: () => number,
    private readonly redactor: Redactor,
  ) {
    mkdirSync(dir, { recursive: true });
    this.fd = openSync(join(dir, EVENTS_FILE), 'a');
  }

  static create(runsDir: string, runId: string, clock: () => number = Date.now, redactor = new Redactor()): RunRecorder {
    return new RunRecorder(runId, join(runsDir, runId), clock, redactor);
  }

  event(event: Record<string, unknown>): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, `${JSON.stringify(this.redactor.value({ at: new Date(this.clock()).toISOString(), ...event }))}\n`);
  }

  finish(result: unknown): void {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
    const target = join(this.dir, RESULT_FILE);
    writeFileAtomic(target, `${JSON.stringify(this.redactor.value(result), null, 2)}\n`, { fsync: true });
  }
}

/** Records nothing: `--dry-run`, benches, library callers without a project folder. */
export class NullRecorder implements RecordSink {
  readonly dir = undefined;
  constructor(readonly runId: string) {}
  event(): void {}
  finish(): void {}
}
