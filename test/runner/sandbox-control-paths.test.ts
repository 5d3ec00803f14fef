/**
 * Control paths under the command sandbox: the holes a reviewer found after the sandbox landed.
 * A command could make the runner delete a folder outside the workspace (the removal of a control
 * path it created followed a link), rename a writable parent of a nested read-only control path
 * and write a forged one, replace a symlinked control path, and leak a cgroup and a descriptor per
 * call with a NUL byte. Each test drives the shell layer as a command would, then looks at the disk.
 */
import {
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkControlPaths, planControlPaths } from '../../src/runner/control-mounts.js';
import { runIsolation } from '../../src/runner/isolation.js';
import { pidsCgroupRoot } from '../../src/runner/pids-cgroup.js';
import { runShell } from '../../src/runner/process.js';
import { openFolderAt, removeAt } from '../../src/runner/remove-at.js';
import { sandboxSupport } from '../../src/runner/sandbox.js';
import { runnerOptions } from '../support/runner-fixtures.js';

const available = sandboxSupport().kind === 'bubblewrap';
const sandboxed = available || process.env.CI ? it : it.skip;

const made: string[] = [];
afterEach(() => {
  for (const path of made.splice(0)) rmSync(path, { recursive: true, force: true });
});

/** A fresh project (real path) and a folder outside it that nothing may touch. */
function setup(config: Record<string, unknown> = {}) {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'cf-control-')));
  // Outside /tmp: the sandbox gives /tmp a fresh tmpfs, so only the runner itself could reach it.
  const victim = mkdtempSync(join('/var/tmp', 'cf-victim-'));
  made.push(root, victim);
  mkdirSync(join(victim, 'agents'));
  writeFileSync(join(victim, 'agents', 'keep.txt'), 'keep');
  const options = runnerOptions({ sandbox: { max_processes: 32 }, ...config });
  const isolation = runIsolation({ root, workspace: root, options, fleetDir: 'codex/agents' }).forAgent('worker');
  const run = (command: string) =>
    runShell(command, {
      cwd: root,
      env: { PATH: process.env.PATH },
      timeoutMs: 10_000,
      maxOutputBytes: 65_536,
      ...(isolation.sandbox ? { sandbox: isolation.sandbox } : {}),
      maxProcesses: 32,
    });
  return { root, victim, run };
}

describe('a control path the command created is removed without following links', () => {
  sandboxed("a link made where a missing control path's parent goes does not make the runner delete its target", async () => {
    const { root, victim, run } = setup();
    const result = await run(`ln -s ${victim} codex`);
    expect(readFileSync(join(victim, 'agents', 'keep.txt'), 'utf8')).toBe('keep');
    expect(result.violations.join('\n')).toMatch(/codex/);
    expect(existsSync(join(root, 'codex'))).toBe(false);
  });

  sandboxed("the reviewer's two commands (move the parent away, then link it outside) leave the outside folder intact", async () => {
    const { root, victim, run } = setup();
    mkdirSync(join(root, 'codex'));
    await run('mv codex codex.old && ln -s /nonexistent codex');
    await run(`rm codex && ln -s ${victim} codex`);
    expect(readFileSync(join(victim, 'agents', 'keep.txt'), 'utf8')).toBe('keep');
  });

  sandboxed('a real control path the command created is still removed and reported', async () => {
    const { root, run } = setup();
    mkdirSync(join(root, 'codex'));
    writeFileSync(join(root, 'codex', 'notes.md'), 'mine');
    const result = await run('mkdir -p codex/agents && echo forged > codex/agents/index.json');
    expect(result.removedProtected).toEqual(['codex/agents']);
    expect(existsSync(join(root, 'codex', 'agents'))).toBe(false);
    expect(readFileSync(join(root, 'codex', 'notes.md'), 'utf8')).toBe('mine');
  });
});

describe('nested control paths cannot be bypassed by renaming a writable parent', () => {
  sandboxed('mv codex codex.old && mkdir -p codex/agents leaves the compiled fleet as it was', async () => {
    const { root, run } = setup();
    mkdirSync(join(root, 'codex', 'agents'), { recursive: true });
    writeFileSync(join(root, 'codex', 'agents', 'index.json'), 'real');
    const result = await run(
      'mv codex codex.old && mkdir -p codex/agents && echo forged > codex/agents/index.json; echo more > codex/notes.md',
    );
    expect(readFileSync(join(root, 'codex', 'agents', 'index.json'), 'utf8')).toBe('real');
    expect(existsSync(join(root, 'codex.old'))).toBe(false);
    expect(readFileSync(join(root, 'codex', 'notes.md'), 'utf8')).toBe('more\n');
    expect(result.stderr).toMatch(/busy/i);
  });

  sandboxed('a nested configured control file and a nested memory folder hold against a renamed parent', async () => {
    const { root, run } = setup({
      sandbox: { max_processes: 32, protected_paths: ['deploy/keys/prod.env'] },
      memory: { dir: 'state/memory' },
    });
    mkdirSync(join(root, 'deploy', 'keys'), { recursive: true });
    writeFileSync(join(root, 'deploy', 'keys', 'prod.env'), 'real');
    mkdirSync(join(root, 'state', 'memory'), { recursive: true });
    await run(
      'mv deploy d.old; mkdir -p deploy/keys; echo forged > deploy/keys/prod.env; mv state s.old; mkdir -p state/memory; echo forged > state/memory/m.json',
    );
    expect(readFileSync(join(root, 'deploy', 'keys', 'prod.env'), 'utf8')).toBe('real');
    expect(existsSync(join(root, 'state', 'memory', 'm.json'))).toBe(false);
  });
});

