/**
 * The checked config's cache (src/config/config-cache.ts): a hit only for the same bytes, file and
 * build; nothing kept that JSON would change; nothing written through a link or into a folder that
 * keeps no project state; anything unreadable is a miss.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configCache, CONFIG_CACHE_FILE } from '../../src/config/config-cache.js';
import { PROJECT_CACHE_DIR } from '../../src/util/paths.js';

const TEXT = 'compiler:\n  out: codex/agents\n';
const LOADED = {
  config: { compiler: { out: 'codex/agents' } },
  diagnostics: [{ code: 'CF9002', severity: 'warning', message: 'unknown section `x`' }],
} as never;

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cf-config-cache-'));
  mkdirSync(join(root, '.codex-flow'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('config cache', () => {
  it('gives back what was written for the same bytes, file and build', () => {
    configCache(root, 'codex-flow.config.yaml', TEXT, 'build-1')!.write(LOADED);
    expect(configCache(root, 'codex-flow.config.yaml', TEXT, 'build-1')!.read()).toEqual(LOADED);
  });

  it('misses for other bytes, another file name or another build', () => {
    configCache(root, 'codex-flow.config.yaml', TEXT, 'build-1')!.write(LOADED);
    expect(configCache(root, 'codex-flow.config.yaml', `${TEXT}# edited\n`, 'build-1')!.read()).toBeUndefined();
    expect(configCache(root, 'other.yaml', TEXT, 'build-1')!.read()).toBeUndefined();
    expect(configCache(root, 'codex-flow.config.yaml', TEXT, 'build-2')!.read()).toBeUndefined();
  });

  it('is off outside a bundled build and with CODEX_FLOW_CONFIG_CACHE=off', () => {
    expect(configCache(root, 'codex-flow.config.yaml', TEXT, undefined)).toBeUndefined();
    process.env.CODEX_FLOW_CONFIG_CACHE = 'off';
    try {
      expect(configCache(root, 'codex-flow.config.yaml', TEXT, 'build-1')).toBeUndefined();
    } finally {
      delete process.env.CODEX_FLOW_CONFIG_CACHE;
    }
  });

  it('keeps nothing JSON would change (YAML .inf)', () => {
    configCache(root, 'c.yaml', TEXT, 'b')!.write({ config: { router: { limit: Infinity } }, diagnostics: [] } as never);
    expect(existsSync(join(root, PROJECT_CACHE_DIR, CONFIG_CACHE_FILE))).toBe(false);
  });

  it('leaves no folder behind in a folder that keeps no project state', () => {
    rmSync(join(root, '.codex-flow'), { recursive: true });
    configCache(root, 'c.yaml', TEXT, 'b')!.write(LOADED);
    expect(existsSync(join(root, '.codex-flow'))).toBe(false);
  });

  it('never writes through a link, and reads a linked entry as a miss', () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'cf-config-cache-elsewhere-'));
    try {
      symlinkSync(elsewhere, join(root, PROJECT_CACHE_DIR));
      configCache(root, 'c.yaml', TEXT, 'b')!.write(LOADED);
      expect(existsSync(join(elsewhere, CONFIG_CACHE_FILE))).toBe(false);
      rmSync(join(root, PROJECT_CACHE_DIR));
      mkdirSync(join(root, PROJECT_CACHE_DIR));
      configCache(root, 'c.yaml', TEXT, 'b')!.write(LOADED);
      const entry = readFileSync(join(root, PROJECT_CACHE_DIR, CONFIG_CACHE_FILE));
      writeFileSync(join(elsewhere, 'entry.json'), entry);
      rmSync(join(root, PROJECT_CACHE_DIR, CONFIG_CACHE_FILE));
      symlinkSync(join(elsewhere, 'entry.json'), join(root, PROJECT_CACHE_DIR, CONFIG_CACHE_FILE));
      expect(configCache(root, 'c.yaml', TEXT, 'b')!.read()).toBeUndefined();
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('reads a damaged entry as a miss', () => {
    mkdirSync(join(root, PROJECT_CACHE_DIR));
    writeFileSync(join(root, PROJECT_CACHE_DIR, CONFIG_CACHE_FILE), '{"format":1,"key":');
    expect(configCache(root, 'c.yaml', TEXT, 'b')!.read()).toBeUndefined();
  });
});
