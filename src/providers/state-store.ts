/**
 * Provider health that outlives one CLI invocation: `.codex-flow/providers-state.json`.
 * A provider that opened its circuit in one `codex-flow run` stays skipped in the next, and
 * `codex-flow providers` can show why.
 *
 * Writes are atomic (temporary file + rename), so a reader never sees half a file, and merge
 * with the file on disk, so two processes touching different providers do not undo each other.
 * State transitions are written at once (they are rare); plain outcomes are written after a short
 * delay on an unref'd timer, keeping file I/O off the per-call path. Call `flush()` before exit.
 * A missing or unreadable file is an empty state, never an error.
 *
 * @example
 * const store = new ProviderStateStore('/repo/.codex-flow/providers-state.json');
 * store.health('openai').state; // 'closed'
 */
import { readFileSync } from 'node:fs';
import { stableJson, writeFileAtomic } from '../util/atomic-write.js';
import { freshHealth, type ProviderHealth } from './breaker.js';

export const STATE_FILE_VERSION = 1;

/** Outcome-only changes wait this long, so a burst of calls costs one write. */
const SAVE_DELAY_MS = 500;

export interface ProviderStateFile {
  version: number;
  providers: Record<string, ProviderHealth>;
}

export class ProviderStateStore {
  private providers: Record<string, ProviderHealth> | undefined;
  private readonly touched = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  /** Set when the file existed but could not be used; the state started empty. */
  readProblem: string | undefined;

  /** `file` null keeps the state in memory only (tests, benches, library callers that opt out). */
  constructor(readonly file: string | null) {}

  health(id: string): ProviderHealth {
    const providers = this.load();
    return (providers[id] ??= freshHealth());
  }

  snapshot(): Record<string, ProviderHealth> {
    return structuredClone(this.load());
  }

  changed(id: string, urgent: boolean): void {
    if (!this.file) return;
    this.touched.add(id);
    if (urgent) {
      this.flush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), SAVE_DELAY_MS);
      this.timer.unref();
    }
  }

  /** Writes pending changes now. Safe to call any time; a write failure is reported, not thrown. */
  flush(): string | undefined {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.file || this.touched.size === 0) return undefined;
    try {
      const onDisk = readStateFile(this.file).providers;
      for (const id of this.touched) onDisk[id] = this.health(id);
      this.touched.clear();
      writeFileAtomic(this.file, stableJson({ version: STATE_FILE_VERSION, providers: onDisk }));
      return undefined;
    } catch (error) {
      return `cannot write ${this.file}: ${(error as Error).message}`;
    }
  }

  private load(): Record<string, ProviderHealth> {
    if (this.providers) return this.providers;
    if (!this.file) return (this.providers = {});
    const read = readStateFile(this.file);
    this.readProblem = read.problem;
    return (this.providers = read.providers);
  }
}

/** Reads the state file; anything unusable reads as empty, with the reason. */
export function readStateFile(file: string): { providers: Record<string, ProviderHealth>; problem?: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { providers: {} };
  }
  try {
    const parsed = JSON.parse(text) as Partial<ProviderStateFile>;
    if (parsed.version !== STATE_FILE_VERSION || typeof parsed.providers !== 'object' || parsed.providers === null) {
      return { providers: {}, problem: `${file} has an unknown format; starting from a clean state` };
    }
    const providers: Record<string, ProviderHealth> = {};
    const dropped: string[] = [];
    for (const [id, raw] of Object.entries(parsed.providers)) {
      const health = parseHealth(raw);
      if (health) providers[id] = health;
      else dropped.push(id);
    }
    return dropped.length === 0
      ? { providers }
      : { providers, problem: `${file} has unusable entries for ${dropped.join(', ')}; they start from a clean state` };
  } catch {
    return { providers: {}, problem: `${file} is not valid JSON; starting from a clean state` };
  }
}

/** Epoch milliseconds a Date can hold: anything else would make `toISOString` throw later. */
const MAX_TIME_MS = 8.64e15;
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= MAX_TIME_MS;
const isText = (value: unknown): value is string => typeof value === 'string';

/**
 * A health record read from disk, field by field: the file is plain JSON a person may edit, and a
 * wrong type must not surface later as a crash. Undefined when the record is not one at all.
 */
export function parseHealth(raw: unknown): ProviderHealth | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const record = raw as Record<string, unknown>;
  if (record.state !== 'closed' && record.state !== 'open' && record.state !== 'half-open') return undefined;
  if (!Array.isArray(record.outcomes)) return undefined;
  const health: ProviderHealth = { ...freshHealth(), state: record.state };
  if (typeof record.opens === 'number' && Number.isInteger(record.opens) && record.opens >= 0) health.opens = record.opens;
  if (isTime(record.openUntil)) health.openUntil = record.openUntil;
  if (isTime(record.blockedUntil)) health.blockedUntil = record.blockedUntil;
  if (isTime(record.lastSuccessAt)) health.lastSuccessAt = record.lastSuccessAt;
  health.outcomes = record.outcomes.filter(
    (outcome): outcome is [number, 0 | 1] => Array.isArray(outcome) && isTime(outcome[0]) && (outcome[1] === 0 || outcome[1] === 1),
  );
  const low = record.lowQuota as Record<string, unknown> | undefined;
  if (
    low &&
    typeof low.remainingFraction === 'number' &&
    Number.isFinite(low.remainingFraction) &&
    isTime(low.until) &&
    isText(low.source)
  ) {
    health.lowQuota = { remainingFraction: low.remainingFraction, until: low.until, source: low.source };
  }
  const error = record.lastError as Record<string, unknown> | undefined;
  if (error && isText(error.kind) && isText(error.message) && isTime(error.at))
    health.lastError = { kind: error.kind, message: error.message, at: error.at };
  return health;
}
