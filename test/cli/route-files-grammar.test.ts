/**
 * The grammar of `route --files`: the task is the positional words, before `--files` or after
 * `--`; `--files` takes every word up to the next option or `--`. Regression: `route --files a.ts
 * "review it"` silently routed two paths and no task.
 */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';

const fixture = join(import.meta.dirname, '../fixtures/fleets/small');

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cf-route-files-'));
  cpSync(fixture, join(dir, 'codex/agents'), { recursive: true });
  return dir;
}

async function route(argv: string[], dir = project(), stdin = '') {
  const io = memoryIO(dir, { CI: 'true' }, stdin);
  const code = await main(['route', '--no-record', '--no-stale-check', ...argv], io);
  return { code, out: io.out(), err: io.err() };
}

describe('route --files grammar (regression: a task after --files was taken as a second path)', () => {
  it('a task after --files is a usage error that says where the task goes', async () => {
    const { code, out, err } = await route(['--files', 'src/a.ts', 'review it']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(
      'codex-flow: "review it" came after --files, which takes paths up to the next option: it is not a file here, and looks like the task',
    );
    expect(err).toContain(
      'hint: put the task first: codex-flow route "review it" --files src/a.ts (or end the paths with --: --files src/a.ts -- "review it")',
    );
  });

  it('says the same as JSON under --json', async () => {
    const { code, out } = await route(['--files', 'src/a.ts', 'review it', '--json']);
    expect(code).toBe(2);
    const parsed = JSON.parse(out);
    expect(parsed).toMatchObject({ ok: false, command: 'route', diagnostics: [{ code: 'CF9003' }] });
    expect(parsed.diagnostics[0].hint).toContain('codex-flow route "review it" --files src/a.ts');
  });

  it('takes the task after -- and the task before --files', async () => {
    for (const argv of [
      ['--files', 'src/a.ts', '--', 'review', 'it'],
      ['review it', '--files', 'src/a.ts'],
    ]) {
      const { code, out } = await route(['--json', ...argv]);
      expect(code, argv.join(' ')).toBe(0);
      expect(JSON.parse(out).request).toEqual({ task: 'review it', files: ['src/a.ts'] });
    }
  });

  it('a path with a space that exists is a path, and paths from stdin are never second-guessed', async () => {
    const dir = project();
    mkdirSync(join(dir, 'My Docs'));
    writeFileSync(join(dir, 'My Docs/notes.md'), '# notes\n');
    const named = await route(['--files', 'My Docs/notes.md', '--json'], dir);
    expect(named.code).toBe(0);
    expect(JSON.parse(named.out).request.files).toEqual(['My Docs/notes.md']);
    const piped = await route(['--files', '-', '--json'], dir, 'gone file.ts\nsrc/a.ts\n');
    expect(piped.code).toBe(0);
    expect(JSON.parse(piped.out).request.files).toEqual(['gone file.ts', 'src/a.ts']);
  });

  it('paths without spaces are taken as given, existing or not (a diff lists deleted files)', async () => {
    const { code, out } = await route(['--files', 'src/deleted.ts', 'infra/main.tf', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out).request).toEqual({ task: '', files: ['src/deleted.ts', 'infra/main.tf'] });
  });

  it('a task after --explain is a usage error too (agent ids have no spaces)', async () => {
    const { code, err } = await route(['--explain', 'review the login form']);
    expect(code).toBe(2);
    expect(err).toContain('codex-flow: "review the login form" came after --explain, which takes an agent id: it looks like the task');
    expect(err).toContain('hint: put the task first: codex-flow route "review the login form" --explain');
  });

  // Regression: `git diff --name-only | codex-flow route --files -` on an empty diff (the README's
  // PR pipeline) was a usage error (exit 2) telling the user to pass --files -, which they had.
  it('--files - with nothing on stdin and no task: nothing to route, exit 0, stdout empty', async () => {
    const text = await route(['--files', '-'], project(), '\n');
    expect(text.code).toBe(0);
    expect(text.out).toBe('');
    expect(text.err).toContain('warning CF9033: nothing to route: --files - read no path from standard input');
    const markdown = await route(['--files', '-', '--format', 'markdown'], project(), '');
    expect(markdown.code).toBe(0);
    expect(markdown.out).toBe('');
    const json = await route(['--files', '-', '--json'], project(), '');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({ ok: true, result: null, diagnostics: [{ code: 'CF9033' }] });
  });
});
