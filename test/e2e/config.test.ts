/**
 * A new user's config mistakes against the packed bin: a file with mistakes in three sections
 * (`learning:`, `router:`, `runner:`) reports each at its file:line:col with a hint in one run and
 * exits 1; fixed, the same project routes. Regression: the `learning:` mistake was a usage error
 * (exit 2) with no position, and the misspelled `router:` key passed silently.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { userShell } from './support/user-shell.js';

const shell = userShell(inject('packedInstall'), 'config');
const config = join(shell.project, 'codex-flow.config.yaml');

describe('config mistakes through the packed bin', () => {
  it('reports the mistakes of three sections in one run (exit 1), then routes once they are fixed', async () => {
    expect((await shell.cli(['init'])).code).toBe(0);
    expect((await shell.cli(['convert'])).code).toBe(0);
    const starter = readFileSync(config, 'utf8');
    writeFileSync(config, `learning:\n  mdoe: shadow\nrouter:\n  topp: 3\nrunner:\n  workspce: .\n`);
    const bad = await shell.cli(['route', 'review this change before merge', '--no-record']);
    expect(bad.code, bad.transcript).toBe(1);
    expect(bad.stderr).toContain('codex-flow.config.yaml:2:3: error CF9001: unknown key `learning.mdoe`');
    expect(bad.stderr).toContain('hint: did you mean `learning.mode`?');
    expect(bad.stderr).toContain('codex-flow.config.yaml:4:3: error CF9001: unknown key `router.topp`');
    expect(bad.stderr).toContain('hint: did you mean `router.top`?');
    expect(bad.stderr).toContain('codex-flow.config.yaml:6:3: warning CF8010: unknown key `runner.workspce`; ignored');
    const json = await shell.cli(['route', 'review this change before merge', '--no-record', '--json']);
    expect(json.code).toBe(1);
    const codes = (JSON.parse(json.stdout) as { diagnostics: Array<{ code: string; location?: { line: number } }> }).diagnostics
      .filter((entry) => entry.location)
      .map((entry) => `${entry.code}@${entry.location!.line}`);
    expect(codes).toEqual(['CF9001@2', 'CF9001@4', 'CF8010@6']);
    writeFileSync(config, `${starter}\nlearning:\n  mode: shadow\nrouter:\n  top: 3\nrunner:\n  workspace: .\n`);
    const good = await shell.cli(['route', 'review this change before merge', '--no-record']);
    expect(good.code, good.transcript).toBe(0);
    expect(good.stderr).not.toContain('codex-flow.config.yaml:');
  });
});
