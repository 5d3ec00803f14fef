/**
 * The memory store interface: namespaced entries with an expiry, two interchangeable
 * implementations (file-store.ts: JSONL, the default; redis-store.ts when MEM_REDIS_URL is set)
 * and one shared test suite that runs against both. Stores know nothing about agents: who may
 * read what, redaction and TTLs are policy (policy.ts), applied above the store.
 *
 * Time comes from the store's clock, so expiry is the same in both stores and testable without
 * waiting; Redis also expires keys itself (with a margin) so abandoned entries do not pile up.
 *
 * @example
 * await store.put({ namespace: 'agent/reviewer', key: 'k', value: { note: 'hi' }, written_at: now, expires_at: now + 3_600_000, author: 'reviewer' });
 * const recent = await store.list('agent/reviewer', 10);
 */

export interface MemoryEntry {
  namespace: string;
  key: string;
  value: unknown;
  /** Milliseconds since the epoch, by the store's clock. */
  written_at: number;
  /** Milliseconds since the epoch; null never expires. */
  expires_at: number | null;
  /** The agent that wrote it. */
  author: string;
}

export interface MemoryStore {
  readonly kind: 'file' | 'redis';
  put(entry: MemoryEntry): Promise<void>;
  /** The live entry, or undefined when missing or expired. */
  get(namespace: string, key: string): Promise<MemoryEntry | undefined>;
  /** Live entries, newest first, at most `limit`. */
  list(namespace: string, limit: number): Promise<MemoryEntry[]>;
  delete(namespace: string, key: string): Promise<void>;
  close(): Promise<void>;
}

export type Clock = () => number;

/** Whether an entry is still live at `now`. */
export function isLive(entry: MemoryEntry, now: number): boolean {
  return entry.expires_at === null || entry.expires_at > now;
}
