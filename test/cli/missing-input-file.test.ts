/**
 * An input file named on the command line that cannot be read: a diagnostic with a code, the
 * file and the reason. Regression: `eval nope.jsonl`, `run --tasks nope.jsonl` and
 * `swarm --plan missing.yaml` said only "cannot read …", without a code or why.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';

const project = mkdtempSync(join(tmpdir(), 'cf-missing-input-'));
cpSync(join(import.meta.dirname, '../../codex'), join(project, 'codex'), { recursive: true });
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('an input file that cannot be read', () => {
  it.each([
    [['eval', 'nope.jsonl'], 'the labels file nope.jsonl'],
    [['run', '--tasks', 'nope.jsonl', '--dry-run'], 'the tasks file nope.jsonl'],
    [['swarm', '--plan', 'missing.yaml', '--dry-run'], 'the plan file missing.yaml'],
  ])('%j names the file, the reason and a code', async (argv, what) => {
    const io = memoryIO(project, { CI: 'true' });
    expect(await main(argv, io)).toBe(2);
    expect(io.err()).toContain(`error CF9031: cannot read ${what}: no such file or folder (ENOENT)`);
    expect(io.err()).toContain('hint: check the path');
  });

  it('a folder in its place says so', async () => {
    const io = memoryIO(project, { CI: 'true' });
    expect(await main(['eval', 'codex'], io)).toBe(2);
    expect(io.err()).toContain('cannot read the labels file codex: it is a folder, not a file (EISDIR)');
  });

  it('--json carries CF9031 in the one object', async () => {
    const io = memoryIO(project, { CI: 'true' });
    expect(await main(['eval', 'nope.jsonl', '--json'], io)).toBe(2);
    const body = JSON.parse(io.out()) as { diagnostics: Array<{ code: string }> };
    expect(body.diagnostics.map((d) => d.code)).toContain('CF9031');
  });
});
