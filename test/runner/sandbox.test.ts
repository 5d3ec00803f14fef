/**
 * The command sandbox (bubblewrap): what a command can no longer do. Each case is one the
 * blocklist let through in the red-team pass — wiping or chmod-ing files outside the workspace,
 * `>|` into a system file, rewriting control files (`.git/config`, the config), reading the
 * runner's environment through `/proc/$PPID/environ`, remounting `/` as root, a fork bomb, the
 * network, and a `setsid` child outliving its command. They run the shell layer directly (not the
 * Bash tool), so the blocked patterns play no part: the sandbox alone must hold.
 * Skipped where bubblewrap cannot run, except in CI (CI installs it).
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIsolation, type ShellIsolation } from '../../src/runner/isolation.js';
import { runTasks } from '../../src/runner/runner.js';
import { runShell, type ShellOptions } from '../../src/runner/process.js';
import { sandboxSupport, setSandboxSupportForTests } from '../../src/runner/sandbox.js';
import { bashTool } from '../../src/runner/tools/bash.js';
import type { ToolContext } from '../../src/runner/tools/types.js';
import { Workspace } from '../../src/runner/tools/workspace.js';
import { useProviderServer } from '../support/use-provider-server.js';
import {
  agent,
  commandGone,
  fleetOf,
  processesWith,
  readEvents,
  requestSummary,
  runnerInit,
  runnerOptions,
  useTempProject,
} from '../support/runner-fixtures.js';

const server = useProviderServer();

const available = sandboxSupport().kind === 'bubblewrap';
const sandboxed = available || process.env.CI ? it : it.skip;
if (!available && !process.env.CI) console.warn(`sandbox tests skipped: ${JSON.stringify(sandboxSupport())}`);

const project = useTempProject('cf-sandbox-');
let outside: string;
let isolation: ShellIsolation;
let listener: Server;
let port: number;

beforeAll(async () => {
  mkdirSync(join(project.root, '.git'));
  writeFileSync(join(project.root, '.git', 'config'), '[core]\n');
  writeFileSync(join(project.root, 'codex-flow.config.yaml'), 'runner: {}\n');
  // Outside /tmp on purpose: the sandbox gives /tmp a fresh tmpfs, the root file system is read-only.
  outside = mkdtempSync(join('/var/tmp', 'cf-sandbox-outside-'));
  writeFileSync(join(outside, 'keep.txt'), 'keep');
  chmodSync(join(outside, 'keep.txt'), 0o600);
  const options = runnerOptions({ sandbox: { max_processes: 24 } });
  isolation = runIsolation({ root: project.root, workspace: realpathSync(project.root), options }).forAgent('worker');
  listener = createServer((socket) => socket.end('hello'));
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  port = (listener.address() as AddressInfo).port;
});
afterAll(() => {
  rmSync(outside, { recursive: true, force: true });
  listener.close();
});

function run(command: string, extra: Partial<ShellOptions> = {}) {
  return runShell(command, {
    cwd: realpathSync(project.root),
    env: { PATH: process.env.PATH },
    timeoutMs: 10_000,
    maxOutputBytes: 65_536,
    ...(isolation.sandbox ? { sandbox: isolation.sandbox } : {}),
    maxProcesses: isolation.maxProcesses ?? 24,
    ...extra,
  });
}

describe('the sandbox keeps commands away from the machine', () => {
  sandboxed('rm -rf and chmod -R outside the workspace change nothing (the root file system is read-only)', async () => {
    const result = await run(`rm -rf ${outside} ; chmod -R 777 ${outside} ; touch made-inside.txt`);
    expect(readFileSync(join(outside, 'keep.txt'), 'utf8')).toBe('keep');
    expect(statSync(join(outside, 'keep.txt')).mode & 0o777).toBe(0o600);
    expect(result.stderr).toMatch(/Read-only file system/);
    expect(existsSync(join(project.root, 'made-inside.txt'))).toBe(true);
  });

  sandboxed('>| into a system file and a write into $HOME do not reach the real files', async () => {
    const target = `/etc/codex-flow-sandbox-probe-${process.pid}`;
    const home = join(homedir(), `codex-flow-sandbox-probe-${process.pid}`);
    try {
      await run(`echo owned >| ${target}; echo owned > ${home}`);
      expect(existsSync(target)).toBe(false);
      expect(existsSync(home)).toBe(false);
    } finally {
      rmSync(target, { force: true });
      rmSync(home, { force: true });
    }
  });

  sandboxed('as root, remounting / read-write fails: every capability is dropped', async () => {
    const target = `/etc/codex-flow-remount-probe-${process.pid}`;
    try {
      await run(`mount -o remount,rw / 2>/dev/null; touch ${target}`);
      expect(existsSync(target)).toBe(false);
    } finally {
      rmSync(target, { force: true });
    }
  });

  sandboxed('control files stay read-only inside the writable workspace', async () => {
    const result = await run(
      'echo "[core] fsmonitor = touch /tmp/pwned" >> .git/config; echo "runner: {workspace: /}" > codex-flow.config.yaml',
    );
    expect(readFileSync(join(project.root, '.git', 'config'), 'utf8')).toBe('[core]\n');
    expect(readFileSync(join(project.root, 'codex-flow.config.yaml'), 'utf8')).toBe('runner: {}\n');
    expect(result.stderr).toMatch(/Read-only file system/);
  });

  sandboxed('a control path the command creates is removed after it and reported', async () => {
    const result = await run('mkdir -p .claude && echo "{\\"hooks\\": {}}" > .claude/settings.json');
    expect(result.code).toBe(0);
    expect(existsSync(join(project.root, '.claude'))).toBe(false);
    expect(result.removedProtected).toEqual(['.claude']);
  });

  sandboxed("the parent's environment cannot be read through /proc", async () => {
    // A variable of this process's own start-up environment (what /proc/PID/environ shows), not passed on.
    const parentEnvironment = readFileSync(`/proc/${process.pid}/environ`, 'utf8')
      .split('\0')
      .filter((entry) => entry && !/^(PATH|SHLVL|_|PWD|OLDPWD)=/.test(entry));
    expect(parentEnvironment.length).toBeGreaterThan(0);
    const result = await run(
      `for pid in $PPID $(ls /proc | grep -E '^[0-9]+$'); do tr '\\0' '\\n' < /proc/$pid/environ; done 2>/dev/null; echo done`,
    );
    expect(result.stdout).toContain('done');
    for (const entry of parentEnvironment) expect(result.stdout).not.toContain(entry);
  });

  sandboxed('the network is off unless the agent may use it', async () => {
    const closed = await run(`exec 3<>/dev/tcp/127.0.0.1/${port} && cat <&3`);
    expect(closed.stdout).not.toContain('hello');
    const open = await run(`exec 3<>/dev/tcp/127.0.0.1/${port} && cat <&3`, {
      sandbox: { ...isolation.sandbox!, policy: { ...isolation.sandbox!.policy, network: true } },
    });
    expect(open.stdout).toContain('hello');
  });
});

describe('process count and process trees', () => {
  sandboxed('a fork bomb stops at the process cap, also as root', async () => {
    const marker = `7.${process.pid}3`;
    const result = await run(`for i in $(seq 80); do sleep ${marker} & done 2>/dev/null; ls -d /proc/[0-9]* | wc -l`, { timeoutMs: 4_000 });
    const seen = Number(result.stdout.trim() || '0');
    expect(seen).toBeLessThanOrEqual(24);
    expect(await commandGone(marker)).toBe(true);
  });

  sandboxed('a setsid child neither holds the command open nor outlives it', async () => {
    const marker = `40.${process.pid}7`;
    const started = Date.now();
    const result = await run(`setsid sleep ${marker} & sleep 0.5; echo started`);
    expect(result.stdout).toContain('started');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await commandGone(marker)).toBe(true);
  });

  it('without a sandbox or a cgroup, a setsid child holding the pipes does not hold the result', async () => {
    const marker = `40.${process.pid}9`;
    const started = Date.now();
    const result = await runShell(`setsid sleep ${marker} & sleep 0.5; echo started`, {
      cwd: project.root,
      timeoutMs: 10_000,
      maxOutputBytes: 65_536,
    });
    expect(result.stdout).toContain('started');
    expect(Date.now() - started).toBeLessThan(5_000);
    for (const pid of processesWith(marker)) process.kill(pid, 'SIGKILL');
  });
});

describe('an adversarial model through the Bash tool', () => {
  // The red-team's commands that passed the blocked patterns, aimed at a folder outside the
  // workspace instead of `/` (a sandbox failure must not cost the test machine its files).
  sandboxed(
    'commands that pass the pattern list change nothing outside the workspace and read no runner secret',
    async () => {
      const parentEnvironment = readFileSync(`/proc/${process.pid}/environ`, 'utf8')
        .split('\0')
        .filter((entry) => entry.includes('=') && !/^(PATH|SHLVL|_|PWD|OLDPWD|HOME)=/.test(entry));
      const commands = [
        `rm -rf ${outside}/*`,
        `chmod 777 -R ${outside}`,
        `echo owned >| /etc/codex-flow-agent-probe-${process.pid}`,
        'echo "[core]\n\tfsmonitor = touch /tmp/pwned" >> .git/config',
        'echo "runner: {workspace: /}" > codex-flow.config.yaml',
        "tr '\\0' '\\n' </proc/$PPID/environ; cat /proc/*/environ | tr '\\0' '\\n'",
        ': () { : | : & } ; :',
      ];
      server.enqueue(
        'openai',
        { toolCalls: commands.map((command, index) => ({ id: `call-${index}`, name: 'Bash', input: { command } })) },
        { text: 'done' },
      );
      const fleet = fleetOf(
        agent('shell', {
          capabilities: { detail: { tools: { allowed: ['Bash'], restricted: [] } } },
          runtime: { max_steps: 2, timeout_ms: 30_000 },
        }),
      );
      const config = { sandbox: { max_processes: 32 }, tools: { bash: { timeout_ms: 2_000 } } };
      try {
        const result = await runTasks(
          [{ agent: 'shell', task: 'clean up' }],
          runnerInit(server, project.root, fleet, { config, record: false }),
        );
        expect(result.tasks[0]).toMatchObject({ stop_reason: 'completed', tool_calls: commands.length });
        expect(readFileSync(join(outside, 'keep.txt'), 'utf8')).toBe('keep');
        expect(statSync(join(outside, 'keep.txt')).mode & 0o777).toBe(0o600);
        expect(existsSync(`/etc/codex-flow-agent-probe-${process.pid}`)).toBe(false);
        expect(readFileSync(join(project.root, '.git', 'config'), 'utf8')).toBe('[core]\n');
        expect(readFileSync(join(project.root, 'codex-flow.config.yaml'), 'utf8')).toBe('runner: {}\n');
        const seen = requestSummary(server.requests.at(-1)!.body).toolResults.join('\n');
        for (const entry of parentEnvironment) expect(seen).not.toContain(entry);
        expect(result.sandbox).toEqual({ kind: 'bubblewrap' });
      } finally {
        rmSync(`/etc/codex-flow-agent-probe-${process.pid}`, { force: true });
      }
    },
    60_000,
  );
});

