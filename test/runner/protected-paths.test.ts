/**
 * Control files are refused to every file tool (regression: an agent with Write alone could set
 * `core.fsmonitor` in `.git/config`, widen `runner.workspace` in the config, overwrite the fleet
 * and forge `.runs` records). Spelling tricks — `./.git/../.git/config`, `.GIT`, trailing slashes,
 * links and hard links into a protected folder — must not get around it; reading stays allowed.
 */
import { existsSync, linkSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { editTool, multiEditTool, readTool, writeTool } from '../../src/runner/tools/files.js';
import { ProtectedPaths, protectedEntries } from '../../src/runner/tools/protected.js';
import type { ToolContext } from '../../src/runner/tools/types.js';
import { Workspace } from '../../src/runner/tools/workspace.js';
import { resolveRunnerOptions } from '../../src/runner/options.js';
import { runnerOptions, useTempProject } from '../support/runner-fixtures.js';

const project = useTempProject('cf-protected-');
let context: ToolContext;

const ORIGINAL = 'original\n';
const CONTROL_FILES = [
  '.git/config',
  '.git/hooks/pre-commit',
  '.claude/settings.json',
  'codex-flow.config.yaml',
  '.codex-flow/learning/outcomes.jsonl',
  '.runs/r1/events.jsonl',
  'fleet/out/index.json',
  'secrets/prod.env',
  'deploy/key.pem',
  'pkg/.git/config',
];

beforeAll(async () => {
  for (const file of CONTROL_FILES) {
    mkdirSync(join(project.root, file, '..'), { recursive: true });
    writeFileSync(join(project.root, file), ORIGINAL);
  }
  mkdirSync(join(project.root, 'src'));
  writeFileSync(join(project.root, 'src', 'app.ts'), ORIGINAL);
  symlinkSync(join(project.root, '.git', 'config'), join(project.root, 'innocent.txt'));
  symlinkSync(join(project.root, '.git'), join(project.root, 'g'));
  linkSync(join(project.root, '.git', 'config'), join(project.root, 'hard-config'));
  const options = runnerOptions({ tools: { protected: ['secrets/', '*.pem', 'deploy/**/*.pem'] } });
  const protection = await ProtectedPaths.create(
    project.root,
    protectedEntries({ runsDir: options.runsDir, fleetDir: 'fleet/out', memoryDir: options.memory.dir }, options.tools.protected),
  );
  context = {
    workspace: await Workspace.open(project.root, { protection }),
    signal: new AbortController().signal,
    options: options.tools,
    limits: {},
    env: {},
    remainingMs: () => 10_000,
    todos: [],
  };
});

describe('protected control files', () => {
  it.each([
    ...CONTROL_FILES,
    './.git/../.git/config',
    '.GIT/config',
    '.Git/Config',
    'src/../.git/config',
    '.git/new-hook',
    '.git/objects/new/x',
    '.claude/agents/new.md',
    '.CLAUDE/settings.local.json',
    '.runs/forged/result.json',
    'codex-flow.config.yml',
    'CODEX-FLOW.CONFIG.YAML',
    'innocent.txt',
    'g/config',
    'g/hooks/post-checkout',
    'fleet/out/new.codex.yaml',
    'secrets/new.txt',
    'other/x.pem',
    'new/.git/config',
  ])('Write %s is refused as policy and changes nothing', async (file_path) => {
    const outcome = await writeTool.run({ file_path, content: 'pwned' }, context);
    expect(outcome).toMatchObject({ ok: false, policy: true, refused: expect.stringContaining('protected control file') });
  });

  it('Edit and MultiEdit are refused too; the files are unchanged and no folder was created', async () => {
    for (const file of CONTROL_FILES) {
      expect(await editTool.run({ file_path: file, old_string: 'original', new_string: 'pwned' }, context)).toMatchObject({
        ok: false,
        policy: true,
      });
      expect(await multiEditTool.run({ file_path: file, edits: [{ old_string: 'original', new_string: 'pwned' }] }, context)).toMatchObject(
        { ok: false, policy: true },
      );
    }
    for (const file of CONTROL_FILES) expect(readFileSync(join(project.root, file), 'utf8')).toBe(ORIGINAL);
    for (const created of ['.git/objects/new', '.git/new-hook', 'new/.git', '.runs/forged', '.claude/agents'])
      expect(existsSync(join(project.root, created))).toBe(false);
  });

  it('a hard link to a control file cannot be written through', async () => {
    expect(await writeTool.run({ file_path: 'hard-config', content: 'pwned' }, context)).toMatchObject({
      ok: false,
      refused: expect.stringContaining('hard-linked'),
    });
    expect(readFileSync(join(project.root, '.git', 'config'), 'utf8')).toBe(ORIGINAL);
  });

  it('reading a control file is allowed, and ordinary files stay writable', async () => {
    expect(await readTool.run({ file_path: '.claude/settings.json' }, context)).toMatchObject({
      ok: true,
      output: expect.stringContaining('original'),
    });
    expect(await readTool.run({ file_path: '.git/hooks/pre-commit' }, context)).toMatchObject({ ok: true });
    expect(await writeTool.run({ file_path: 'src/app.ts', content: 'changed\n' }, context)).toMatchObject({ ok: true });
    expect(await writeTool.run({ file_path: 'src/gitignore-notes/.gitkeep', content: '' }, context)).toMatchObject({ ok: true });
  });

  it('runner.tools.protected: a bad entry is a CF8010 warning, the good ones are kept', () => {
    const { options, diagnostics } = resolveRunnerOptions({ tools: { protected: ['ok/', 7, ''] } });
    expect(options.tools.protected).toEqual(['ok/']);
    expect(diagnostics.map((d) => d.code)).toEqual(['CF8010', 'CF8010']);
  });
});
