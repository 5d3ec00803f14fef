/**
 * Atomic publish: a crash at any step, or a SIGKILL at a random instant, leaves either the old
 * fleet or the new one (after recovery), never a mix; outputs of deleted briefs disappear.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publishFleet, readTree, recoverInterruptedPublish } from '../../src/compiler/publish.js';

let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'codex-publish-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

function fleet(version: string, count: number): Map<string, string> {
  const files = new Map<string, string>();
  for (let i = 0; i < count; i++) files.set(`d${i % 7}/agent-${i}.codex.yaml`, `version: ${version}\nagent: ${i}\n`);
  files.set('index.json', `{"version":"${version}"}\n`);
  return files;
}

function same(a: ReadonlyMap<string, string | Uint8Array>, b: ReadonlyMap<string, string | Uint8Array>): boolean {
  return a.size === b.size && [...a].every(([path, content]) => b.get(path) === content);
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
      await expect(publishFleet(out, after, { step: (name) => { if (name === step) throw new Error('crash'); } })).rejects.toThrow('crash');
      await recoverInterruptedPublish(out);
      const now = await readTree(out);
      expect(same(now, before) || same(now, after)).toBe(true);
      expect(same(now, step === 'moved-new' ? after : before)).toBe(true);
      expect(await readdir(dir)).toEqual(['agents']);
    });
  }

  it('survives SIGKILL at random instants', async () => {
    const out = join(dir, 'agents');
    const script = join(dir, 'writer.mts');
    const module = join(import.meta.dirname, '../../src/compiler/publish.ts');
    await writeFile(script, `
      import { publishFleet } from ${JSON.stringify(module)};
      const make = (v) => { const m = new Map(); for (let i = 0; i < 400; i++) m.set('d' + (i % 9) + '/a' + i + '.codex.yaml', 'v: ' + v + '\\n' + 'x'.repeat(2000)); m.set('index.json', v + '\\n'); return m; };
      let v = 0;
      for (;;) { await publishFleet(${JSON.stringify(out)}, make(v++ % 2 ? 'b' : 'a')); }
    `);
    const valid = (tree: ReadonlyMap<string, string | Uint8Array>) => {
      const version = tree.get('index.json');
      return tree.size === 401 && (version === 'a\n' || version === 'b\n') && [...tree].every(([path, content]) => path === 'index.json' || (typeof content === 'string' && content.startsWith(`v: ${version!.trim()}\n`)));
    };
    let observed = 0;
    for (let round = 0; round < 4; round++) {
      // One process (no tsx wrapper), so SIGKILL hits the writer itself.
      const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: 'ignore', cwd: join(import.meta.dirname, '../..') });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 900 + round * 170))]);
      expect(child.exitCode, 'the writer was still running when killed').toBeNull();
      child.kill('SIGKILL');
      await exited;
      await recoverInterruptedPublish(out);
      const tree = await readTree(out);
      if (tree.size > 0) {
        observed++;
        expect(valid(tree)).toBe(true);
      }
    }
    expect(observed, 'the writer published before being killed').toBeGreaterThan(0);
  }, 30_000);
});
