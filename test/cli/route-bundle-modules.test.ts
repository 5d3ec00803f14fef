/**
 * What loading the route bundle costs in Node's own modules: commander requires `child_process`
 * (and with it `net`, `dgram` and the stream machinery) for executable subcommands codex-flow does
 * not have; scripts/bundle-cli.ts hands commander a lazy stand-in, so neither bundle loads it at
 * start, and the stand-in still reaches the real module when asked.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleCli } from '../../scripts/bundle-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cf-route-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Node's module names a fresh process loads while requiring `bundle`. */
function modulesLoadedBy(bundle: string): string[] {
  const probe = join(dir, 'probe.cjs');
  writeFileSync(
    probe,
    `const before = new Set(process.moduleLoadList);
require(${JSON.stringify(bundle)});
const loaded = JSON.stringify(process.moduleLoadList.filter((name) => !before.has(name)));
process.stdout.write(loaded);`,
  );
  const result = spawnSync(process.execPath, [probe], { encoding: 'utf8', timeout: 20_000 });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as string[];
}

describe('route bundle start-up', () => {
  it('neither bundle loads child_process, net or dgram when it loads (commander gets a lazy stand-in)', async () => {
    const full = join(dir, 'codex-flow.cjs');
    const route = join(dir, 'codex-flow-route.cjs');
    await bundleCli(full, route);
    for (const bundle of [route, full]) {
      const loaded = modulesLoadedBy(bundle);
      expect(
        loaded.filter((name) => /^NativeModule (child_process|net|dgram)$/.test(name)),
        bundle,
      ).toEqual([]);
    }
  }, 60_000);
});
