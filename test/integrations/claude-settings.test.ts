/**
 * `codex-flow init --claude-hooks` and the merge under it: other settings and hooks are kept, the
 * hook is added once however often it runs, a file that is not JSON or has another shape is left
 * byte for byte with a located diagnostic, and the file is written whole (no temp file left).
 */
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { withUserPromptHook } from '../../src/integrations/claude-settings.js';

const COMMAND = 'codex-flow hook user-prompt';
const FILE = '.claude/settings.json';

describe('withUserPromptHook', () => {
  it('a missing or empty file gets the hook alone', () => {
    for (const existing of [undefined, '', '  \n']) {
      const merged = withUserPromptHook(existing, COMMAND, FILE);
      expect(merged.ok && JSON.parse(merged.content)).toEqual({
        hooks: { UserPromptSubmit: [{ hooks: [{ type: 'command', command: COMMAND, timeout: 10 }] }] },
      });
    }
  });

  it('keeps every other setting, event and UserPromptSubmit group, in order', () => {
    const existing = JSON.stringify({
      model: 'opus',
      permissions: { allow: ['Bash(npm test)'] },
      hooks: {
        PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'check.sh' }] }],
        UserPromptSubmit: [{ hooks: [{ type: 'command', command: 'branch.sh' }] }],
      },
    });
    const merged = withUserPromptHook(existing, COMMAND, FILE);
    expect(merged.ok).toBe(true);
    const settings = JSON.parse(merged.ok ? merged.content : '');
    expect(Object.keys(settings)).toEqual(['model', 'permissions', 'hooks']);
    expect(settings.permissions).toEqual({ allow: ['Bash(npm test)'] });
    expect(settings.hooks.PreToolUse).toEqual([{ matcher: 'Bash', hooks: [{ type: 'command', command: 'check.sh' }] }]);
    expect(settings.hooks.UserPromptSubmit.map((group: { hooks: Array<{ command: string }> }) => group.hooks[0]!.command)).toEqual([
      'branch.sh',
      COMMAND,
    ]);
  });

  it('adds nothing when a codex-flow user-prompt hook is there, however it is spelled', () => {
    for (const command of [
      COMMAND,
      'npx codex-flow hook user-prompt',
      '"$CLAUDE_PROJECT_DIR"/node_modules/.bin/codex-flow hook user-prompt',
    ]) {
      const existing = JSON.stringify({ hooks: { UserPromptSubmit: [{ hooks: [{ type: 'command', command }] }] } });
      expect(withUserPromptHook(existing, COMMAND, FILE)).toEqual({ ok: true, content: existing, added: false });
    }
  });

  it('not JSON: CF9540 at the line and column of the fault', () => {
    const merged = withUserPromptHook('{\n  "model": "opus",\n  hooks: {}\n}\n', COMMAND, FILE);
    expect(merged.ok).toBe(false);
    if (merged.ok) return;
    expect(merged.diagnostic).toMatchObject({ code: 'CF9540', location: { file: FILE, line: 3, column: 3 }, sourceLine: '  hooks: {}' });
  });

  it('another shape: CF9541', () => {
    for (const existing of ['[]', '{"hooks": []}', '{"hooks": {"UserPromptSubmit": {}}}']) {
      const merged = withUserPromptHook(existing, COMMAND, FILE);
      expect(merged.ok ? 'merged' : merged.diagnostic.code, existing).toBe('CF9541');
    }
  });
});

describe('codex-flow init --claude-hooks', () => {
  let project: string;
  beforeEach(() => {
    project = mkdtempSync(join(tmpdir(), 'cf-claude-hooks-'));
  });
  afterEach(() => rmSync(project, { recursive: true, force: true }));
  const run = async (argv: string[]) => {
    const io = memoryIO(project, {});
    return { code: await main(argv, io), out: io.out(), err: io.err() };
  };
  const settings = () => readFileSync(join(project, FILE), 'utf8');

  it('creates the file, then adds nothing the second time', async () => {
    const first = await run(['init', '--claude-hooks']);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain(`added to ${FILE}`);
    const written = settings();
    expect(JSON.parse(written).hooks.UserPromptSubmit).toHaveLength(1);
    const second = await run(['init', '--claude-hooks', '--json']);
    expect(JSON.parse(second.out)).toMatchObject({ ok: true, added: false });
    expect(settings()).toBe(written);
    expect(readdirSync(join(project, '.claude'))).toEqual(['settings.json']);
  });

  it("uses the project's installed bin when there is one", async () => {
    mkdirSync(join(project, 'node_modules/.bin'), { recursive: true });
    writeFileSync(join(project, 'node_modules/.bin/codex-flow'), '');
    await run(['init', '--claude-hooks']);
    expect(JSON.parse(settings()).hooks.UserPromptSubmit[0].hooks[0].command).toBe(
      '"$CLAUDE_PROJECT_DIR"/node_modules/.bin/codex-flow hook user-prompt',
    );
  });

  it('a symlinked 0600 settings file: the real file gets the hook and keeps its mode, the link stays (a 0644 copy replaced it)', async () => {
    const dotfiles = join(project, 'dotfiles');
    mkdirSync(dotfiles);
    mkdirSync(join(project, '.claude'));
    const real = join(dotfiles, 'claude-settings.json');
    writeFileSync(real, '{ "env": { "ANTHROPIC_API_KEY": "sk-ant-secret" } }\n', { mode: 0o600 });
    chmodSync(real, 0o600);
    symlinkSync(real, join(project, FILE));
    const added = await run(['init', '--claude-hooks']);
    expect(added.code, added.err).toBe(0);
    expect(lstatSync(join(project, FILE)).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(real, 'utf8'))).toMatchObject({ env: { ANTHROPIC_API_KEY: 'sk-ant-secret' }, hooks: {} });
    expect(statSync(real).mode & 0o777).toBe(0o600);
    expect(readdirSync(dotfiles)).toEqual(['claude-settings.json']);
  });

  it('a file that is not JSON is left untouched: exit 1, CF9540 with file:line:col', async () => {
    mkdirSync(join(project, '.claude'));
    const broken = '{\n  "model": "opus",,\n}\n';
    writeFileSync(join(project, FILE), broken);
    const refused = await run(['init', '--claude-hooks']);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/\.claude\/settings\.json:2:19: error CF9540/);
    expect(settings()).toBe(broken);
  });
});
