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

/** The store the options select: Redis when a URL is set, else JSONL files under `dir`. */
export async function openMemoryStore(root: string, settings: { dir: string; redisUrl: string | undefined }, clock: Clock = Date.now): Promise<MemoryStore> {
  if (settings.redisUrl) {
    const { RedisMemoryStore } = await import('./redis-store.js');
    return RedisMemoryStore.connect(settings.redisUrl, clock);
  }
  return new FileMemoryStore(join(root, settings.dir), clock);
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
    if (!this.access.canRead(this.agent, namespace)) return { ok: false, reason: `${this.agent} may not read memory namespace "${namespace}"` };
    const words = this.access.redactionFor(this.agent, namespace);
    const entries = await this.store.list(namespace, limit);
    return { ok: true, entries: words.length === 0 ? entries : entries.map((entry) => ({ ...entry, value: redact(entry.value, words) })) };
  }

  /** Writes to the agent's namespace (its first one unless named); refuses any other. */
  async write(key: string, value: unknown, options: { term?: 'short' | 'long'; namespace?: string } = {}): Promise<{ ok: boolean; reason?: string }> {
    const namespace = options.namespace ?? this.access.readable(this.agent)[0];
    if (!namespace || !this.access.canWrite(this.agent, namespace)) return { ok: false, reason: `${this.agent} may not write memory namespace "${namespace ?? '(none)'}"` };
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
