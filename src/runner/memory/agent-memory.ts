/**
 * One agent's view of memory during a task: reads go through MemoryAccess (namespace checks and
 * redaction), writes land in the agent's own namespace with the TTL of its retention. The agent
 * loop puts `context()` into the prompt and `remember()`s each finished task.
 *
 * @example
 * const memory = new AgentMemory(store, access, 'code-reviewer');
 * const prompt = await memory.context(8);
 */
import { join } from 'node:path';
import { FileMemoryStore } from './file-store.js';
import { redact, type MemoryAccess } from './policy.js';
import type { Clock, MemoryEntry, MemoryStore } from './store.js';

export type MemoryRead = { ok: true; entries: MemoryEntry[] } | { ok: false; reason: string };

/** Redis was named and `runner.memory.required` is on, but it does not answer: the run must not start. */
export class MemoryRequiredError extends Error {
  override readonly name = 'MemoryRequiredError';
}

export interface MemoryStoreSettings {
  dir: string;
  redisUrl: string | undefined;
  /** Redis or nothing: an unreachable Redis fails the run instead of falling back to files. */
  required?: boolean;
}

/**
 * The store the options select: Redis when a URL is set, else JSONL files under `dir`. A Redis
 * that does not answer within the connect timeout falls back to the files, with `warn` told why;
 * with `required` it throws MemoryRequiredError instead. Either way within seconds, never a hang.
 *
 * @example
 * const store = await openMemoryStore(root, { dir: '.codex-flow/memory', redisUrl: env.MEM_REDIS_URL }, Date.now, (message) => console.warn(message));
 */
export async function openMemoryStore(
  root: string,
  settings: MemoryStoreSettings,
  clock: Clock = Date.now,
  warn: (message: string) => void = () => {},
): Promise<MemoryStore> {
  const files = () => new FileMemoryStore(join(root, settings.dir), clock);
  if (!settings.redisUrl) return files();
  const { RedisMemoryStore, redisUrlForDisplay } = await import('./redis-store.js');
  try {
    return await RedisMemoryStore.connect(settings.redisUrl, clock);
  } catch (error) {
    const why = `Redis memory at ${redisUrlForDisplay(settings.redisUrl)} is unreachable: ${(error as Error).message}`;
    if (settings.required) throw new MemoryRequiredError(why);
    warn(`${why}; using the file store in ${settings.dir} for this run`);
    return files();
  }
}

export class AgentMemory {
  constructor(
    private readonly store: MemoryStore,
    private readonly access: MemoryAccess,
    readonly agent: string,
    private readonly clock: Clock = Date.now,
  ) {}

  /** Entries of a namespace the agent may read, redacted when it does not own it. */
  async read(namespace: string, limit: number): Promise<MemoryRead> {
    if (!this.access.canRead(this.agent, namespace))
      return { ok: false, reason: `${this.agent} may not read memory namespace "${namespace}"` };
    const words = this.access.redactionFor(this.agent, namespace);
    const entries = await this.store.list(namespace, limit);
    return { ok: true, entries: words.length === 0 ? entries : entries.map((entry) => ({ ...entry, value: redact(entry.value, words) })) };
  }

  /** Writes to the agent's namespace (its first one unless named); refuses any other. */
  async write(
    key: string,
    value: unknown,
    options: { term?: 'short' | 'long'; namespace?: string } = {},
  ): Promise<{ ok: boolean; reason?: string }> {
    const namespace = options.namespace ?? this.access.readable(this.agent)[0];
    if (!namespace || !this.access.canWrite(this.agent, namespace))
      return { ok: false, reason: `${this.agent} may not write memory namespace "${namespace ?? '(none)'}"` };
    const now = this.clock();
    const ttl = this.access.ttlMs(this.agent, options.term ?? 'short');
    await this.store.put({ namespace, key, value, written_at: now, expires_at: ttl === null ? null : now + ttl, author: this.agent });
    return { ok: true };
  }

  /** Recent entries of every readable namespace as prompt text, or '' when there are none. */
  async context(perNamespace: number): Promise<{ text: string; entries: number; namespaces: string[] }> {
    const sections: string[] = [];
    let count = 0;
    const namespaces = this.access.readable(this.agent);
    for (const namespace of namespaces) {
      const read = await this.read(namespace, perNamespace);
      if (!read.ok || read.entries.length === 0) continue;
      count += read.entries.length;
      sections.push(`### ${namespace}\n${read.entries.map((entry) => `- ${entry.key}: ${JSON.stringify(entry.value)}`).join('\n')}`);
    }
    return { text: sections.length === 0 ? '' : `## Memory\n${sections.join('\n')}`, entries: count, namespaces };
  }
}
