/**
 * The symlink-swap race, made deterministic: a workspace whose checks always see the real folder
 * and whose uses always meet a link to an outside folder (the swap happens right after every
 * check, and is undone before the next one). That is the worst interleaving a background job of
 * the agent can hope for; the tools must refuse, not list, read or create anything outside.
 * Also: hard links to outside files, which no path check can see.
 */
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { editTool, lsTool, readTool, writeTool } from '../../src/runner/tools/files.js';
import { globTool, grepTool } from '../../src/runner/tools/search.js';
import type { ToolContext } from '../../src/runner/tools/types.js';
import { Workspace } from '../../src/runner/tools/workspace.js';
import { runnerOptions, useTempProject } from '../support/runner-fixtures.js';

const project = useTempProject('cf-swap-');
const outside = useTempProject('cf-swap-outside-');

function plant(folder: string, marker: string): void {
  mkdirSync(join(folder, 'sub'), { recursive: true });
  writeFileSync(join(folder, `${marker}-top.txt`), `${marker.toUpperCase()} TOP\n`);
  writeFileSync(join(folder, 'sub', `${marker}-file.txt`), `${marker.toUpperCase()} CONTENT\n`);
}

beforeEach(() => {
  for (const root of [project.root, outside.root])
    for (const name of readdirSync(root)) rmSync(join(root, name), { recursive: true, force: true });
  plant(join(project.root, 'dir'), 'inside');
  plant(outside.root, 'outside');
});

/** A workspace whose every check is followed by the swap `dir` → link to outside, undone before the next check. */
async function racingWorkspace(): Promise<Workspace> {
  const workspace = await Workspace.open(project.root);
  const dir = join(project.root, 'dir');
  const parked = join(project.root, '.parked');
  const check = workspace.resolve.bind(workspace);
  workspace.resolve = async (input) => {
    if (existsSync(parked)) {
      rmSync(dir);
      renameSync(parked, dir);
    }
    const resolved = await check(input);
    renameSync(dir, parked);
    symlinkSync(outside.root, dir);
    return resolved;
  };
  return workspace;
}

function contextFor(workspace: Workspace): ToolContext {
  return {
    workspace,
    signal: new AbortController().signal,
    options: runnerOptions().tools,
    limits: {},
    env: {},
    remainingMs: () => 10_000,
    todos: [],
  };
}

const leaks = (outcome: { ok: boolean }) => outcome.ok && /outside/i.test(JSON.stringify(outcome));

describe('a folder swapped for a link between the check and the use', () => {
  it('LS lists nothing outside (regression: LS read the swapped path)', async () => {
    const context = contextFor(await racingWorkspace());
    for (const path of ['dir', 'dir/sub']) {
      const outcome = await lsTool.run({ path }, context);
      expect(leaks(outcome), JSON.stringify(outcome)).toBe(false);
    }
  });

  it('Glob and Grep list nothing outside (regression: the walk read its start folder by path)', async () => {
    const context = contextFor(await racingWorkspace());
    for (const outcome of [
      await globTool.run({ pattern: '**/*', path: 'dir' }, context),
      await grepTool.run({ pattern: 'CONTENT|TOP', path: 'dir' }, context),
    ]) {
      expect(leaks(outcome), JSON.stringify(outcome)).toBe(false);
    }
  });

  it('Write creates no folder or file outside (regression: mkdir -p followed the swapped link)', async () => {
    const context = contextFor(await racingWorkspace());
    const outcome = await writeTool.run({ file_path: 'dir/sub/new-folder/new.txt', content: 'x' }, context);
    expect(outcome).toMatchObject({ ok: false, refused: expect.stringContaining('symbolic link') });
    expect(existsSync(join(outside.root, 'sub', 'new-folder'))).toBe(false);
  });

  it('Read and Edit read or change nothing outside', async () => {
    const context = contextFor(await racingWorkspace());
    expect(leaks(await readTool.run({ file_path: 'dir/sub/outside-file.txt' }, context))).toBe(false);
    await editTool.run({ file_path: 'dir/outside-top.txt', old_string: 'OUTSIDE', new_string: 'PWNED' }, context);
    expect(readFileSync(join(outside.root, 'outside-top.txt'), 'utf8')).toBe('OUTSIDE TOP\n');
  });
});

describe('hard links', () => {
  it('Read refuses a hard link to an outside file (regression: its text reached the model)', async () => {
    linkSync(join(outside.root, 'outside-top.txt'), join(project.root, 'hard.txt'));
    const context = contextFor(await Workspace.open(project.root));
    const outcome = await readTool.run({ file_path: 'hard.txt' }, context);
    expect(outcome).toMatchObject({ ok: false, refused: expect.stringContaining('hard-linked') });
  });

  it('Write and Edit refuse a hard link and leave the other name untouched', async () => {
    linkSync(join(outside.root, 'outside-top.txt'), join(project.root, 'hard.txt'));
    const context = contextFor(await Workspace.open(project.root));
    expect(await writeTool.run({ file_path: 'hard.txt', content: 'pwned' }, context)).toMatchObject({
      ok: false,
      refused: expect.stringContaining('hard-linked'),
    });
    expect(await editTool.run({ file_path: 'hard.txt', old_string: 'OUTSIDE', new_string: 'PWNED' }, context)).toMatchObject({ ok: false });
    expect(readFileSync(join(outside.root, 'outside-top.txt'), 'utf8')).toBe('OUTSIDE TOP\n');
  });

  it('a file with one name is read and written as before', async () => {
    const context = contextFor(await Workspace.open(project.root));
    expect(await writeTool.run({ file_path: 'dir/plain.txt', content: 'one\n' }, context)).toMatchObject({ ok: true });
    expect(await readTool.run({ file_path: 'dir/plain.txt' }, context)).toMatchObject({ ok: true, output: expect.stringContaining('one') });
  });
});
