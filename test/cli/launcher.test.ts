/**
 * bin/codex-flow.js over stand-in bundles: `route` starts from dist/codex-flow-route.cjs and every
 * other command from dist/codex-flow.cjs; a missing bundle says to build; a bundle that throws
 * while loading, or a command that rejects, is an internal error, exit 70 — never a bare stack.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A package folder with the real launcher and the given bundles (file name → source). */
function launcherWith(bundles: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cf-launcher-'));
  made.push(dir);
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'dist'));
  for (const file of ['codex-flow.js', 'code-cache.js', 'package.json']) copyFileSync(join(root, 'bin', file), join(dir, 'bin', file));
  copyFileSync(join(root, 'package.json'), join(dir, 'package.json'));
  for (const [name, source] of Object.entries(bundles)) writeFileSync(join(dir, 'dist', name), source);
  return dir;
}

const run = (dir: string, args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [join(dir, 'bin/codex-flow.js'), ...args], {
    encoding: 'utf8',
    timeout: 20_000,
    env: { ...process.env, ...env },
  });
const answering = (name: string) =>
  `exports.main = async (argv) => { process.stdout.write('${name} ' + argv.join(' ') + '\\n'); return 3; };`;

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

/** A route bundle as the build writes it: the content hash on its first line (scripts/bundle-cli.ts). */
const withHeader = (body: string) => `// codex-flow bundle sha256:${createHash('sha256').update(body).digest('hex')}\n${body}`;

// Node ≥ 22.1 caches compiled code itself; the launcher's own code cache is for older Nodes.
describe.skipIf(typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function')(
  'route through the code cache',
  () => {
    const cacheFiles = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.v8')) : []);
    /** The cache file name the launcher gives a route bundle of `body` installed in `dir` (bin/code-cache.js). */
    const cacheNameOf = (dir: string, body: string) => {
      const place = createHash('sha256')
        .update(join(dir, 'dist', 'codex-flow-route.cjs'))
        .digest('hex')
        .slice(0, 12);
      return `${createHash('sha256').update(body).digest('hex').slice(0, 32)}-${place}-${process.version}-${process.arch}.v8`;
    };

    it("a stack from cached code names this install's bundle, not the install that wrote the cache", () => {
      const cache = join(mkdtempSync(join(tmpdir(), 'cf-cache-')), 'cache');
      made.push(cache);
      const stackLine = withHeader(
        "exports.main = async () => { process.stdout.write(new Error('x').stack.split('\\n')[1] + '\\n'); return 0; };",
      );
      const first = launcherWith({ 'codex-flow-route.cjs': stackLine });
      run(first, ['route', 'x'], { CODEX_FLOW_COMPILE_CACHE: cache });
      expect(run(first, ['route', 'x'], { CODEX_FLOW_COMPILE_CACHE: cache }).stdout).toContain(first);
      const second = launcherWith({ 'codex-flow-route.cjs': stackLine });
      run(second, ['route', 'x'], { CODEX_FLOW_COMPILE_CACHE: cache });
      const fromCache = run(second, ['route', 'x'], { CODEX_FLOW_COMPILE_CACHE: cache }).stdout;
      expect(fromCache).toContain(second);
      expect(fromCache).not.toContain(first);
    });

    it('writes the cache on the first route and answers the same from it', () => {
      const dir = launcherWith({ 'codex-flow-route.cjs': withHeader(answering('cached')) });
      const cache = join(dir, 'cache');
      const first = run(dir, ['route', 'a'], { CODEX_FLOW_COMPILE_CACHE: cache });
      expect([first.status, first.stdout, cacheFiles(cache).length]).toEqual([3, 'cached route a\n', 1]);
      const second = run(dir, ['route', 'b'], { CODEX_FLOW_COMPILE_CACHE: cache });
      expect([second.status, second.stdout, second.stderr]).toEqual([3, 'cached route b\n', '']);
    });

    it("a rebuilt bundle of the same length never runs the old build's cached code (V8 checks the length only)", () => {
      const cache = join(mkdtempSync(join(tmpdir(), 'cf-cache-')), 'cache');
      made.push(cache);
      const before = launcherWith({ 'codex-flow-route.cjs': withHeader(answering('build-1')) });
      run(before, ['route', 'x'], { CODEX_FLOW_COMPILE_CACHE: cache });
      const after = launcherWith({ 'codex-flow-route.cjs': withHeader(answering('build-2')) });
      expect(run(after, ['route', 'x'], { CODEX_FLOW_COMPILE_CACHE: cache }).stdout).toBe('build-2 route x\n');
    });

    it('does not read a cache folder others can write to', () => {
      const cache = join(mkdtempSync(join(tmpdir(), 'cf-cache-')), 'cache');
      made.push(cache);
      // The cache of another build planted under this build's name: taken, it would answer "planted".
      const planted = launcherWith({ 'codex-flow-route.cjs': withHeader(answering('planted')) });
      run(planted, ['route', 'x'], { CODEX_FLOW_COMPILE_CACHE: cache });
      const dir = launcherWith({ 'codex-flow-route.cjs': withHeader(answering('honest!')) });
      const [file] = cacheFiles(cache);
      const ownName = cacheNameOf(dir, answering('honest!'));
      copyFileSync(join(cache, file!), join(cache, ownName));
      chmodSync(cache, 0o777);
      expect(run(dir, ['route', 'x'], { CODEX_FLOW_COMPILE_CACHE: cache }).stdout).toBe('honest! route x\n');
      chmodSync(cache, 0o700);
      expect(run(dir, ['route', 'x'], { CODEX_FLOW_COMPILE_CACHE: cache }).stdout).toBe('planted route x\n');
    });

    /** A cache folder holding another build's cache under the honest build's name, and the honest launcher. */
    function plantedCache(cache: string): { dir: string; ownName: string; planted: string } {
      const planted = launcherWith({ 'codex-flow-route.cjs': withHeader(answering('planted')) });
      run(planted, ['route', 'x'], { CODEX_FLOW_COMPILE_CACHE: cache });
      const dir = launcherWith({ 'codex-flow-route.cjs': withHeader(answering('honest!')) });
      const [file] = cacheFiles(cache);
      const ownName = cacheNameOf(dir, answering('honest!'));
      return { dir, ownName, planted: join(cache, file!) };
    }

    it('does not read a cache folder that is a symlink (it could be swapped between the check and the read)', () => {
      const base = mkdtempSync(join(tmpdir(), 'cf-cache-'));
      made.push(base);
      const real = join(base, 'real');
      const { dir, ownName, planted } = plantedCache(real);
      copyFileSync(planted, join(real, ownName));
      symlinkSync(real, join(base, 'link'));
      expect(run(dir, ['route', 'x'], { CODEX_FLOW_COMPILE_CACHE: join(base, 'link') }).stdout).toBe('honest! route x\n');
      expect(run(dir, ['route', 'x'], { CODEX_FLOW_COMPILE_CACHE: real }).stdout).toBe('planted route x\n');
    });

    it('does not read a cache file that is a symlink to a file elsewhere', () => {
      const base = mkdtempSync(join(tmpdir(), 'cf-cache-'));
      made.push(base);
      const elsewhere = join(base, 'elsewhere');
      const { planted } = plantedCache(elsewhere);
      const cache = join(base, 'cache');
      const { dir, ownName } = plantedCache(cache);
      symlinkSync(planted, join(cache, ownName));
      expect(run(dir, ['route', 'x'], { CODEX_FLOW_COMPILE_CACHE: cache }).stdout).toBe('honest! route x\n');
    });

    it('CODEX_FLOW_COMPILE_CACHE=off writes nothing, and a bundle without the header is required as it is', () => {
      const dir = launcherWith({ 'codex-flow-route.cjs': withHeader(answering('plain')) });
      const off = run(dir, ['route', 'a'], { CODEX_FLOW_COMPILE_CACHE: 'off', TMPDIR: join(dir, 'tmp') });
      expect([off.status, off.stdout, existsSync(join(dir, 'tmp'))]).toEqual([3, 'plain route a\n', false]);
      const bare = launcherWith({ 'codex-flow-route.cjs': answering('bare') });
      const cache = join(bare, 'cache');
      expect(run(bare, ['route', 'a'], { CODEX_FLOW_COMPILE_CACHE: cache }).stdout).toBe('bare route a\n');
      expect(cacheFiles(cache)).toEqual([]);
    });
  },
);

