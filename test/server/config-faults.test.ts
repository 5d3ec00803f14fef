/**
 * A bad `learning:` section is the user's configuration, not a bug: `serve` refuses to start with
 * a diagnostic (exit 1, not 70), and a run asked for after the section went bad answers 422 (not
 * 500). The config loader finds it (CF9001 at the value in the file, the registry's learning schema).
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { startServer } from '../../src/server/serve.js';
import { call, makeProject, serve } from './support.js';

const BAD_LEARNING = '\nlearning:\n  explore: maybe\n';

function spoilLearning(root: string): void {
  const file = join(root, 'codex-flow.config.yaml');
  if (existsSync(file) && /^learning:/m.test(readFileSync(file, 'utf8'))) throw new Error('the starter config already has learning:');
  if (existsSync(file)) appendFileSync(file, BAD_LEARNING);
  else writeFileSync(file, BAD_LEARNING);
}

describe('serve: a bad learning: section', () => {
  it('bad learning config at start: startServer answers a diagnostic and serve exits 1, not 70', async () => {
    const root = await makeProject();
    spoilLearning(root);
    const started = await startServer({ root, env: {}, host: '127.0.0.1', port: 0, log: () => {} });
    expect(started.server).toBeUndefined();
    expect(started.diagnostics.map((entry) => entry.code)).toContain('CF9001');
    expect(started.diagnostics.find((entry) => entry.code === 'CF9001')?.message).toMatch(/explore/);
    const io = memoryIO(root, {});
    expect(await main(['serve', '--port', '0'], io)).toBe(1);
    expect(io.err()).toMatch(/CF9001/);
    expect(io.err()).not.toMatch(/internal error/);
  });

  it('bad learning config under --watch: a brief edit keeps the fleet serving with CF9001 pending, not a crashed reload', async () => {
    const root = await makeProject();
    const started = await serve(root, { watch: true });
    try {
      const hash = started.server.context.holder.current!.hash;
      spoilLearning(root);
      const brief = join(root, '.claude/agents/quality/code-reviewer.md');
      writeFileSync(brief, readFileSync(brief, 'utf8').replace('description: ', 'description: Edited. '));
      const deadline = Date.now() + 20_000;
      let ready = await call(started.server.url, '/readyz');
      while (ready.body.diagnostics.length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        ready = await call(started.server.url, '/readyz');
      }
      expect(ready.body.fleet_hash).toBe(hash);
      expect(ready.body.diagnostics.map((entry: { code: string }) => entry.code)).toContain('CF9001');
      // The watcher still follows the briefs: the fixed config and the next edit load a fleet.
      writeFileSync(
        join(root, 'codex-flow.config.yaml'),
        readFileSync(join(root, 'codex-flow.config.yaml'), 'utf8').replace(BAD_LEARNING, '\n'),
      );
      writeFileSync(brief, readFileSync(brief, 'utf8').replace('description: ', 'description: Edited again. '));
      while (started.server.context.holder.pending.length > 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(started.server.context.holder.pending).toEqual([]);
      expect(started.server.context.holder.current!.hash).not.toBe(hash);
    } finally {
      await started.server.stop();
    }
  });

  it('bad learning config after start: POST /v1/runs answers 422 CF9001, not 500', async () => {
    const root = await makeProject();
    const started = await serve(root);
    try {
      spoilLearning(root);
      const { status, body } = await call(started.server.url, '/v1/runs', { body: { task: 'review this change before merge' } });
      expect(status, JSON.stringify(body)).toBe(422);
      expect(body.diagnostics[0].code).toBe('CF9001');
      expect(body.diagnostics[0].message).toMatch(/explore/);
    } finally {
      await started.server.stop();
    }
  });
});
