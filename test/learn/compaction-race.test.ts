/**
 * Compaction never loses an append (issue 16): with `compact_after_bytes` small, concurrent
 * `feedback` writers lost 13 of 600 outcomes, every command exiting 0. An append whose descriptor
 * was opened on the live log before compaction renamed it, and whose write landed after
 * compaction read the segment, went into a file that was then deleted.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { Learning } from '../../src/learn/learner.js';
import { resolveLearningOptions } from '../../src/learn/options.js';
import { appendRecord } from '../../src/learn/store.js';
import { bundledChildScript } from '../support/child-script.js';

const run = promisify(execFile);
const repository = join(import.meta.dirname, '../..');
const learner = join(import.meta.dirname, '../../src/learn/learner.ts');
const options = join(import.meta.dirname, '../../src/learn/options.ts');
const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'cf-compaction-'));
  roots.push(root);
  return root;
}

function outcome(agent: string, i: number) {
  return {
    agent,
    alias: 'default',
    ok: i % 2 === 0,
    latency_ms: 10 + i,
    retries: 0,
    tool_errors: 0,
    stop_reason: 'completed',
    task_hash: `t${i}`,
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
  };
}

describe('compaction and concurrent appends', () => {
  it('an append opened before compaction and written after it is not lost (paused between open and write)', () => {
    const root = project();
    const learning = new Learning(root, { ...resolveLearningOptions(), compactAfterBytes: 1 << 30 });
    for (let i = 0; i < 3; i++) learning.record(outcome('alpha', i));
    // The appender has its descriptor on the live log; a whole compaction runs before it writes.
    appendRecord(learning.outcomesFile, outcome('beta', 9), {
      announce: true,
      afterOpen: () => {
        learning.compact(undefined, 50);
      },
    });
    expect(learning.load().state.outcomes).toBe(4);
    expect(learning.compact()).toBe(true);
    expect(learning.load().state.outcomes).toBe(4);
    expect(learning.load().state.agents.get('beta')?.tasks).toBe(1);
  });

  it('many processes appending with a tiny compaction threshold lose no outcome', async () => {
    const root = project();
    const writers = 10;
    const each = 48;
    const go = join(root, 'go');
    // The project comes from the environment, so every run spawns the same script (one bundle).
    const script = `import { Learning } from ${JSON.stringify(learner)};
      import { resolveLearningOptions } from ${JSON.stringify(options)};
      import { existsSync, writeFileSync } from 'node:fs';
      const writer = Number(process.env.WRITER);
      const root = process.env.PROJECT;
      const learning = new Learning(root, { ...resolveLearningOptions(), compactAfterBytes: 600 });
      writeFileSync(root + '/ready-' + writer, '');
      const sleep = new Int32Array(new SharedArrayBuffer(4));
      for (let waited = 0; !existsSync(root + '/go') && waited < 20000; waited += 5) Atomics.wait(sleep, 0, 0, 5);
      for (let i = 0; i < ${each}; i++) {
        learning.record({ agent: 'agent-' + (i % 4), alias: 'default', ok: true, latency_ms: 5, retries: 0, tool_errors: 0, stop_reason: 'completed', task_hash: writer + ':' + i, at: new Date().toISOString() });
      }`;
    // One plain node process per writer, running the script bundled once (test/support/child-script.ts).
    const file = bundledChildScript(script);
    const children = Promise.all(
      Array.from({ length: writers }, (_, w) =>
        run(process.execPath, [file], { cwd: repository, env: { ...process.env, WRITER: String(w), PROJECT: root }, timeout: 100_000 }),
      ),
    );
    const started = Date.now();
    while (readdirSync(root).filter((name) => name.startsWith('ready-')).length < writers && Date.now() - started < 40_000)
      await new Promise((resolve) => setTimeout(resolve, 20));
    writeFileSync(go, '');
    await children;
    const learning = new Learning(root, { ...resolveLearningOptions(), compactAfterBytes: 600 });
    expect(learning.load().state.outcomes).toBe(writers * each);
    expect(learning.compact()).toBe(true);
    expect(learning.load().state.outcomes).toBe(writers * each);
    expect(existsSync(join(learning.dir, 'learning.lock'))).toBe(false);
  }, 120_000);
});
