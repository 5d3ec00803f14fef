/**
 * `convert --watch`: compiles at start, then recompiles only the brief that changed.
 */
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { memoryIO } from '../../src/cli/io.js';
import { resolveCompilerOptions } from '../../src/compiler/options.js';
import { watchFleet } from '../../src/cli/watch.js';

const brief = (name: string, topic: string) => `---\nname: ${name}\ndescription: Use this agent for ${topic}.\ntools: Read\n---\nBody\n`;

async function until(condition: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it('recompiles incrementally when a brief changes', async () => {
  const project = await mkdtemp(join(tmpdir(), 'codex-watch-'));
  try {
    await mkdir(join(project, '.claude/agents'), { recursive: true });
    await writeFile(join(project, '.claude/agents/a.md'), brief('a', 'Terraform modules'));
    await writeFile(join(project, '.claude/agents/b.md'), brief('b', 'Kubernetes operators'));
    const io = memoryIO(project, {});
    const controller = new AbortController();
    const watching = watchFleet(io, resolveCompilerOptions(project), { json: true }, controller.signal);
    const events = () =>
      io
        .out()
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { stats: { recompiled: number; compiled: number } });
    await until(() => events().length === 1);
    expect(events()[0]!.stats).toMatchObject({ compiled: 2, recompiled: 2 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await writeFile(join(project, '.claude/agents/b.md'), brief('b', 'Helm charts'));
    await until(() => events().length >= 2);
    expect(events()[1]!.stats).toMatchObject({ compiled: 2, recompiled: 1 });
    await until(async () => (await readFile(join(project, 'codex/agents/general/b.codex.yaml'), 'utf8')).includes('Helm charts'));
    controller.abort();
    expect(await watching).toBe(0);
  } finally {
    await rm(project, { recursive: true, force: true });
  }
}, 20_000);

it('listens for Ctrl-C before it says "watching" (a Ctrl-C right after the prompt killed it, exit 130)', async () => {
  const project = await mkdtemp(join(tmpdir(), 'codex-watch-'));
  try {
    await mkdir(join(project, '.claude/agents'), { recursive: true });
    await writeFile(join(project, '.claude/agents/a.md'), brief('a', 'Terraform modules'));
    const before = process.listenerCount('SIGINT');
    const beforeTerm = process.listenerCount('SIGTERM');
    let listeningWhenAnnounced: number | undefined;
    let termWhenAnnounced: number | undefined;
    const io = memoryIO(project, {});
    const controller = new AbortController();
    const watching = watchFleet(
      {
        ...io,
        stderr: (text) => {
          if (!text.includes('watching')) return;
          listeningWhenAnnounced = process.listenerCount('SIGINT');
          // Regression: a supervisor's SIGTERM met Node's default handler (exit 143).
          termWhenAnnounced = process.listenerCount('SIGTERM');
        },
      },
      resolveCompilerOptions(project),
      { json: true },
      controller.signal,
    );
    await until(() => listeningWhenAnnounced !== undefined);
    expect(listeningWhenAnnounced).toBe(before + 1);
    expect(termWhenAnnounced).toBe(beforeTerm + 1);
    controller.abort();
    expect(await watching).toBe(0);
    expect(process.listenerCount('SIGINT')).toBe(before);
    expect(process.listenerCount('SIGTERM')).toBe(beforeTerm);
  } finally {
    await rm(project, { recursive: true, force: true });
  }
}, 20_000);
