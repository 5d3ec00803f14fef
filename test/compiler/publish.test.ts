/**
 * Atomic publish: a crash at any step, or a SIGKILL at any point of a publish, leaves either the
 * old fleet or the new one (after recovery), never a mix; outputs of deleted briefs disappear.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publishFleet, readTree, recoverInterruptedPublish } from '../../src/compiler/publish.js';
import { fleetSiblings } from '../../src/fleet/complete-fleet.js';
import { STALE_LOCK_MS } from '../../src/util/file-lock.js';
import { bundledChildScript } from '../support/child-script.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'codex-publish-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function fleet(version: string, count: number): Map<string, string> {
  const files = new Map<string, string>();
  for (let i = 0; i < count; i++) files.set(`d${i % 7}/agent-${i}.codex.yaml`, `version: ${version}\nagent: ${i}\n`);
  files.set('index.json', `{"version":"${version}"}\n`);
  return files;
}

function same(a: ReadonlyMap<string, string | Uint8Array>, b: ReadonlyMap<string, string | Uint8Array>): boolean {
  return a.size === b.size && [...a].every(([path, content]) => b.get(path) === content);
}

const WRITER_FILES = 400;

/**
 * A writer process (its folder and stop point come from OUT and POINT in the environment, so one
 * bundled script serves every test): publishes fleet a, then fleet b, and stops at `point` of the second publish —
 * `writing` halfway through writing b's files (fs/promises' writeFile wrapped before publish.ts
 * binds it), the others at publishFleet's step hook. Stopped, it says `paused <point>` and blocks
 * its thread; if nobody kills it within 60 s it exits 3.
 */
function killableWriter(): string {
  const publish = JSON.stringify(join(import.meta.dirname, '../../src/compiler/publish.ts'));
  return `
    import fs from 'node:fs/promises';
    import { writeSync } from 'node:fs';
    import { syncBuiltinESMExports } from 'node:module';
    const out = process.env.OUT;
    const point = process.env.POINT;
    const pause = (where) => {
      writeSync(1, 'paused ' + where + '\\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
      process.exit(3);
    };
    let writes = 0;
    let counting = false;
    const writeFile = fs.writeFile;
    fs.writeFile = (...args) => {
      if (counting && ++writes === ${WRITER_FILES / 2} && point === 'writing') pause('writing');
      return writeFile(...args);
    };
    syncBuiltinESMExports();
    const { publishFleet } = await import(${publish});
    const make = (v) => {
      const files = new Map();
      for (let i = 0; i < ${WRITER_FILES}; i++) files.set('d' + (i % 9) + '/a' + i + '.codex.yaml', 'v: ' + v + '\\n' + 'x'.repeat(2000));
      files.set('index.json', v + '\\n');
      return files;
    };
    await publishFleet(out, make('a'));
    counting = true;
    await publishFleet(out, make('b'), { step: (name) => { if (name === point) pause(name); } });
    process.exit(4);
  `;
}

/** The point the writer says it stopped at; rejects if it exits first or says nothing within `limitMs`. */
function pausedAt(child: ChildProcess, limitMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the writer did not pause within ${limitMs} ms: ${stdout}${stderr}`));
    }, limitMs);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const paused = /^paused (\S+)$/m.exec(stdout);
      if (paused) {
        clearTimeout(timer);
        resolve(paused[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the writer exited (${code}) before pausing: ${stdout}${stderr}`));
    });
  });
}

describe('publishFleet', () => {
  it('writes a fleet, then replaces it whole, removing files of deleted briefs', async () => {
    const out = join(dir, 'codex/agents');
    expect(await publishFleet(out, fleet('1', 10))).toBe(true);
    expect(same(await readTree(out), fleet('1', 10))).toBe(true);
    expect(await publishFleet(out, fleet('2', 4))).toBe(true);
    expect(same(await readTree(out), fleet('2', 4))).toBe(true);
    expect(await publishFleet(out, fleet('2', 4))).toBe(false);
    expect((await readdir(join(dir, 'codex'))).sort()).toEqual(['agents']);
  });

  for (const step of ['written', 'moved-old', 'moved-new'] as const) {
    it(`leaves the old or the new fleet when it crashes after "${step}"`, async () => {
      const out = join(dir, 'agents');
      const before = fleet('old', 20);
      const after = fleet('new', 15);
      await publishFleet(out, before);
      await expect(
        publishFleet(out, after, {
          step: (name) => {
            if (name === step) throw new Error('crash');
          },
        }),
      ).rejects.toThrow('crash');
      await recoverInterruptedPublish(out);
      const now = await readTree(out);
      expect(same(now, before) || same(now, after)).toBe(true);
      expect(same(now, step === 'moved-new' ? after : before)).toBe(true);
      expect(await readdir(dir)).toEqual(['agents']);
    });
  }

  // A real SIGKILL (no finally block runs, the lock file stays behind) at each known point of a
  // publish: the writer announces on stdout that it has stopped there and waits to be killed, so
  // the kill lands at the same point however slow the machine is.
  const killPoints = [
    { point: 'writing', survivor: 'a' },
    { point: 'written', survivor: 'a' },
    { point: 'moved-old', survivor: 'a' },
    { point: 'moved-new', survivor: 'b' },
  ] as const;
  for (const { point, survivor } of killPoints) {
    it(`survives SIGKILL at "${point}": fleet ${survivor} after recovery, and the next publish proceeds`, async () => {
      const out = join(dir, 'agents');
      {
        // Plain node on the script bundled once (test/support/child-script.ts), not the tsx loader per writer.
        const child = spawn(process.execPath, [bundledChildScript(killableWriter())], {
          stdio: ['ignore', 'pipe', 'pipe'],
          cwd: join(import.meta.dirname, '../..'),
          env: { ...process.env, OUT: out, POINT: point },
        });
        const exited = new Promise((resolve) => child.once('exit', resolve));
        expect(await pausedAt(child, 60_000)).toBe(point);
        child.kill('SIGKILL');
        await exited;
        expect(child.signalCode).toBe('SIGKILL');
        // The dead writer's lock, aged past the stale limit as the clock would after STALE_LOCK_MS:
        // staleness is read from the lock's mtime, so the takeover is tested without waiting it out.
        const stale = new Date(Date.now() - 2 * STALE_LOCK_MS);
        await utimes(fleetSiblings(out).lock, stale, stale);
        await recoverInterruptedPublish(out);
        const tree = await readTree(out);
        expect(tree.size).toBe(WRITER_FILES + 1);
        expect(tree.get('index.json')).toBe(`${survivor}\n`);
        for (const [path, content] of tree)
          if (path !== 'index.json') expect(String(content).startsWith(`v: ${survivor}\n`), path).toBe(true);
        // The killed writer's lock names a process that is gone: the next publish takes it over.
        expect(await publishFleet(out, fleet('c', 3))).toBe(true);
        expect(same(await readTree(out), fleet('c', 3))).toBe(true);
        expect(await readdir(dir)).toEqual(['agents']);
      }
    }, 120_000);
  }
});
