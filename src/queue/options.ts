/**
 * The `queue:` section of the config, resolved in one place. No URL (neither `queue.url` nor
 * `CODEX_FLOW_QUEUE_URL`) means no queue: tasks run in the process, as before.
 *
 * @example
 * const { options } = resolveQueueOptions({ url: 'redis://127.0.0.1:6379/0' }, process.env);
 * options?.stallMs; // 30000
 */
import { checkPlainSection } from '../config/check-plain.js';
import { QueueConfigSchema } from '../config/providers-schema.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';

export interface QueueOptions {
  url: string;
  /** BullMQ key prefix: several projects share one Redis under different prefixes. */
  prefix: string;
  /** A job whose worker stopped renewing its lock this long ago goes back to the queue. */
  stallMs: number;
  /** Attempts of a job whose worker could not produce a result (a crash, a refusal is final). */
  attempts: number;
  /** How long a run or a worker waits for a Redis that went away before it gives up (CF8600). */
  redisGraceMs: number;
  /** A folder every machine reads: runs copy their compiled fleet to `<fleets>/<hash>/`, workers load from it. */
  fleets?: string;
}

/** BullMQ's own default lock: long enough that a busy event loop does not look dead. */
export const DEFAULT_STALL_MS = 30_000;
/** Two more tries after a crash or a Redis hiccup; a task that keeps killing workers then stops. */
export const DEFAULT_ATTEMPTS = 3;
export const DEFAULT_PREFIX = 'codex-flow';
/** A restart or a failover is back well within this; a Redis gone longer is down, not restarting. */
export const DEFAULT_REDIS_GRACE_MS = 60_000;
/** A lock shorter than this is renewed so often that a loaded machine misses renewals. */
const MIN_STALL_MS = 500;

export function resolveQueueOptions(
  section: Record<string, unknown> | undefined,
  env: Record<string, string | undefined>,
): { options: QueueOptions | undefined; diagnostics: Diagnostic[] } {
  // Unknown keys: the config registry's check (reported by the loader for a section from the file).
  const diagnostics: Diagnostic[] = checkPlainSection('queue', section, QueueConfigSchema);
  const config = section && typeof section === 'object' && !Array.isArray(section) ? section : {};
  const url = env.CODEX_FLOW_QUEUE_URL?.trim() || (typeof config.url === 'string' ? config.url.trim() : '') || undefined;
  if (config.url !== undefined && typeof config.url !== 'string')
    diagnostics.push(diagnostic('CF8500', 'queue.url must be a redis:// URL'));
  if (!url) return { options: undefined, diagnostics };
  if (!/^rediss?:\/\//.test(url)) {
    diagnostics.push(
      diagnostic('CF8501', 'the queue URL must start with redis:// or rediss://', undefined, {
        hint: 'set queue.url (or CODEX_FLOW_QUEUE_URL) to redis://host:6379/0',
      }),
    );
    return { options: undefined, diagnostics };
  }
  const number = (key: string, fallback: number, min: number): number => {
    const value = config[key];
    if (value === undefined) return fallback;
    if (typeof value === 'number' && Number.isInteger(value) && value >= min) return value;
    diagnostics.push(diagnostic('CF8500', `queue.${key} must be an integer ≥ ${min}; using ${fallback}`));
    return fallback;
  };
  const prefix = typeof config.prefix === 'string' && /^[\w.-]+$/.test(config.prefix) ? config.prefix : DEFAULT_PREFIX;
  if (config.prefix !== undefined && prefix !== config.prefix)
    diagnostics.push(diagnostic('CF8500', `queue.prefix must be letters, digits, ".", "_" or "-"; using ${DEFAULT_PREFIX}`));
  const options: QueueOptions = {
    url,
    prefix,
    stallMs: number('stall_ms', DEFAULT_STALL_MS, MIN_STALL_MS),
    attempts: number('attempts', DEFAULT_ATTEMPTS, 1),
    redisGraceMs: number('redis_grace_ms', DEFAULT_REDIS_GRACE_MS, MIN_STALL_MS),
  };
  if (typeof config.fleets === 'string' && config.fleets !== '') options.fleets = config.fleets;
  return { options, diagnostics };
}
