/**
 * The default memory store: one JSONL file per namespace under `.codex-flow/memory/`, each line a
 * `put` or a `del` appended with a single write (O_APPEND), so concurrent tasks never interleave
 * half lines and a crash loses at most the line being written. Reading replays the file: the last
 * line for a key wins, expired entries are skipped. `compact()` (run by `codex-flow cleanup`, not
 * during runs, so no append can race the rewrite) keeps only live entries, atomically.
 *
 * Replaying is incremental (NamespaceIndex): the store keeps each namespace's entries and the
 * byte offset it has read to, and reads only what was appended since, by this process or another.
 * A file replaced (compaction's rename: another inode), shortened, or rewritten in place (the
 * bytes just before the offset differ) is read again from its start. A last line without its
 * newline is being written or was torn by a crash: it is read once its newline is there.
 *
 * @example
 * const store = new FileMemoryStore('/repo/.codex-flow/memory');
 * await store.put({ namespace: 'agent/debugger', key: 'sha256:…', value: { ok: true }, written_at: Date.now(), expires_at: null, author: 'debugger' });
 * await store.list('agent/debugger', 8); // newest first
 */
import { appendFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock, MemoryEntry, MemoryStore } from './store.js';
import { writeFileAtomicAsync } from '../../util/atomic-write.js';
import { NamespaceIndex, type Line } from './namespace-index.js';

/** Below this many lines a namespace file is cheap to replay; compaction would only churn. */
export const COMPACT_MIN_LINES = 1000;

export class FileMemoryStore implements MemoryStore {
  readonly kind = 'file';
  private readonly indexes = new Map<string, NamespaceIndex>();

  constructor(
    private readonly dir: string,
    private readonly clock: Clock = Date.now,
  ) {}

  private file(namespace: string): string {
    return join(this.dir, `${encodeURIComponent(namespace)}.jsonl`);
  }

  private async append(namespace: string, line: Line): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await appendFile(this.file(namespace), `${JSON.stringify(line)}\n`, { flag: 'a' });
  }

  /** The namespace's live entries, in write order, and the lines its file holds. */
  private async replay(namespace: string): Promise<{ live: Map<string, MemoryEntry>; lines: number }> {
    let index = this.indexes.get(namespace);
    if (!index) this.indexes.set(namespace, (index = new NamespaceIndex(this.file(namespace))));
    index.catchUp();
    return { live: index.live(this.clock()), lines: index.lines };
  }

  async put(entry: MemoryEntry): Promise<void> {
    await this.append(entry.namespace, { op: 'put', entry });
  }

  async get(namespace: string, key: string): Promise<MemoryEntry | undefined> {
    return (await this.replay(namespace)).live.get(key);
  }

  async list(namespace: string, limit: number): Promise<MemoryEntry[]> {
    const { live } = await this.replay(namespace);
    // Newest first; ties by key, descending — the order Redis's ZREVRANGE gives.
    return [...live.values()].sort((a, b) => b.written_at - a.written_at || (a.key < b.key ? 1 : a.key > b.key ? -1 : 0)).slice(0, limit);
  }

  async delete(namespace: string, key: string): Promise<void> {
    await this.append(namespace, { op: 'del', key });
  }

  async close(): Promise<void> {}

  /** Rewrites every namespace file with dead lines past COMPACT_MIN_LINES; returns lines removed. */
  async compact(): Promise<number> {
    let removed = 0;
    let files: string[];
    try {
      files = await readdir(this.dir);
    } catch {
      return 0;
    }
    for (const name of files.filter((file) => file.endsWith('.jsonl'))) {
      const namespace = decodeURIComponent(name.slice(0, -'.jsonl'.length));
      const { live, lines } = await this.replay(namespace);
      if (lines < COMPACT_MIN_LINES || lines <= live.size) continue;
      await this.rewrite(namespace, live);
      removed += lines - live.size;
    }
    return removed;
  }

  private async rewrite(namespace: string, live: Map<string, MemoryEntry>): Promise<void> {
    await writeFileAtomicAsync(
      this.file(namespace),
      [...live.values()].map((entry) => `${JSON.stringify({ op: 'put', entry })}\n`).join(''),
    );
  }
}
