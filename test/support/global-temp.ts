/**
 * Vitest global setup: every test run gets one scratch folder as its TMPDIR, removed when the run
 * ends, so the temp projects tests make with `mkdtempSync(join(tmpdir(), …))` never pile up in
 * /tmp (they did: hundreds per day of test runs). Worker processes inherit the variable.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'codex-flow-test-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