describe('a command that reaches for a control path', () => {
  sandboxed(
    'a Bash call that creates .claude is a policy refusal: outside_allow_list in the record, a stop under --strict-tools',
    async () => {
      server.enqueue('openai', {
        toolCalls: [{ id: 'call-claude', name: 'Bash', input: { command: 'mkdir -p .claude && echo "{}" > .claude/settings.json' } }],
      });
      const fleet = fleetOf(
        agent('shell', {
          capabilities: { detail: { tools: { allowed: ['Bash'], restricted: [] } } },
          runtime: { max_steps: 2, timeout_ms: 30_000 },
        }),
      );
      const result = await runTasks([{ agent: 'shell', task: 'configure' }], {
        ...runnerInit(server, project.root, fleet, { config: { sandbox: { max_processes: 32 } } }),
        strictTools: true,
      });
      expect(result.tasks[0]).toMatchObject({ stop_reason: 'tool-denied' });
      expect(existsSync(join(project.root, '.claude'))).toBe(false);
      const refused = readEvents(join(project.root, result.record!)).find((event) => event.event === 'tool-refused');
      expect(refused).toMatchObject({ tool: 'Bash', outside_allow_list: true, reason: expect.stringContaining('.claude') });
    },
    30_000,
  );

  sandboxed(
    'a hook that creates .claude leaves a control-path-violation event, not silence',
    async () => {
      server.enqueue('openai', { text: 'done' });
      const hooks = {
        pre_task: [],
        post_task: [{ run: 'mkdir -p .claude && touch .claude/settings.json', timeout_ms: 5_000 }],
        failure: [],
      };
      const fleet = fleetOf(agent('hooked', { hooks, runtime: { max_steps: 2, timeout_ms: 30_000 } }));
      const result = await runTasks(
        [{ agent: 'hooked', task: 'x' }],
        runnerInit(server, project.root, fleet, { config: { sandbox: { max_processes: 32 } } }),
      );
      expect(existsSync(join(project.root, '.claude'))).toBe(false);
      const violation = readEvents(join(project.root, result.record!)).find((event) => event.event === 'control-path-violation');
      expect(violation).toMatchObject({ phase: 'post_task', violations: [expect.stringContaining('.claude')] });
      expect(result.tasks[0]!.hooks[0]).toMatchObject({ control_violations: [expect.stringContaining('.claude')] });
    },
    30_000,
  );
});

