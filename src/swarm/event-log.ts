/**
 * A swarm's event log, `.runs/<swarm-id>/events.jsonl`: the plan, then one line per state change
 * of a subtask, written *before* the swarm acts on the change, so a crash at any point leaves a
 * log from which `--resume` knows what finished. Each event is one `write(2)` of one line on a
 * file opened O_APPEND (appends never interleave inside a line; a kill tears at most the last
 * line). Reopening a log whose last line is torn starts with a newline, so the next event is
 * whole; readers skip unreadable lines with a CF8113 warning and use the rest.
 *
 * @example
 * const log = SwarmLog.open(join(root, '.runs'), swarmId);
 * log.append({ event: 'subtask-started', id: 's1' });
 * const { events } = readSwarmLog(join(root, '.runs', swarmId));
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, fstatSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Redactor } from '../providers/redact.js';

export const SWARM_EVENTS_FILE = 'events.jsonl';

export type SwarmEvent = { event: string; at?: string } & Record<string, unknown>;

/** A swarm id names a folder directly under the runs folder: no separators, no `..`. */
const SWARM_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function isSwarmId(id: string): boolean {
  return SWARM_ID.test(id) && !id.includes('..');
}

/** A library caller's swarm id that would leave the runs folder ('../x'): refused before anything is written. */
export function checkSwarmId(id: string): void {
  if (!isSwarmId(id))
    throw new RangeError(`"${id}" is not a swarm id: use letters, digits, '.', '_' and '-', starting with a letter or digit, without '..'`);
}

export class SwarmLog {
  private fd: number | undefined;

  /** Called after each event is written: the live line log of the CLI. */
  onEvent: ((event: SwarmEvent) => void) | undefined;

  private constructor(
    readonly dir: string,
    private readonly clock: () => number,
    private readonly redactor?: Redactor,
  ) {
    mkdirSync(dir, { recursive: true });
    this.fd = openSync(join(dir, SWARM_EVENTS_FILE), 'a+');
    const size = fstatSync(this.fd).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(this.fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) writeSync(this.fd, '\n');
    }
  }

  static open(runsDir: string, swarmId: string, clock: () => number = Date.now, redactor?: Redactor): SwarmLog {
    checkSwarmId(swarmId);
    return new SwarmLog(join(runsDir, swarmId), clock, redactor);
  }

  append(event: SwarmEvent): void {
    if (this.fd === undefined) throw new Error('the swarm log is closed');
    const whole = { at: new Date(this.clock()).toISOString(), ...event };
    // The live view gets the line as written: an answer that quotes a secret is redacted on screen too.
    const line = this.redactor ? this.redactor.value(whole) : whole;
    writeSync(this.fd, `${JSON.stringify(line)}\n`);
    this.onEvent?.(line);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** The events of a swarm folder, in order; a missing log is a CF8112 error. */
export function readSwarmLog(dir: string, shown = dir): { events: SwarmEvent[]; diagnostics: Diagnostic[] } {
  const file = join(dir, SWARM_EVENTS_FILE);
  if (!existsSync(file)) return { events: [], diagnostics: [diagnostic('CF8112', `no swarm event log at ${shown}/${SWARM_EVENTS_FILE}`)] };
  const events: SwarmEvent[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const [index, line] of readFileSync(file, 'utf8').split('\n').entries()) {
    if (line.trim() === '') continue;
    try {
      const value = JSON.parse(line) as unknown;
      if (value && typeof value === 'object' && typeof (value as SwarmEvent).event === 'string') {
        events.push(value as SwarmEvent);
        continue;
      }
    } catch {
      /* reported below */
    }
    diagnostics.push(
      diagnostic('CF8113', `line ${index + 1} is not a swarm event`, { file: `${shown}/${SWARM_EVENTS_FILE}`, line: index + 1, column: 1 }),
    );
  }
  return { events, diagnostics };
}
