/**
 * A compile callback that throws inside the watch loop: it used to reject the loop's promise
 * chain, which nothing awaited (an unhandled rejection), and every later change chained onto the
 * rejected promise, so the watch never compiled again. Now the error goes to `onError` and the
 * next change compiles.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { resolveCompilerOptions } from '../../src/compiler/options.js';
import { watchBriefs } from '../../src/compiler/watch.js';

const brief = (topic: string) => `---\nname: a\ndescription: Use this agent for ${topic}.\ntools: Read\n---\nBody\n`;

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

it('a callback that throws on a change is reported, leaves no unhandled rejection, and the next change compiles (watch-error-unhandled-rejection)', async () => {
  const project = await mkdtemp(join(tmpdir(), 'codex-watch-errors-'));
  const path = join(project, '.claude/agents/a.md');
  try {
    await mkdir(join(project, '.claude/agents'), { recursive: true });
    await writeFile(path, brief('Terraform modules'));
    const reasons: string[] = [];
    const errors: unknown[] = [];
    const watching = await watchBriefs(
      resolveCompilerOptions(project),
      (_result, reason) => {
        reasons.push(reason);
        if (reasons.length === 2) throw new Error('the reload broke');
      },
      { debounceMs: 50, onError: (error) => errors.push(error) },
    );
    try {
      await writeFile(path, brief('Helm charts'));
      await until(() => reasons.length === 2);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await writeFile(path, brief('Kubernetes operators'));
      await until(() => reasons.length === 3);
      expect(errors).toEqual([new Error('the reload broke')]);
      expect(unhandled).toEqual([]);
    } finally {
      await watching.close();
    }
  } finally {
    await rm(project, { recursive: true, force: true });
  }
}, 30_000);
