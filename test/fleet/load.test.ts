import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFleet, READABLE_SCHEMA_VERSION } from '../../src/fleet/load.js';
import { checkFreshness } from '../../src/fleet/freshness.js';
import { SCHEMA_VERSION } from '../../src/schema/definition.js';

const fixture = join(import.meta.dirname, '../fixtures/fleets/small');

function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cf-fleet-'));
  cpSync(fixture, dir, { recursive: true });
  return dir;
}
function edit(dir: string, file: string, change: (value: Record<string, unknown>) => void): void {
  const value = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
  change(value);
  writeFileSync(join(dir, file), JSON.stringify(value));
}

describe('loadFleet', () => {
  it('loads the index and triggers, and definitions lazily, frozen', () => {
    const { fleet, diagnostics } = loadFleet(fixture);
    expect(diagnostics).toEqual([]);
    expect(fleet!.index.agents).toHaveLength(6);
    const definition = fleet!.definition('graphql-architect')!;
    expect(definition.agent.name).toBe('GraphQL Architect');
    expect(Object.isFrozen(definition.triggers.keywords)).toBe(true);
    expect(fleet!.definition('graphql-architect')).toBe(definition);
    expect(fleet!.definition('nobody')).toBeUndefined();
  });
  it('reads the schema version the definitions are written in', () => expect(READABLE_SCHEMA_VERSION).toBe(SCHEMA_VERSION));
  it('refuses an unsupported format version with a clear message', () => {
    const dir = copy();
    edit(dir, 'index.json', (index) => {
      index.format_version = 99;
    });
    const { fleet, diagnostics } = loadFleet(dir);
    expect(fleet).toBeUndefined();
    expect(diagnostics[0]).toMatchObject({ code: 'CF5023', message: expect.stringContaining('version 99') });
  });
  it('refuses triggers from another compile', () => {
    const dir = copy();
    edit(dir, 'triggers.json', (triggers) => {
      triggers.hash = 'sha256:other';
    });
    expect(loadFleet(dir).diagnostics.map((d) => d.code)).toEqual(['CF5022']);
  });
  it('reports a missing fleet', () => {
    expect(loadFleet(join(tmpdir(), 'no-such-fleet')).diagnostics[0]!.code).toBe('CF5011');
  });
  it('fills generalists and agent info when a table lacks them', () => {
    const dir = copy();
    edit(dir, 'triggers.json', (triggers) => {
      delete triggers.generalists;
      delete triggers.agents;
    });
    expect(loadFleet(dir).fleet!.triggers.generalists).toEqual(['general-assistant']);
  });
});

describe('checkFreshness', () => {
  it('is quiet when every brief hashes as recorded, and names stale ones', () => {
    const dir = copy();
    const { fleet } = loadFleet(dir);
    expect(checkFreshness(fleet!.index, dir)).toEqual([]);
    writeFileSync(join(dir, 'briefs/terraform-engineer.md'), 'changed\n');
    const [warning] = checkFreshness(fleet!.index, dir);
    expect(warning).toMatchObject({ code: 'CF5024', notes: ['briefs/terraform-engineer.md'] });
  });
});

describe('checkFreshness with a hash cache', () => {
  it('rehashes a brief whose size or mtime changed, and only then', () => {
    const dir = copy();
    const cacheFile = join(dir, '.codex-flow/cache/brief-hashes.json');
    const { fleet } = loadFleet(dir);
    expect(checkFreshness(fleet!.index, dir, cacheFile)).toEqual([]);
    const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<string, [number, number, string]>;
    expect(Object.keys(cached)).toHaveLength(6);
    writeFileSync(join(dir, 'briefs/security-auditor.md'), 'a longer, edited brief\n');
    expect(checkFreshness(fleet!.index, dir, cacheFile)[0]).toMatchObject({ code: 'CF5024', notes: ['briefs/security-auditor.md'] });
  });
});

describe('checkFreshness cache writes', () => {
  it('leaves an unchanged cache alone and drops a deleted brief from it', () => {
    const dir = copy();
    const cacheFile = join(dir, '.codex-flow/cache/brief-hashes.json');
    const { fleet } = loadFleet(dir);
    checkFreshness(fleet!.index, dir, cacheFile);
    const before = statSync(cacheFile).mtimeMs;
    expect(checkFreshness(fleet!.index, dir, cacheFile)).toEqual([]);
    expect(statSync(cacheFile).mtimeMs).toBe(before);
    rmSync(join(dir, 'briefs/terraform-engineer.md'));
    expect(checkFreshness(fleet!.index, dir, cacheFile)[0]).toMatchObject({
      code: 'CF5024',
      notes: ['briefs/terraform-engineer.md (deleted)'],
    });
    expect(Object.keys(JSON.parse(readFileSync(cacheFile, 'utf8')) as object)).toHaveLength(5);
  });
});

describe('checkFreshness from another folder', () => {
  it('says once that the briefs are not here (CF5025) instead of calling every brief deleted, and writes no cache', () => {
    const dir = copy();
    const elsewhere = mkdtempSync(join(tmpdir(), 'cf-elsewhere-'));
    const cacheFile = join(elsewhere, '.codex-flow/cache/brief-hashes.json');
    const diagnostics = checkFreshness(loadFleet(dir).fleet!.index, elsewhere, cacheFile);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'CF5025', severity: 'warning' });
    expect(diagnostics[0]!.message).toContain('none of the 6 brief(s)');
    expect(() => statSync(cacheFile)).toThrow();
  });
});
