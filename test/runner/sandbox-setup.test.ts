/**
 * What the sandbox is built from at run start: nested control folders found by a bounded walk,
 * toolchain folders of PATH under $HOME, the pids controller on cgroup v2, and the warning for
 * protected globs a mount cannot cover. The cgroup v2 steps run against a fake cgroup folder (this
 * test machine has cgroup v1); the rest runs bubblewrap where it is installed.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runIsolation } from '../../src/runner/isolation.js';
import { nestedControlFolders } from '../../src/runner/nested-control.js';
import { createPidsCgroupIn, makePidsRoot } from '../../src/runner/pids-cgroup.js';
import { runShell } from '../../src/runner/process.js';
import { runTasks } from '../../src/runner/runner.js';
import { sandboxSupport, toolchainFolders } from '../../src/runner/sandbox.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { agent, fleetOf, runnerInit, runnerOptions } from '../support/runner-fixtures.js';

const server = useProviderServer();
const available = sandboxSupport().kind === 'bubblewrap';
const sandboxed = available || process.env.CI ? it : it.skip;

const made: string[] = [];
afterEach(() => {
  for (const path of made.splice(0)) rmSync(path, { recursive: true, force: true });
});

function temp(prefix: string, base = tmpdir()): string {
  const path = realpathSync(mkdtempSync(join(base, prefix)));
  made.push(path);
  return path;
}

function shellIn(root: string, env: Record<string, string | undefined> = { PATH: process.env.PATH }) {
  const isolation = runIsolation({ root, workspace: root, options: runnerOptions({ sandbox: { max_processes: 32 } }) }).forAgent('worker');
  return (command: string) =>
    runShell(command, {
      cwd: root,
      env,
      timeoutMs: 10_000,
      maxOutputBytes: 65_536,
      ...(isolation.sandbox ? { sandbox: isolation.sandbox } : {}),
      maxProcesses: 32,
    });
}

describe('nested control folders', () => {
  sandboxed("a nested clone's .git/config and a sub-project's .claude are read-only to commands", async () => {
    const root = temp('cf-nested-');
    mkdirSync(join(root, 'vendor', 'lib', '.git'), { recursive: true });
    writeFileSync(join(root, 'vendor', 'lib', '.git', 'config'), '[core]\n');
    mkdirSync(join(root, 'packages', 'app', '.claude'), { recursive: true });
    const run = shellIn(root);
    await run(
      'echo "[core] fsmonitor = touch /tmp/x" >> vendor/lib/.git/config; echo "{}" > packages/app/.claude/settings.json; mv vendor v2',
    );
    expect(readFileSync(join(root, 'vendor', 'lib', '.git', 'config'), 'utf8')).toBe('[core]\n');
    expect(existsSync(join(root, 'packages', 'app', '.claude', 'settings.json'))).toBe(false);
    expect(existsSync(join(root, 'v2'))).toBe(false);
  });

  it('the walk skips node_modules, does not descend into what it found, and stops at its bound', () => {
    const root = temp('cf-walk-');
    for (const path of ['.git', 'node_modules/pkg/.git', 'a/.git/modules/b/.git', 'deep/1/2/3/.git', 'wide/x/.claude'])
      mkdirSync(join(root, path), { recursive: true });
    expect(nestedControlFolders(root, ['.git', '.claude']).sort()).toEqual([
      join(root, '.git'),
      join(root, 'a', '.git'),
      join(root, 'deep', '1', '2', '3', '.git'),
      join(root, 'wide', 'x', '.claude'),
    ]);
    expect(nestedControlFolders(root, ['.git', '.claude'], { folders: 5_000, depth: 2 })).not.toContain(
      join(root, 'deep', '1', '2', '3', '.git'),
    );
  });
});

describe('toolchains under $HOME', () => {
  sandboxed('a command finds a tool in a PATH folder under $HOME; ~/.ssh stays out of sight', async () => {
    const root = temp('cf-toolchain-');
    const prefix = temp('.cf-toolchain-', homedir());
    mkdirSync(join(prefix, 'bin'));
    writeFileSync(join(prefix, 'bin', 'cf-tool'), '#!/bin/sh\necho tool-ran\n');
    chmodSync(join(prefix, 'bin', 'cf-tool'), 0o755);
    const run = shellIn(root, { PATH: `${join(prefix, 'bin')}:${process.env.PATH}`, HOME: homedir() });
    const result = await run('cf-tool; ls ~/.ssh 2>&1 | head -1');
    expect(result.stdout).toContain('tool-ran');
    expect(result.stdout).not.toMatch(/authorized_keys|id_/);
  });

  it('only toolchain folders: never $HOME itself nor a credential folder', () => {
    const home = temp('cf-home-');
    for (const path of ['.nvm/versions/node/v20/bin', '.cargo/bin', 'bin', '.ssh/bin', '.config/tool/bin'])
      mkdirSync(join(home, path), { recursive: true });
    const path = [
      home,
      join(home, '.nvm/versions/node/v20/bin'),
      join(home, '.cargo/bin'),
      join(home, 'bin'),
      join(home, '.ssh/bin'),
      join(home, '.config/tool/bin'),
      '/usr/bin',
      join(home, 'missing/bin'),
    ].join(':');
    expect(toolchainFolders(home, path)).toEqual([join(home, '.nvm/versions/node/v20'), join(home, '.cargo/bin'), join(home, 'bin')]);
  });
});

describe('the pids cgroup on cgroup v2 (a fake cgroup folder: this machine has v1)', () => {
  it("writes +pids to our cgroup's and our folder's subtree_control, so a command's folder gets pids.max", () => {
    const own = temp('cf-cgroup2-');
    writeFileSync(join(own, 'cgroup.subtree_control'), '');
    // What the kernel shows once the parent delegates pids: the controller's files in the child.
    mkdirSync(join(own, 'codex-flow-test'));
    writeFileSync(join(own, 'codex-flow-test', 'pids.max'), 'max\n');
    const dir = makePidsRoot({ parent: own, version: 2 }, 'codex-flow-test');
    expect(dir).toBe(join(own, 'codex-flow-test'));
    expect(readFileSync(join(own, 'cgroup.subtree_control'), 'utf8')).toBe('+pids');
    expect(readFileSync(join(own, 'codex-flow-test', 'cgroup.subtree_control'), 'utf8')).toBe('+pids');
    const command = createPidsCgroupIn(dir!, 24);
    expect(readFileSync(join(command!.dir, 'pids.max'), 'utf8')).toBe('24');
  });

  it('without pids.max in our folder there is no cgroup (the caller falls back), and v1 writes no subtree_control', () => {
    const own = temp('cf-cgroup1-');
    expect(makePidsRoot({ parent: own, version: 2 }, 'codex-flow-none')).toBeUndefined();
    mkdirSync(join(own, 'codex-flow-v1'));
    writeFileSync(join(own, 'codex-flow-v1', 'pids.max'), 'max\n');
    expect(makePidsRoot({ parent: own, version: 1 }, 'codex-flow-v1')).toBe(join(own, 'codex-flow-v1'));
    expect(existsSync(join(own, 'codex-flow-v1', 'cgroup.subtree_control'))).toBe(false);
  });
});

describe('protected globs', () => {
  sandboxed('a configured glob, which mounts cover only for the files it matched at run start, is warned about once (CF8050)', async () => {
    const root = temp('cf-globs-');
    server.enqueue('openai', { text: 'done' });
    let stderr = '';
    const write = {
      stdout: () => {},
      stderr: (text: string) => {
        stderr += text;
      },
    };
    const config = { sandbox: { max_processes: 32 }, tools: { protected: ['**/*.pem', 'secrets/prod.env'] } };
    await runTasks([{ agent: 'worker', task: 'x' }], {
      ...runnerInit(server, root, fleetOf(agent('worker')), { config, record: false }),
      write,
    });
    expect(stderr.match(/CF8050/g)).toHaveLength(1);
    expect(stderr).toContain('**/*.pem');
    expect(stderr).not.toContain('secrets/prod.env');
  });
});
