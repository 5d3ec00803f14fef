/**
 * The bundled CLI and its code cache (src/cli/bundle-launch.ts, scripts/bundle-cli.ts): the
 * bundle answers exactly as the modules do, the first run writes a cache that the second run's V8
 * takes, and a damaged or foreign cache only costs the compile. Each bundled run is a process of
 * its own: within one process V8 reuses its compiled script and never looks at the cache.
 */
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli } from '../../scripts/bundle-cli.js';
import { BUNDLE_HEADER, COMPILE_CACHE_ENV, bundleHash, compileCacheDir, loadBundle } from '../../src/cli/bundle-launch.js';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';

// Inside node_modules so that the bundle's own `require('re2')` resolves as it does from dist/.
let work: string;
let bundle: string;
let project: string;

beforeAll(async () => {
  const cacheRoot = join(import.meta.dirname, '../../node_modules/.cache');
  mkdirSync(cacheRoot, { recursive: true });
  work = mkdtempSync(join(cacheRoot, 'codex-flow-bundle-test-'));
  bundle = join(work, 'codex-flow.cjs');
  await bundleCli(bundle);
  // The bundled sample fleet, briefs and compiled output, in a project of its own.
  project = join(work, 'project');
  const root = join(import.meta.dirname, '../..');
  for (const dir of ['.claude', 'codex']) cpSync(join(root, dir), join(project, dir), { recursive: true });
}, 120_000);
afterAll(() => { rmSync(work, { recursive: true, force: true }); });

const routeArgs = ['route', 'the checkout page jumps around when the web fonts load', '--files', 'src/components/Checkout.tsx', '--top', '3', '--json', '--no-record'];
const launcher = join(import.meta.dirname, '../support/cli/launch-bundle.mjs');

/** The command in-process, through the modules. */
async function direct(argv: string[]) {
  const io = memoryIO(project, { CI: 'true' });
  const code = await main(argv, io);
  return { code, out: io.out() };
}

/** The command in a fresh process, through the bundle (and the code cache in `cacheDir`). */
function bundled(argv: string[], cacheDir = '') {
  const child = spawnSync(process.execPath, ['--import', 'tsx', launcher, bundle, cacheDir, ...argv], { cwd: project, env: { ...process.env, CI: 'true' }, encoding: 'utf8' });
  const cacheUsed = /cache used: (true|false)/.exec(child.stderr)?.[1];
  if (cacheUsed === undefined) throw new Error(`the bundled CLI did not run: ${child.stderr}`);
  return { code: child.status, out: child.stdout, cacheUsed: cacheUsed === 'true' };
}

describe('the bundled CLI', () => {
  it('writes a header naming the hash of the rest', () => {
    const source = readFileSync(bundle, 'utf8');
    expect(source.startsWith(BUNDLE_HEADER)).toBe(true);
    expect(bundleHash(source)).toMatch(/^[0-9a-f]{64}$/);
    expect(bundleHash(source.replace(BUNDLE_HEADER, '// something else '))).toBeUndefined();
  });

  it('routes, explains, validates and refuses bad usage exactly as the modules do', async () => {
    for (const argv of [routeArgs, [...routeArgs.slice(0, 2), '--explain', 'frontend-developer'], ['validate', '--json'], ['stats', '--json'], ['route', '--top', 'x', 'a task']]) {
      const { cacheUsed, ...result } = bundled(argv);
      expect(cacheUsed).toBe(false);
      expect(result).toEqual(await direct(argv));
    }
  }, 60_000);

  it('writes a code cache after the first run, and the next run takes it', async () => {
    const cacheDir = join(work, 'cache-ok');
    const first = bundled(routeArgs, cacheDir);
    expect(first.cacheUsed).toBe(false);
    expect(readdirSync(cacheDir)).toHaveLength(1);
    expect(readdirSync(cacheDir)[0]).toMatch(/-route-v\d+\.\d+\.\d+-\w+\.v8$/);
    const second = bundled(routeArgs, cacheDir);
    expect(second).toEqual({ ...first, cacheUsed: true });
    // A cache per command: another command compiles other functions.
    bundled(['stats', '--json'], cacheDir);
    expect(readdirSync(cacheDir)).toHaveLength(2);
  }, 60_000);

  it('ignores a damaged cache, runs the same and writes a good one', async () => {
    const cacheDir = join(work, 'cache-bad');
    const first = bundled(routeArgs, cacheDir);
    const [file] = readdirSync(cacheDir);
    writeFileSync(join(cacheDir, file!), Buffer.from('not a V8 code cache at all'));
    expect(bundled(routeArgs, cacheDir)).toEqual(first);
    expect(bundled(routeArgs, cacheDir).cacheUsed).toBe(true);
  }, 60_000);

  it('keeps the folder bounded: the newest caches stay, its own among them', () => {
    const cacheDir = join(work, 'cache-full');
    mkdirSync(cacheDir, { mode: 0o700 });
    const old = new Date(Date.UTC(2020, 0, 1));
    for (let i = 0; i < 40; i++) {
      writeFileSync(join(cacheDir, `older-${i}.v8`), 'x');
      utimesSync(join(cacheDir, `older-${i}.v8`), old, new Date(old.getTime() + i * 1000));
    }
    writeFileSync(join(cacheDir, 'notes.txt'), 'not a cache');
    bundled(routeArgs, cacheDir);
    const left = readdirSync(cacheDir);
    expect(left.filter((name) => name.endsWith('.v8'))).toHaveLength(32);
    expect(left.some((name) => name.endsWith('-route-' + process.version + '-' + process.arch + '.v8'))).toBe(true);
    expect(left).toContain('older-39.v8');
    expect(left).not.toContain('older-0.v8');
    expect(left).toContain('notes.txt');
  }, 60_000);

  it('does not read or write a cache folder others can write to', () => {
    const cacheDir = join(work, 'cache-open');
    bundled(routeArgs, cacheDir);
    chmodSync(cacheDir, 0o777);
    expect(bundled(routeArgs, cacheDir).cacheUsed).toBe(false);
    rmSync(join(cacheDir, readdirSync(cacheDir)[0]!));
    bundled(routeArgs, cacheDir);
    expect(readdirSync(cacheDir)).toHaveLength(0);
  }, 60_000);

  it('is not loaded when missing or without its header', () => {
    expect(loadBundle(join(work, 'missing.cjs'), 'route', undefined)).toBeUndefined();
    const plain = join(work, 'plain.cjs');
    writeFileSync(plain, 'module.exports.main = async () => 0;\n');
    expect(loadBundle(plain, 'route', undefined)).toBeUndefined();
    expect(existsSync(plain)).toBe(true);
  });
});

describe('compileCacheDir', () => {
  it('is off, configured, or a per-user folder in the temporary folder', () => {
    expect(compileCacheDir({ [COMPILE_CACHE_ENV]: 'off' })).toBeUndefined();
    expect(compileCacheDir({ [COMPILE_CACHE_ENV]: '0' })).toBeUndefined();
    expect(compileCacheDir({ [COMPILE_CACHE_ENV]: '/somewhere' })).toBe('/somewhere');
    expect(compileCacheDir({})).toMatch(/codex-flow-compile-cache-/);
  });
});
