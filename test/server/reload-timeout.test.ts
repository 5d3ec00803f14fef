/**
 * The hot-reload compile runs on its own thread with a time bound: a compile past the bound is cut
 * (CF9600 on /readyz), the served fleet stays, routes keep answering, and the watch goes on.
 * Before the compile thread a compile had no bound at all: one that hung held every later reload.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { call, makeProject, serve } from './support.js';

const BRIEF = '.claude/agents/quality/code-reviewer.md';

async function readyWith(url: string, code: string): Promise<{ fleet_hash: string; diagnostics: Array<{ code: string }> }> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ready = await call(url, '/readyz');
    if (ready.body.diagnostics.some((entry: { code: string }) => entry.code === code) || Date.now() > deadline) return ready.body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

it('a compile past its time bound is cut: the old fleet keeps serving and /readyz shows CF9600 (hot-reload-compile-unbounded)', async () => {
  const root = await makeProject();
  // 1 ms: no compile fits, as none fits when a compile hangs.
  const started = await serve(root, { watch: true, compileTimeoutMs: 1 });
  try {
    const url = started.server.url;
    const hash = started.server.context.holder.current!.hash;
    writeFileSync(join(root, BRIEF), readFileSync(join(root, BRIEF), 'utf8').replace('description: ', 'description: Edited. '));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await started.server.context.holder.idle();
    const ready = await readyWith(url, 'CF9600');
    expect(ready.fleet_hash).toBe(hash);
    expect(ready.diagnostics.map((entry) => entry.code)).toEqual(expect.arrayContaining(['CF9505', 'CF9600']));
    const routed = await call(url, '/v1/route', { body: { task: 'review this change', record: false } });
    expect(routed.status).toBe(200);
    expect(routed.body.fleet_hash).toBe(hash);
    expect(started.lines.join('\n')).toMatch(/CF9600: the compile ran past 1 ms and was cut/);
  } finally {
    await started.server.stop();
  }
}, 60_000);
