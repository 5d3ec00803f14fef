/**
 * `codex-flow cleanup` end to end through `main`: old runs pruned, the newest kept, runs in
 * progress left alone, JSONL logs (and the fleet's file: channels) truncated by age.
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';

describe('codex-flow cleanup', () => {
  it('prunes old runs, keeps the newest N, truncates old log lines and says what it removed', async () => {
    const root = await mkdtemp(join(tmpdir(), 'cf-cleanup-'));
    const day = 86_400_000;
    const now = Date.now();
    for (const [name, age] of [
      ['old-1', 10],
      ['old-2', 9],
      ['recent', 1],
      ['newest', 0],
    ] as const) {
      await mkdir(join(root, '.runs', name), { recursive: true });
      await writeFile(join(root, '.runs', name, 'result.json'), '{}');
      const at = new Date(now - age * day);
      await utimes(join(root, '.runs', name, 'result.json'), at, at);
    }
    await mkdir(join(root, '.codex-flow/logs'), { recursive: true });
    const line = (age: number) => JSON.stringify({ at: new Date(now - age * day).toISOString(), ok: true });
    await writeFile(join(root, '.codex-flow/logs/agents.jsonl'), [line(20), line(8), line(1), 'not json', ''].join('\n'));

    const io = memoryIO(root, {});
    expect(await main(['cleanup', '--older-than', '7d', '--keep', '1'], io)).toBe(0);
    expect(io.out()).toContain('removed 2 run(s) from .runs/, kept 2');
    expect(io.out()).toContain('.codex-flow/logs/agents.jsonl: removed 2 line(s), kept 2');
    expect((await readdir(join(root, '.runs'))).sort()).toEqual(['newest', 'recent']);

    const json = memoryIO(root, {});
    expect(await main(['cleanup', '--keep', '1', '--json'], json)).toBe(0);
    expect(JSON.parse(json.out())).toMatchObject({ runs: { removed: ['recent'], kept: 1 } });

    // File channels of the fleet's agents are truncated too.
    await cp(new URL('../../codex/agents', import.meta.url), join(root, 'codex/agents'), { recursive: true });
    const custom = join(root, 'codex/agents/docs/changelog-writer.codex.yaml');
    await writeFile(custom, (await readFile(custom, 'utf8')).replace('file:.codex-flow/logs/agents.jsonl', 'file:logs/changelog.jsonl'));
    await mkdir(join(root, 'logs'));
    await writeFile(join(root, 'logs/changelog.jsonl'), `${line(30)}\n${line(0)}\n`);
    const channels = memoryIO(root, {});
    expect(await main(['cleanup'], channels)).toBe(0);
    expect(channels.out()).toContain('logs/changelog.jsonl: removed 1 line(s), kept 1');

    // A run without a result that wrote an event recently is in progress: never removed, even with --keep 0.
    await mkdir(join(root, '.runs', 'running'), { recursive: true });
    await writeFile(join(root, '.runs', 'running', 'events.jsonl'), '{"event":"run-start"}\n');
    const running = memoryIO(root, {});
    expect(await main(['cleanup', '--keep', '0', '--json'], running)).toBe(0);
    expect(JSON.parse(running.out()).runs).toMatchObject({ removed: ['newest'], in_progress: ['running'] });
    expect(await readdir(join(root, '.runs'))).toEqual(['running']);

    const bad = memoryIO(root, {});
    expect(await main(['cleanup', '--older-than', 'soon'], bad)).toBe(2);
    expect(bad.err()).toContain('--older-than needs a duration');
    await rm(root, { recursive: true, force: true });
  });

  it('a finished swarm (its report.json written) is pruned like a run, not kept as in progress', async () => {
    const root = await mkdtemp(join(tmpdir(), 'cf-cleanup-swarm-'));
    for (const name of ['swarm-old', 'swarm-new']) {
      await mkdir(join(root, '.runs', name, 'run-1'), { recursive: true });
      await writeFile(join(root, '.runs', name, 'events.jsonl'), '{}\n');
      await writeFile(join(root, '.runs', name, 'report.json'), '{}');
    }
    const old = new Date(Date.now() - 60_000);
    await utimes(join(root, '.runs/swarm-old/report.json'), old, old);
    const io = memoryIO(root, {});
    expect(await main(['cleanup', '--keep', '1', '--json'], io)).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({ runs: { removed: ['swarm-old'], kept: 1, in_progress: [] } });
  });
});
