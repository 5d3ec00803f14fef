/**
 * bin/codex-flow.js over stand-in bundles: `route` starts from dist/codex-flow-route.cjs and every
 * other command from dist/codex-flow.cjs; a missing bundle says to build; a bundle that throws
 * while loading, or a command that rejects, is an internal error, exit 70 — never a bare stack.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const made: string[] = [];
afterAll(() => { for (const dir of made) rmSync(dir, { recursive: true, force: true }); });

/** A package folder with the real launcher and the given bundles (file name → source). */
function launcherWith(bundles: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cf-launcher-'));
  made.push(dir);
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'dist'));
  copyFileSync(join(root, 'bin/codex-flow.js'), join(dir, 'bin/codex-flow.js'));
  copyFileSync(join(root, 'package.json'), join(dir, 'package.json'));
  for (const [name, source] of Object.entries(bundles)) writeFileSync(join(dir, 'dist', name), source);
  return dir;
}

const run = (dir: string, args: string[]) => spawnSync(process.execPath, [join(dir, 'bin/codex-flow.js'), ...args], { encoding: 'utf8', timeout: 20_000 });
const answering = (name: string) => `exports.main = async (argv) => { process.stdout.write('${name} ' + argv.join(' ') + '\\n'); return 3; };`;

describe('launcher', () => {
  it('starts route from the route bundle and every other command from the full one', () => {
    const dir = launcherWith({ 'codex-flow.cjs': answering('full'), 'codex-flow-route.cjs': answering('route-only') });
    const route = run(dir, ['route', 'a task']);
    expect([route.status, route.stdout]).toEqual([3, 'route-only route a task\n']);
    const other = run(dir, ['validate']);
    expect([other.status, other.stdout]).toEqual([3, 'full validate\n']);
    const flagFirst = run(dir, ['--help', 'route']);
    expect(flagFirst.stdout).toBe('full --help route\n');
  });

  it('says to build when the bundle a command needs is missing', () => {
    const dir = launcherWith({ 'codex-flow.cjs': answering('full') });
    const result = run(dir, ['route', 'a task']);
    expect(result.status).toBe(70);
    expect(result.stderr).toBe('codex-flow: dist/codex-flow-route.cjs is missing: run `npm run build` in this checkout\n');
  });

  it('a bundle that throws while loading is an internal error, exit 70', () => {
    const dir = launcherWith({ 'codex-flow-route.cjs': 'throw new TypeError("broken at load");' });
    const result = run(dir, ['route', 'a task']);
    expect(result.status).toBe(70);
    expect(result.stderr).toMatch(/^codex-flow: internal error: this is a bug in codex-flow/);
    expect(result.stderr).toContain('TypeError: broken at load');
  });

  it('a command that rejects is an internal error, exit 70', () => {
    const dir = launcherWith({ 'codex-flow.cjs': 'exports.main = async () => { throw new ReferenceError("nope"); };' });
    const result = run(dir, ['stats']);
    expect(result.status).toBe(70);
    expect(result.stderr).toMatch(/^codex-flow: internal error/);
    expect(result.stderr).toContain('ReferenceError: nope');
  });
});