describe('where bwrap comes from', () => {
  sandboxed('a bwrap planted first on PATH (node_modules/.bin under npx) is never run', async () => {
    const planted = mkdtempSync(join('/var/tmp', 'cf-planted-'));
    const marker = join(planted, 'ran');
    writeFileSync(join(planted, 'bwrap'), `#!/bin/sh\ntouch ${marker}\nexec /usr/bin/bwrap "$@"\n`, { mode: 0o755 });
    const path = process.env.PATH;
    try {
      process.env.PATH = `${planted}:${path}`;
      setSandboxSupportForTests(undefined);
      const support = sandboxSupport();
      expect(support).toMatchObject({ kind: 'bubblewrap' });
      expect((support as { executable: string }).executable.startsWith(planted)).toBe(false);
      expect(existsSync(marker)).toBe(false);
    } finally {
      process.env.PATH = path;
      setSandboxSupportForTests(undefined);
      rmSync(planted, { recursive: true, force: true });
    }
  });
});

describe('no sandbox', () => {
  it('--strict-tools refuses Bash when commands cannot be sandboxed', async () => {
    const workspace = await Workspace.open(project.root);
    const context: ToolContext = {
      workspace,
      signal: new AbortController().signal,
      options: runnerOptions().tools,
      limits: {},
      env: {},
      remainingMs: () => 10_000,
      todos: [],
      strictTools: true,
      isolation: { unsandboxed: 'bubblewrap (bwrap) is not installed' },
    };
    const result = await bashTool.run({ command: 'touch strict.txt' }, context);
    expect(result).toMatchObject({ ok: false, refused: expect.stringContaining('no sandbox') });
    expect(existsSync(join(project.root, 'strict.txt'))).toBe(false);
  });

  it('runner.sandbox.enabled: false is reported, with the reason', () => {
    const options = runnerOptions({ sandbox: { enabled: false } });
    const off = runIsolation({ root: project.root, workspace: realpathSync(project.root), options });
    expect(off.support).toEqual({ kind: 'none', reason: 'runner.sandbox.enabled is false' });
    expect(off.forAgent('worker')).toMatchObject({ unsandboxed: 'runner.sandbox.enabled is false' });
  });
});
