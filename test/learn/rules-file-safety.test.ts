/**
 * The learned rules file is the user's curated list: a file that does not load is never written
 * over (it is moved to rules.json.bad-<time>), and two books open on the same folder (two runs in
 * parallel) keep each other's updates, since each change re-reads the file under its lock.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RuleBook } from '../../src/learn/rules.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cf-rules-safety-'));
  dirs.push(dir);
  return dir;
}
const failed = (agent: string, task_hash: string) => ({
  agent,
  task_hash,
  ok: false,
  stop_reason: 'tool-denied',
  error: 'tool `Bash` denied',
});
const fixed = (agent: string, task_hash: string) => ({ agent, task_hash, ok: true, stop_reason: 'completed' });

describe('the learned rules file', () => {
  for (const [name, text] of [
    ['unsupported version', '{"format":"codex-flow/rules","version":2,"rules":[{"id":"rule:curated"}],"hints":[],"pending":[]}\n'],
    ['broken JSON', '{"format":"codex-flow/rules","version":1,"rules":[{"id":"rule:curated"}\n'],
  ] as const) {
    it(`a file that did not load (${name}) is moved aside, not overwritten, by the next save`, () => {
      const dir = temp();
      writeFileSync(join(dir, 'rules.json'), text);
      const book = RuleBook.open(dir);
      expect(book.problem).toBeDefined();
      book.observe(failed('debugger', 'h1'));
      const aside = readdirSync(dir).filter((entry) => entry.startsWith('rules.json.bad-'));
      expect(aside).toHaveLength(1);
      expect(readFileSync(join(dir, aside[0]!), 'utf8')).toBe(text);
      expect(book.movedAside).toBe(join(dir, aside[0]!));
      expect(JSON.parse(readFileSync(join(dir, 'rules.json'), 'utf8')).pending).toHaveLength(1);
    });
  }

  it('two books on one folder keep each other’s updates (concurrent runs lost them)', () => {
    const dir = temp();
    const first = RuleBook.open(dir);
    const second = RuleBook.open(dir);
    first.observe(failed('debugger', 'h1'));
    second.observe(failed('reviewer', 'h2'));
    first.observe(fixed('reviewer', 'h2'));
    const onDisk = JSON.parse(readFileSync(join(dir, 'rules.json'), 'utf8'));
    expect(onDisk.pending.map((entry: { agent: string }) => entry.agent)).toEqual(['debugger']);
    expect(onDisk.hints.map((entry: { agent: string }) => entry.agent)).toEqual(['reviewer']);
  });
});
