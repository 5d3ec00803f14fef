/**
 * The checked config's cache (src/config/config-cache.ts): a hit only for the same bytes, file,
 * project and build; kept in this user's private folder, never in the project (a repository could
 * plant an entry there); nothing read from a folder others can write or through a link; nothing
 * kept that JSON would change; anything unreadable is a miss.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configCache } from '../../src/config/config-cache.js';
import { checkerVersions, CONFIG_CHECKERS } from '../../src/config/checker-versions.js';

const TEXT = 'compiler:\n  out: codex/agents\n';
const LOADED = {
  config: { compiler: { out: 'codex/agents' } },
  diagnostics: [{ code: 'CF9002', severity: 'warning', message: 'unknown section `x`' }],
} as never;
const BUILD = { name: 'codex-flow-route.cjs', hash: 'a'.repeat(64) };

let root: string;
let cacheBase: string;
const options = (build = BUILD) => ({ build, env: { CODEX_FLOW_COMPILE_CACHE: cacheBase } });
const entries = () => readdirSync(join(cacheBase, 'config'));
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cf-config-cache-'));
  cacheBase = join(mkdtempSync(join(tmpdir(), 'cf-config-cache-user-')), 'cache');
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(join(cacheBase, '..'), { recursive: true, force: true });
});

describe('config cache', () => {
  it('gives back what was written for the same bytes, file, project and build, and writes nothing in the project', () => {
    configCache(root, 'codex-flow.config.yaml', TEXT, options())!.write(LOADED);
    expect(configCache(root, 'codex-flow.config.yaml', TEXT, options())!.read()).toEqual(LOADED);
    expect(readdirSync(root)).toEqual([]);
  });

  it('misses for other bytes, another file name, another project or another build', () => {
    configCache(root, 'codex-flow.config.yaml', TEXT, options())!.write(LOADED);
    const other = mkdtempSync(join(tmpdir(), 'cf-config-cache-other-'));
    try {
      expect(configCache(root, 'codex-flow.config.yaml', `${TEXT}# edited\n`, options())!.read()).toBeUndefined();
      expect(configCache(root, 'other.yaml', TEXT, options())!.read()).toBeUndefined();
      expect(configCache(other, 'codex-flow.config.yaml', TEXT, options())!.read()).toBeUndefined();
      expect(configCache(root, 'codex-flow.config.yaml', TEXT, options({ ...BUILD, hash: 'b'.repeat(64) }))!.read()).toBeUndefined();
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('keeps one entry per bundle, so route and the other commands do not replace each other', () => {
    configCache(root, 'c.yaml', TEXT, options())!.write(LOADED);
    configCache(root, 'c.yaml', TEXT, options({ name: 'codex-flow.cjs', hash: 'c'.repeat(64) }))!.write(LOADED);
    expect(configCache(root, 'c.yaml', TEXT, options())!.read()).toEqual(LOADED);
    expect(entries()).toHaveLength(2);
  });

  it('is off outside a bundled build, with CODEX_FLOW_CONFIG_CACHE=off and with CODEX_FLOW_COMPILE_CACHE=off', () => {
    expect(configCache(root, 'c.yaml', TEXT, { build: undefined, env: { CODEX_FLOW_COMPILE_CACHE: cacheBase } })).toBeUndefined();
    expect(
      configCache(root, 'c.yaml', TEXT, { build: BUILD, env: { CODEX_FLOW_COMPILE_CACHE: cacheBase, CODEX_FLOW_CONFIG_CACHE: 'off' } }),
    ).toBeUndefined();
    expect(configCache(root, 'c.yaml', TEXT, { build: BUILD, env: { CODEX_FLOW_COMPILE_CACHE: 'off' } })).toBeUndefined();
  });

  it('keeps nothing JSON would change (YAML .inf)', () => {
    configCache(root, 'c.yaml', TEXT, options())!.write({ config: { router: { limit: Infinity } }, diagnostics: [] } as never);
    expect(existsSync(join(cacheBase, 'config')) ? entries() : []).toEqual([]);
  });

  it('reads nothing from a folder others can write to, and nothing through a link', () => {
    configCache(root, 'c.yaml', TEXT, options())!.write(LOADED);
    chmodSync(join(cacheBase, 'config'), 0o777);
    expect(configCache(root, 'c.yaml', TEXT, options())!.read()).toBeUndefined();
    chmodSync(join(cacheBase, 'config'), 0o700);
    const [entry] = entries();
    const elsewhere = join(cacheBase, '..', 'planted.json');
    writeFileSync(elsewhere, '{}');
    rmSync(join(cacheBase, 'config', entry!));
    symlinkSync(elsewhere, join(cacheBase, 'config', entry!));
    expect(configCache(root, 'c.yaml', TEXT, options())!.read()).toBeUndefined();
  });

  it('reads a damaged entry as a miss', () => {
    configCache(root, 'c.yaml', TEXT, options())!.write(LOADED);
    const [entry] = entries();
    writeFileSync(join(cacheBase, 'config', entry!), '{"format":2,"key":');
    expect(configCache(root, 'c.yaml', TEXT, options())!.read()).toBeUndefined();
  });

  it('makes its folder private', () => {
    mkdirSync(cacheBase, { recursive: true, mode: 0o700 });
    configCache(root, 'c.yaml', TEXT, options())!.write(LOADED);
    expect(entries()).toHaveLength(1);
  });

  it('the config cache key lacks the versions of the libraries that check the config (regression: a new yaml, ajv or typebox must miss)', () => {
    // An install the way npm lays one out: the bundle in dist/, its checkers in node_modules beside it.
    const install = join(root, 'install');
    const manifest = (name: string, version: string) => {
      mkdirSync(join(install, 'node_modules', name), { recursive: true });
      writeFileSync(join(install, 'node_modules', name, 'package.json'), JSON.stringify({ name, version }));
    };
    for (const name of CONFIG_CHECKERS) manifest(name, '1.0.0');
    const from = join(install, 'node_modules/codex-flow/dist/codex-flow-route.cjs');
    const at = { ...options(), resolveFrom: from };
    configCache(root, 'c.yaml', TEXT, at)!.write(LOADED);
    expect(configCache(root, 'c.yaml', TEXT, at)!.read()).toEqual(LOADED);
    for (const name of CONFIG_CHECKERS) {
      manifest(name, '1.0.1');
      expect(configCache(root, 'c.yaml', TEXT, at)!.read(), name).toBeUndefined();
      manifest(name, '1.0.0');
      expect(configCache(root, 'c.yaml', TEXT, at)!.read(), name).toEqual(LOADED);
    }
    // A checker that cannot be found: no key can say what checked the entry, so nothing is cached.
    rmSync(join(install, 'node_modules/ajv'), { recursive: true });
    expect(configCache(root, 'c.yaml', TEXT, at)).toBeUndefined();
  });

  it('names the installed checkers as Node resolves them from the running code', () => {
    const installed = CONFIG_CHECKERS.map((name) => {
      const folder = join(import.meta.dirname, '../../node_modules', name);
      return `${name}@${(JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { version: string }).version}`;
    });
    expect(checkerVersions(import.meta.url)).toBe(installed.join(' '));
  });
});