// Node ≥ 22.1 (module.enableCompileCache): Node's compile cache goes to the per-user folder, not to
// Node's default under the shared temp folder. The call is recorded by a stand-in preloaded with
// --require, so this runs on every Node.
describe("Node's compile cache", () => {
  const recorder = (dir: string) => {
    const file = join(dir, 'record-compile-cache.cjs');
    writeFileSync(
      file,
      "require('node:module').enableCompileCache = (dir) => { require('node:fs').writeFileSync(process.env.CF_RECORD, JSON.stringify({ dir: dir ?? null })); return { status: 0 }; };\n",
    );
    return file;
  };

  it('is kept in the per-user cache folder, and not enabled when the cache is off', () => {
    const dir = launcherWith({ 'codex-flow.cjs': answering('full') });
    const cache = join(dir, 'cache');
    const record = join(dir, 'record.json');
    const env = { NODE_OPTIONS: `--require ${recorder(dir)}`, CF_RECORD: record };
    expect(run(dir, ['stats'], { ...env, CODEX_FLOW_COMPILE_CACHE: cache }).stdout).toBe('full stats\n');
    expect(JSON.parse(readFileSync(record, 'utf8'))).toEqual({ dir: cache });
    rmSync(record);
    expect(run(dir, ['stats'], { ...env, CODEX_FLOW_COMPILE_CACHE: 'off' }).stdout).toBe('full stats\n');
    expect(existsSync(record)).toBe(false);
  });
});