describe('control paths behind a link or a file', () => {
  sandboxed("a fleet reached through a link into the workspace: the link target's parents cannot be swapped either", async () => {
    const { root, run } = setup();
    mkdirSync(join(root, 'build', 'codex', 'agents'), { recursive: true });
    writeFileSync(join(root, 'build', 'codex', 'agents', 'index.json'), 'real');
    symlinkSync('build/codex', join(root, 'codex'));
    await run('mv build build2; mkdir -p build/codex/agents; echo forged > build/codex/agents/index.json');
    expect(readFileSync(join(root, 'codex', 'agents', 'index.json'), 'utf8')).toBe('real');
    expect(existsSync(join(root, 'build2'))).toBe(false);
  });

  sandboxed('a file where a folder of the fleet goes, replaced by a folder with a forged fleet: the fleet is removed', async () => {
    const { root, run } = setup();
    writeFileSync(join(root, 'codex'), 'a file');
    const result = await run('rm codex && mkdir -p codex/agents && echo forged > codex/agents/index.json');
    expect(existsSync(join(root, 'codex', 'agents'))).toBe(false);
    expect(result.removedProtected).toEqual(['codex/agents']);
  });
});

describe('symlinked control paths', () => {
  function linked(target: (root: string) => string) {
    const context = setup();
    const shared = target(context.root);
    mkdirSync(shared, { recursive: true });
    made.push(shared);
    writeFileSync(join(shared, 'settings.json'), 'orig');
    return { ...context, shared };
  }

  sandboxed('a relative .claude link cannot be replaced by a folder the command writes', async () => {
    const { root, shared, run } = linked((root) => `${root}-shared`);
    symlinkSync(`../${shared.split('/').at(-1)}`, join(root, '.claude'));
    const result = await run('echo forged > .claude/settings.json; rm .claude && mkdir .claude && echo forged > .claude/settings.json');
    expect(readFileSync(join(shared, 'settings.json'), 'utf8')).toBe('orig');
    expect(lstatSync(join(root, '.claude')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(root, '.claude'))).toBe(`../${shared.split('/').at(-1)}`);
    expect(result.violations.join('\n')).toMatch(/\.claude/);
  });

  sandboxed('an absolute .claude link does not make every command fail', async () => {
    const { root, shared, run } = linked(() => mkdtempSync(join('/var/tmp', 'cf-shared-')));
    symlinkSync(shared, join(root, '.claude'));
    const result = await run('echo ran; echo forged > .claude/settings.json');
    expect(result.stdout).toContain('ran');
    expect(readFileSync(join(shared, 'settings.json'), 'utf8')).toBe('orig');
  });

  sandboxed('a dangling .claude link: what the command creates at its target is removed', async () => {
    const { root, run } = setup();
    symlinkSync('claude-real', join(root, '.claude'));
    const result = await run('mkdir claude-real && echo forged > claude-real/settings.json');
    expect(existsSync(join(root, 'claude-real'))).toBe(false);
    expect(result.removedProtected).toEqual(['.claude']);
  });
});

describe('removal through open folders (remove-at.ts)', () => {
  it('removes a tree with links in it, and a link, without touching what they point at', () => {
    const { root, victim } = setup();
    mkdirSync(join(root, 'made', 'deep'), { recursive: true });
    symlinkSync(victim, join(root, 'made', 'deep', 'out'));
    symlinkSync(join(victim, 'agents'), join(root, 'made', 'agents'));
    symlinkSync(victim, join(root, 'link'));
    const fd = openFolderAt(root, []);
    try {
      expect(removeAt(fd, 'made')).toBe(true);
      expect(removeAt(fd, 'link')).toBe(true);
    } finally {
      closeSync(fd);
    }
    expect(existsSync(join(root, 'made'))).toBe(false);
    expect(existsSync(join(root, 'link'))).toBe(false);
    expect(readFileSync(join(victim, 'agents', 'keep.txt'), 'utf8')).toBe('keep');
  });

  it('a folder on the way swapped for a link after the plan: nothing is removed through it, and it is reported', () => {
    const { root, victim } = setup();
    mkdirSync(join(root, 'codex'));
    const plan = planControlPaths(root, [join(root, 'codex', 'agents')]);
    // What a command of another task, still running, does meanwhile.
    renameSync(join(root, 'codex'), join(root, 'codex.old'));
    symlinkSync(victim, join(root, 'codex'));
    const check = checkControlPaths(plan);
    expect(readFileSync(join(victim, 'agents', 'keep.txt'), 'utf8')).toBe('keep');
    expect(check.violations.join('\n')).toMatch(/codex/);
  });
});

describe('a NUL byte in a command', () => {
  it('is refused before anything is made, and nothing leaks', async () => {
    const { root } = setup();
    const cgroup = pidsCgroupRoot();
    const children = () => (cgroup ? readdirSync(cgroup).filter((name) => /^c\d+$/.test(name)).length : 0);
    const before = { cgroups: children(), fds: readdirSync('/proc/self/fd').length };
    for (let attempt = 0; attempt < 5; attempt++) {
      const result = await runShell('echo a\0b', { cwd: root, timeoutMs: 5_000, maxOutputBytes: 1_024, maxProcesses: 8, stdin: 'input' });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/NUL/);
    }
    expect(children()).toBe(before.cgroups);
    expect(readdirSync('/proc/self/fd').length).toBe(before.fds);
  });
});
