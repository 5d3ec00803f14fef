/**
 * Running a shell command for a tool, a hook or an MCP bridge, with a hard stop.
 *
 * The naive `exec(cmd, { timeout })` kills only the shell: a `sleep` or a test server it started
 * lives on as an orphan, and one that calls `setsid` leaves the process group too, holding the
 * output pipes open. Here, in order of strength:
 *   - with a sandbox (sandbox.ts) the command runs in its own PID namespace: when its shell exits
 *     or is killed, the kernel kills every process left in the namespace;
 *   - with a pids cgroup (pids-cgroup.ts) every descendant is in the cgroup, whatever session it
 *     made, and is killed when the command ends; the cgroup also caps the process count;
 *   - always, the command leads its own process group (`detached: true`), killed as a group.
 * The result never waits on a pipe that an escaped process still holds: once the shell has exited
 * and its tree is killed, output is read for at most PIPE_DRAIN_MS more.
 * Output is captured up to a byte cap (the rest is counted, not kept). Where the OS allows, the
 * shell first lowers its own limits (`ulimit -v/-t/-f`), which every child inherits.
 *
 * @example
 * const result = await runShell('npm test', { cwd, timeoutMs: 60_000, maxOutputBytes: 65536 });
 * if (result.timedOut) console.error('tests timed out');
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkControlPaths, planControlPaths, type ControlPlan } from './control-mounts.js';
import { createPidsCgroup, type PidsCgroup } from './pids-cgroup.js';
import { bwrapArguments, type SandboxPolicy } from './sandbox.js';

/**
 * How long output is still read after the shell has exited and its tree was killed. Anything
 * holding the pipes after that is a process that escaped (no sandbox, no cgroup): it is not waited for.
 */
export const PIPE_DRAIN_MS = 250;

export interface ShellLimits {
  /** RLIMIT_AS in MiB (address space): a hard memory cap for the child tree. */
  memoryMb?: number;
  /** RLIMIT_CPU in seconds of CPU time. */
  cpuSeconds?: number;
  /** RLIMIT_FSIZE in MiB: the largest file the child may write. */
  fileMb?: number;
}

export interface ShellOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  timeoutMs: number;
  maxOutputBytes: number;
  signal?: AbortSignal;
  stdin?: string;
  limits?: ShellLimits;
  /** Run inside bubblewrap with this policy (`executable` is bwrap's path). */
  sandbox?: { executable: string; policy: SandboxPolicy };
  /** Cap on the command's processes and threads (a pids cgroup; RLIMIT_NPROC inside a user namespace). */
  maxProcesses?: number;
}

export interface ShellResult {
  /** Exit code, or null when killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  aborted: boolean;
  /** Bytes of output dropped past the cap. */
  droppedBytes: number;
  pid: number | undefined;
  /** Control paths (workspace-relative) the command created, removed after it ended. */
  removedProtected: string[];
  /** What the command changed on the way to a control path (a replaced link, a link for a folder), undone since. */
  violations: string[];
}

/** The `ulimit` prefix for the limits, or '' when none apply. */
export function limitPrefix(limits: ShellLimits | undefined): string {
  if (!limits) return '';
  const parts: string[] = [];
  if (limits.memoryMb) parts.push(`ulimit -v ${Math.floor(limits.memoryMb * 1024)}`);
  if (limits.cpuSeconds) parts.push(`ulimit -t ${Math.max(1, Math.ceil(limits.cpuSeconds))}`);
  if (limits.fileMb !== undefined) parts.push(`ulimit -f ${Math.floor(limits.fileMb * 1024)}`);
  return parts.length > 0 ? `${parts.join(' 2>/dev/null; ')} 2>/dev/null; ` : '';
}

/** The program and arguments that run `command` with the isolation `options` ask for. */
export function shellArgv(command: string, options: ShellOptions, cgroup: PidsCgroup | undefined, plan?: ControlPlan): string[] {
  // RLIMIT_NPROC counts per user: it is a safe cap only inside the sandbox's own user namespace.
  const nproc =
    options.sandbox && !cgroup && options.maxProcesses && process.getuid?.() !== 0 ? `ulimit -u ${options.maxProcesses} 2>/dev/null; ` : '';
  let argv = ['bash', '--norc', '--noprofile', '-c', nproc + limitPrefix(options.limits) + command];
  if (options.sandbox) {
    const { policy } = options.sandbox;
    const mounts = (plan ?? planControlPaths(policy.workspace, policy.protectedPaths)).mounts;
    argv = [
      options.sandbox.executable,
      ...bwrapArguments(policy, options.cwd, mounts, options.env?.PATH ?? process.env.PATH),
      '--',
      ...argv,
    ];
  }
  // The first process joins the cgroup before it execs anything, so no descendant is outside it.
  if (cgroup) argv = ['/bin/sh', '-c', 'echo $$ > "$0/cgroup.procs" || exit 125; exec "$@"', cgroup.dir, ...argv];
  return argv;
}

