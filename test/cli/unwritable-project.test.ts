/**
 * A project the user cannot write (a checkout owned by someone else, a read-only mount): `route`
 * still answers and says its decision was not recorded (CF9032); a command that must write says
 * which path it cannot use (CF9030, exit 1). Regression: each ended as an internal error (exit 70)
 * with a stack trace, and `route --json` printed nothing.
 * Runs the real bin as another user when the tests run as root (root ignores permissions).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const bin = join(root, 'bin/codex-flow.js');
const asRoot = process.getuid?.() === 0;
// Under root the other user must traverse every folder above the project: /tmp itself, not the
// test run's private temp folder.
const base = mkdtempSync(join(asRoot ? '/tmp' : tmpdir(), 'cf-unwritable-'));
const project = join(base, 'project');
const scratch = join(base, 'scratch');
afterAll(() => rmSync(base, { recursive: true, force: true }));

mkdirSync(project);
cpSync(join(root, 'codex'), join(project, 'codex'), { recursive: true });
cpSync(join(root, '.claude/agents'), join(project, '.claude/agents'), { recursive: true });
mkdirSync(scratch, { mode: 0o777 });
chmodSync(scratch, 0o777);
// Readable and searchable by everyone, writable by nobody but its owner (root, or the test's user
// with write taken away below).
chmodSync(base, 0o755);
spawnSync('chmod', ['-R', asRoot ? 'go-w,a+rX' : 'a-w,a+rX', project]);

function cli(args: string[]) {
  const command = asRoot ? 'setpriv' : process.execPath;
  const prefix = asRoot ? ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath] : [];
  const result = spawnSync(command, [...prefix, bin, ...args], {
    cwd: project,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH, HOME: scratch, TMPDIR: scratch, CI: 'true', NO_COLOR: '1' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('a project the user cannot write', () => {
  it('route answers and warns that the decision was not recorded (CF9032)', () => {
    const out = cli(['route', 'the checkout page jumps around when the web fonts load', '--top', '3']);
    expect(out.stderr).not.toContain('internal error');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^\s*1\.\s+\S+/m);
    expect(out.stdout + out.stderr).toContain('CF9032');
    expect(out.stdout + out.stderr).toContain('.codex-flow');
    expect(out.stdout).not.toContain('codex-flow feedback route:');
  });

  it('route --json prints its one object, with the warning', () => {
    const out = cli(['route', 'the checkout page jumps around when the web fonts load', '--json']);
    expect(out.code, out.stderr).toBe(0);
    const body = JSON.parse(out.stdout) as { learning: { recorded: boolean }; diagnostics: Array<{ code: string }> };
    expect(body.learning.recorded).toBe(false);
    expect(body.diagnostics.map((d) => d.code)).toContain('CF9032');
  });

  it('convert names the path it cannot write (CF9030, exit 1), no stack trace', () => {
    const out = cli(['convert']);
    expect(out.code, out.stderr).toBe(1);
    expect(out.stderr).toMatch(/error CF9030: cannot \S.* .*(codex|\.codex-flow).*: permission denied \(EACCES\)/);
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });

  it('convert --json reports it in the JSON object', () => {
    const out = cli(['convert', '--json']);
    expect(out.code, out.stderr).toBe(1);
    const body = JSON.parse(out.stdout) as { ok: boolean; diagnostics: Array<{ code: string }> };
    expect(body.ok).toBe(false);
    expect(body.diagnostics.map((d) => d.code)).toContain('CF9030');
  });
});
