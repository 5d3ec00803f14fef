/**
 * The file store reads a namespace file incrementally: each read takes only what was appended
 * since the last one (a namespace's context cost grew with every task when each read replayed the
 * whole file), and stays correct when another process appends, when the file is compacted (a new
 * file renamed in), truncated, rewritten in place, or ends in a line still being written.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMPACT_MIN_LINES, FileMemoryStore } from '../../src/runner/memory/file-store.js';
import type { MemoryEntry } from '../../src/runner/memory/store.js';

const NS = 'agent/alice';
const T0 = Date.parse('2026-01-01T00:00:00Z');
const clock = () => T0;
const entry = (key: string, value: unknown, at = T0): MemoryEntry => ({
  namespace: NS,
  key,
  value,
  written_at: at,
  expires_at: null,
  author: 'alice',
});
const line = (key: string, value: unknown, at = T0) => `${JSON.stringify({ op: 'put', entry: entry(key, value, at) })}\n`;
const keys = async (store: FileMemoryStore) => (await store.list(NS, 10_000)).map((found) => `${found.key}=${JSON.stringify(found.value)}`);

describe('the file memory store reads incrementally', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cf-memory-incremental-'));
    file = join(dir, `${encodeURIComponent(NS)}.jsonl`);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a read takes only the bytes appended since the last one, not the whole file again', async () => {
    const store = new FileMemoryStore(dir, clock);
    for (let i = 0; i < 20; i++) await store.put(entry(`k${i}`, i, T0 + i));
    expect((await keys(store)).length).toBe(20);
    // An edit far before the end, of the same size, is outside what the next read looks at: the
    // store read those bytes once already. A replay of the whole file would see it.
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('"value":0,', '"value":9,'));
    await store.put(entry('k20', 20, T0 + 20));
    const found = await store.get(NS, 'k0');
    expect(found?.value).toBe(0);
    expect((await store.get(NS, 'k20'))?.value).toBe(20);
  });

  it('lines another process appends are read, puts and deletes in order', async () => {
    const store = new FileMemoryStore(dir, clock);
    const other = new FileMemoryStore(dir, clock);
    await store.put(entry('a', 1));
    expect(await keys(store)).toEqual(['a=1']);
    await other.put(entry('b', 2, T0 + 1));
    await other.put(entry('a', 3, T0 + 2));
    expect(await keys(store)).toEqual(['a=3', 'b=2']);
    await other.delete(NS, 'b');
    expect(await keys(store)).toEqual(['a=3']);
    expect(await keys(other)).toEqual(['a=3']);
  });

  it('a namespace compacted by another store (a new file renamed in) is read again from its start', async () => {
    const store = new FileMemoryStore(dir, clock);
    for (let i = 0; i < COMPACT_MIN_LINES + 5; i++) await store.put(entry(`k${i % 3}`, i, T0 + i));
    expect(await keys(store)).toHaveLength(3);
    const removed = await new FileMemoryStore(dir, clock).compact();
    expect(removed).toBe(COMPACT_MIN_LINES + 2);
    // The compacted file is shorter than the offset read to; then longer again, with new lines.
    for (let i = 0; i < 50; i++) appendFileSync(file, line(`n${i}`, i, T0 + 5_000 + i));
    const found = await keys(store);
    expect(found).toHaveLength(53);
    expect(found.slice(-3).sort()).toEqual(['k0=1002', 'k1=1003', 'k2=1004']);
  });

  it('a file truncated, or rewritten in place past the offset, is read again', async () => {
    const store = new FileMemoryStore(dir, clock);
    for (let i = 0; i < 5; i++) await store.put(entry(`k${i}`, i, T0 + i));
    expect(await keys(store)).toHaveLength(5);
    writeFileSync(file, line('only', 1)); // same inode, shorter
    expect(await keys(store)).toEqual(['only=1']);
    // Same inode, longer than before, other bytes before the old offset.
    writeFileSync(file, Array.from({ length: 8 }, (_, i) => line(`r${i}`, `rewritten-${i}`, T0 + i)).join(''));
    expect(await keys(store)).toHaveLength(8);
    expect((await store.get(NS, 'only'))?.value).toBeUndefined();
  });

  it('a last line still being written is read once its newline is there; a torn one is skipped', async () => {
    const store = new FileMemoryStore(dir, clock);
    await store.put(entry('a', 1));
    const half = line('b', 2, T0 + 1);
    appendFileSync(file, half.slice(0, 20));
    expect(await keys(store)).toEqual(['a=1']);
    appendFileSync(file, half.slice(20));
    expect(await keys(store)).toEqual(['b=2', 'a=1']);
    appendFileSync(file, '{"op":"put","ent'); // torn by a crash: the next append joins it
    await store.put(entry('c', 3, T0 + 2));
    await store.put(entry('d', 4, T0 + 3));
    expect(await keys(store)).toEqual(['d=4', 'b=2', 'a=1']);
    expect(await keys(new FileMemoryStore(dir, clock))).toEqual(['d=4', 'b=2', 'a=1']);
  });

  it('a removed file is an empty namespace, and expiry is applied at each read', async () => {
    let now = T0;
    const store = new FileMemoryStore(dir, () => now);
    await store.put({ ...entry('short', 1), expires_at: T0 + 1_000 });
    await store.put(entry('long', 2, T0 + 1));
    expect(await keys(store)).toEqual(['long=2', 'short=1']);
    now = T0 + 2_000;
    expect(await keys(store)).toEqual(['long=2']);
    rmSync(file);
    expect(await keys(store)).toEqual([]);
  });
});