export function runShell(command: string, options: ShellOptions): Promise<ShellResult> {
  return new Promise((resolve) => {
    const failed = (message: string, plan?: ControlPlan): ShellResult => ({
      code: 127,
      signal: null,
      stdout: '',
      stderr: message,
      timedOut: false,
      aborted: false,
      droppedBytes: 0,
      pid: undefined,
      ...afterCommand(plan),
    });
    // A NUL byte cannot reach a process's arguments: refused before anything is made for the call.
    if (command.includes('\0')) {
      resolve(failed('the command contains a NUL byte, which no program can receive'));
      return;
    }
    let plan: ControlPlan | undefined;
    let cgroup: PidsCgroup | undefined;
    let input: number | undefined;
    let child: ChildProcess;
    try {
      if (options.sandbox) plan = planControlPaths(options.sandbox.policy.workspace, options.sandbox.policy.protectedPaths);
      cgroup = options.maxProcesses ? createPidsCgroup(options.maxProcesses) : undefined;
      const [program, ...args] = shellArgv(command, options, cgroup, plan);
      // stdin is never a socket (Node's pipes are socketpairs): bash, and every bash the command
      // starts, would take a socket on stdin for an sshd session and source ~/.bashrc. Input, when
      // there is some, comes from an unlinked temporary file instead.
      input = stdinFile(options.stdin);
      child = spawn(program!, args, {
        cwd: options.cwd,
        env: options.env as NodeJS.ProcessEnv | undefined,
        detached: true,
        stdio: [input ?? 'ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      // Whatever was made for this call is released: a throw here must not leak per call.
      cgroup?.release();
      resolve(failed(`the command could not start: ${(error as Error).message}`, plan));
      return;
    } finally {
      if (input !== undefined) closeSync(input);
    }
    const out = new Capture(options.maxOutputBytes);
    const err = new Capture(options.maxOutputBytes);
    let timedOut = false;
    let aborted = false;
    const killGroup = () => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      cgroup?.release();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    const onAbort = () => {
      aborted = true;
      killGroup();
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout!.on('data', (chunk: Buffer) => out.add(chunk));
    child.stderr!.on('data', (chunk: Buffer) => err.add(chunk));
    let settled = false;
    let drain: NodeJS.Timeout | undefined;
    const settle = (code: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(drain);
      options.signal?.removeEventListener('abort', onAbort);
      child.stdout!.destroy();
      child.stderr!.destroy();
      resolve({
        code,
        signal,
        stdout: out.text(),
        stderr: err.text(),
        timedOut,
        aborted,
        droppedBytes: out.dropped + err.dropped,
        pid: child.pid,
        ...afterCommand(plan),
      });
    };
    // The shell is gone: nothing it left behind may outlive it, nor hold our pipes open for long.
    child.on('exit', (code, signal) => {
      killGroup();
      drain = setTimeout(() => settle(code, signal), PIPE_DRAIN_MS);
    });
    child.on('error', (error) => {
      err.add(Buffer.from(error.message));
      cgroup?.release();
      settle(127, null);
    });
    child.on('close', settle);
  });
}

/** The control-path check once the sandbox is gone (control-mounts.ts); nothing to check without one. */
function afterCommand(plan: ControlPlan | undefined): { removedProtected: string[]; violations: string[] } {
  if (!plan) return { removedProtected: [], violations: [] };
  try {
    const check = checkControlPaths(plan);
    return { removedProtected: check.removed, violations: check.violations };
  } catch (error) {
    // Runs in a process event handler: a throw here would take the runner down.
    return { removedProtected: [], violations: [`the control paths could not be checked after the command: ${(error as Error).message}`] };
  }
}

/** An open descriptor on an already-unlinked file holding `text`, or undefined for no input. */
function stdinFile(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const path = join(tmpdir(), `codex-flow-stdin-${process.pid}-${randomBytes(6).toString('hex')}`);
  const fd = openSync(path, 'w+', 0o600);
  unlinkSync(path);
  writeSync(fd, text, 0);
  return fd;
}

class Capture {
  private chunks: Buffer[] = [];
  private kept = 0;
  dropped = 0;

  constructor(private readonly cap: number) {}

  add(chunk: Buffer): void {
    const room = this.cap - this.kept;
    if (room <= 0) {
      this.dropped += chunk.length;
      return;
    }
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.chunks.push(part);
    this.kept += part.length;
    this.dropped += chunk.length - part.length;
  }

  text(): string {
    const text = Buffer.concat(this.chunks).toString('utf8');
    return this.dropped > 0 ? `${text}\n[… ${this.dropped} more bytes cut]` : text;
  }
}
