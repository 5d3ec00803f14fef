import { execFile } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { appendRecord, readLog, withLock } from '../../src/learn/store.js';

const run = promisify(execFile);
const tsx = join(import.meta.dirname, '../../node_modules/.bin/tsx');
const store = join(import.meta.dirname, '../../src/learn/store.ts');
const isRecord = (v: unknown): v is { writer: number; i: number } => typeof (v as { writer?: unknown }).writer === 'number';

describe('append-only JSONL store', () => {
  it('keeps every line of several processes appending at once', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cf-store-')), 'outcomes.jsonl');
    const writers = 4;
    const each = 150;
    const script = `import { appendRecord } from ${JSON.stringify(store)};
      const writer = Number(process.env.WRITER);
      for (let i = 0; i < ${each}; i++) appendRecord(${JSON.stringify(file)}, { writer, i, pad: 'x'.repeat(200 + (i % 7) * 50) });`;
    await Promise.all(
      Array.from({ length: writers }, (_, w) => run(tsx, ['--eval', script], { env: { ...process.env, WRITER: String(w) } })),
    );
    const read = readLog(file, isRecord);
    expect(read.skipped).toEqual([]);
    expect(read.records).toHaveLength(writers * each);
    const seen = new Set(read.records.map((r) => `${r.writer}:${r.i}`));
    expect(seen.size).toBe(writers * each);
  }, 30_000);

  it('skips a torn last line and never merges it with the next record', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cf-store-')), 'outcomes.jsonl');
    appendRecord(file, { writer: 1, i: 0 });
    appendFileSync(file, '{"writer": 1, "i": 1, "torn');
    expect(readLog(file, isRecord)).toMatchObject({ records: [{ writer: 1, i: 0 }], skipped: [2] });
    appendRecord(file, { writer: 1, i: 2 });
    const read = readLog(file, isRecord);
    expect(read.records.map((r) => r.i)).toEqual([0, 2]);
    expect(read.skipped).toEqual([2]);
    expect(readFileSync(file, 'utf8').endsWith('\n')).toBe(true);
  });

  it('reads a missing log as empty and rejects records of the wrong shape', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-store-'));
    expect(readLog(join(dir, 'none.jsonl'), isRecord)).toEqual({ records: [], skipped: [], bytes: 0 });
    appendRecord(join(dir, 'x.jsonl'), { other: true });
    expect(readLog(join(dir, 'x.jsonl'), isRecord).skipped).toEqual([1]);
  });

  it('lets one holder at a time take the lock, and takes over a stale one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-lock-'));
    const inner = withLock(dir, () => withLock(dir, () => 'nested'));
    expect(inner).toBeUndefined();
    // A crashed holder's lock: the lock directory, last refreshed long ago.
    mkdirSync(join(dir, 'learning.lock'));
    utimesSync(join(dir, 'learning.lock'), new Date(0), new Date(0));
    expect(withLock(dir, () => 'taken over')).toBe('taken over');
  });
});
