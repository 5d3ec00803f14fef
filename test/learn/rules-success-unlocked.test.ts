/**
 * Every finished task is observed by the rule book, and a success took `rules.json.lock` even when
 * it fixed nothing: queue workers finishing tasks at once queued on that lock (polling every
 * 20 ms, then releasing through proper-lockfile), a third or more of a worker's CPU per task. A
 * success now reads the file first and locks only when it holds the task's pending mistake.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RuleBook, RULES_FILE } from '../../src/learn/rules.js';
import { tryLockSync } from '../../src/util/file-lock.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a success the rule book learns nothing from', () => {
  it('rules lock taken for every success: it returns at once while another process holds the lock', () => {
    dir = mkdtempSync(join(tmpdir(), 'cf-rules-unlocked-'));
    const book = RuleBook.open(dir);
    book.observe({ agent: 'debugger', task_hash: 'other', ok: false, stop_reason: 'error', error: 'ENOENT: no such file "a.ts"' });
    const lock = tryLockSync(join(dir, `${RULES_FILE}.lock`))!;
    expect(lock).toBeDefined();
    try {
      const started = Date.now();
      expect(book.observe({ agent: 'debugger', task_hash: 'h1', ok: true, stop_reason: 'completed' })).toEqual({});
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      lock.release();
    }
  }, 30_000);

  it('a success that fixes a pending mistake still waits for the lock and records the hint', () => {
    dir = mkdtempSync(join(tmpdir(), 'cf-rules-unlocked-'));
    // Another process's book, opened before the failure: it finds the mistake on disk.
    const other = RuleBook.open(dir);
    const book = RuleBook.open(dir);
    book.observe({ agent: 'debugger', task_hash: 'h1', ok: false, stop_reason: 'error', error: 'ENOENT: no such file "a.ts"' });
    const learned = other.observe({ agent: 'debugger', task_hash: 'h1', ok: true, stop_reason: 'completed' });
    expect(learned.hint?.seen).toBe(1);
    expect(RuleBook.open(dir).hints).toHaveLength(1);
  });
});
