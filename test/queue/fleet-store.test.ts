/**
 * queue.fleets with real fleet hashes (`sha256:<hex>`): a run publishes its fleet under the hex
 * digits, a job naming no hash never names a folder, and a failed publish is tried again by the
 * next run instead of failing every later task. No Redis needed.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fleetPublisher, publishFleet, storedFleetDir } from '../../src/queue/fleet-store.js';
import { hashBytes } from '../../src/util/hash.js';

const HASH = hashBytes('a fleet');
const HEX = HASH.slice('sha256:'.length);

function fleet(root: string): string {
  const dir = join(root, 'codex', 'agents');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.json'), '{"fleet":1}\n');
  return dir;
}

describe('the shared fleet store', () => {
  it('publishes a sha256: fleet hash under its hex digits (every real hash was refused)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cf-fleets-'));
    await publishFleet(fleet(root), join(root, 'fleets'), HASH);
    expect(readFileSync(join(root, 'fleets', HEX, 'index.json'), 'utf8')).toBe('{"fleet":1}\n');
    expect(storedFleetDir(join(root, 'fleets'), HASH)).toBe(join(root, 'fleets', HEX));
  });

  it("names no folder for a job's hash that is not a fleet hash", () => {
    for (const bad of ['../etc', 'sha256:../x', `sha256:${HEX.toUpperCase()}`, HEX.slice(1), ''])
      expect(storedFleetDir('/store', bad)).toBeUndefined();
  });

  it('tries a failed publish again on the next run instead of keeping the failure', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cf-fleets-'));
    const fleetDir = join(root, 'codex', 'agents');
    const publish = fleetPublisher(fleetDir, join(root, 'fleets'), HASH);
    await expect(publish()).rejects.toThrow();
    fleet(root);
    await expect(publish()).resolves.toBeUndefined();
    expect(existsSync(join(root, 'fleets', HEX, 'index.json'))).toBe(true);
  });
});
