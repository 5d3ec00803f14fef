/**
 * The stale check's signature (freshness.ts): after a fresh verdict, a run whose briefs all have
 * the (size, mtime) recorded for that fleet hash answers at once. What must never happen: an
 * edited brief, or a recompiled fleet, answered from an old signature.
 */
import { cpSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFleet } from '../../src/fleet/load.js';
import { checkFreshness } from '../../src/fleet/freshness.js';

const fixture = join(import.meta.dirname, '../fixtures/fleets/small');

function project(): { dir: string; cacheFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cf-signature-'));
  cpSync(fixture, dir, { recursive: true });
  return { dir, cacheFile: join(dir, '.codex-flow/cache/brief-hashes.json') };
}

describe('checkFreshness signature', () => {
  it('writes a signature after a fresh verdict and answers from it while nothing changed', () => {
    const { dir, cacheFile } = project();
    const { index } = loadFleet(dir).fleet!;
    expect(checkFreshness(index, dir, cacheFile)).toEqual([]);
    expect(statSync(`${cacheFile}.sig`).size).toBeGreaterThan(0);
    // The signature alone answers: the hash cache is not even read.
    writeFileSync(cacheFile, 'not json');
    expect(checkFreshness(index, dir, cacheFile)).toEqual([]);
  });

  it('still finds a brief edited to the same size after the signature was written', () => {
    const { dir, cacheFile } = project();
    const { index } = loadFleet(dir).fleet!;
    expect(checkFreshness(index, dir, cacheFile)).toEqual([]);
    const brief = join(dir, 'briefs/security-auditor.md');
    const text = readFileSync(brief, 'utf8');
    const edited = text.replace(/[a-z]/, (letter) => (letter === 'x' ? 'y' : 'x'));
    expect(edited.length).toBe(text.length);
    writeFileSync(brief, edited);
    const later = new Date(statSync(brief).mtimeMs + 5_000);
    utimesSync(brief, later, later);
    expect(checkFreshness(index, dir, cacheFile)[0]).toMatchObject({ code: 'CF5024', notes: ['briefs/security-auditor.md'] });
  });

  it('does not answer a recompiled fleet (another hash) from the signature of the previous one', () => {
    const { dir, cacheFile } = project();
    const { index } = loadFleet(dir).fleet!;
    expect(checkFreshness(index, dir, cacheFile)).toEqual([]);
    // Same briefs on disk, untouched; the fleet now claims another brief hash for one of them.
    const recompiled = {
      ...index,
      hash: 'sha256:another-compile',
      agents: index.agents.map((entry, i) => (i === 0 ? { ...entry, hash: 'sha256:0000' } : entry)),
    };
    expect(checkFreshness(recompiled, dir, cacheFile)[0]).toMatchObject({ code: 'CF5024', notes: [recompiled.agents[0]!.source] });
  });

  it('writes no signature for a stale fleet, so the next run checks in full', () => {
    const { dir, cacheFile } = project();
    const { index } = loadFleet(dir).fleet!;
    writeFileSync(join(dir, 'briefs/terraform-engineer.md'), 'changed\n');
    expect(checkFreshness(index, dir, cacheFile)[0]).toMatchObject({ code: 'CF5024' });
    expect(() => statSync(`${cacheFile}.sig`)).toThrow();
    expect(checkFreshness(index, dir, cacheFile)[0]).toMatchObject({ code: 'CF5024' });
  });
});
