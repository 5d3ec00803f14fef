/**
 * Publish race (issue 16): readers (validate, route, run) never run the publish recovery and never
 * delete anything; they read the last complete fleet. The race is made deterministic by pausing the
 * writer between its steps (PublishHooks.step), not by timing.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { publishFleet, readTree } from '../../src/compiler/publish.js';
import type { OutputFiles } from '../../src/compiler/emit.js';
import { loadFleet } from '../../src/fleet/load.js';

const fixture = join(import.meta.dirname, '../../codex/agents');
const projects: string[] = [];
afterEach(() => {
  for (const dir of projects.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(): { dir: string; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cf-publish-race-'));
  projects.push(dir);
  cpSync(fixture, join(dir, 'codex/agents'), { recursive: true });
  return { dir, out: join(dir, 'codex/agents') };
}

/** A publish paused at `step` until `resume()` is called. */
function pausedPublish(out: string, files: OutputFiles, step: 'written' | 'moved-old') {
  let resume!: () => void;
  let reached!: () => void;
  const gate = new Promise<void>((resolve) => {
    resume = resolve;
  });
  const paused = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const done = publishFleet(out, files, {
    step: async (name) => {
      if (name === step) {
        reached();
        await gate;
      }
    },
  });
  return { done, paused, resume };
}

async function cli(dir: string, argv: string[]) {
  const io = memoryIO(dir, { CI: 'true' });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

function hidden(dir: string): string[] {
  return readdirSync(join(dir, 'codex')).filter((name) => name.startsWith('.agents.') && !name.endsWith('.lock'));
}

describe('publish race: readers never recover', () => {
  it('validate while a convert is paused after writing its temp folder leaves that folder alone', async () => {
    const { dir, out } = project();
    const next = new Map(await readTree(out));
    next.set('notes.txt', 'new\n');
    const publish = pausedPublish(out, next, 'written');
    await publish.paused;
    const temps = hidden(dir);
    expect(temps).toHaveLength(1);
    const validate = await cli(dir, ['validate']);
    expect(validate.code, validate.err).toBe(0);
    expect(hidden(dir)).toEqual(temps);
    publish.resume();
    await expect(publish.done).resolves.toBe(true);
    expect((await readTree(out)).get('notes.txt')).toBe('new\n');
  }, 30_000);

  it('between the two renames, validate, route and run read the kept old fleet and the publish completes', async () => {
    const { dir, out } = project();
    const agents = loadFleet(out).fleet!.index.agents.length;
    const next = new Map(await readTree(out));
    next.set('notes.txt', 'new\n');
    const publish = pausedPublish(out, next, 'moved-old');
    await publish.paused;
    expect(existsSync(out)).toBe(false);
    const validate = await cli(dir, ['validate', '--json']);
    expect(validate.code, validate.err).toBe(0);
    expect(JSON.parse(validate.out).agents).toBe(agents);
    const route = await cli(dir, ['route', 'fix the flaky login test', '--json']);
    expect(route.code, route.err).toBe(0);
    const run = await cli(dir, ['run', '--route', 'fix the flaky login test', '--dry-run']);
    expect(run.err).not.toContain('no compiled fleet');
    expect(run.code, run.err).toBe(0);
    expect(existsSync(out)).toBe(false);
    publish.resume();
    await expect(publish.done).resolves.toBe(true);
    expect(hidden(dir)).toEqual([]);
  }, 60_000);

  it('after a kill between the renames, route and run read the kept old fleet; the next convert recovers it', async () => {
    const { dir, out } = project();
    const before = await readTree(out);
    await expect(
      publishFleet(out, new Map([['index.json', '{}\n']]), {
        step: (name) => {
          if (name === 'moved-old') throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    expect(existsSync(out)).toBe(false);
    const route = await cli(dir, ['route', 'fix the flaky login test']);
    expect(route.code, route.err).toBe(0);
    const run = await cli(dir, ['run', '--route', 'fix the flaky login test', '--dry-run']);
    expect(run.code, run.err).toBe(0);
    expect(existsSync(out)).toBe(false);
    // The next writer, under the lock, renames the kept fleet back before comparing.
    expect(await publishFleet(out, before)).toBe(false);
    expect(hidden(dir)).toEqual([]);
  }, 60_000);
});
