/**
 * Running a shell command for a tool, a hook or an MCP bridge, with a hard stop.
 *
 * The naive `exec(cmd, { timeout })` kills only the shell: a `sleep` or a test server it started
 * lives on as an orphan. Here the command runs in its own process group (`detached: true`) and a
 * timeout or an abort kills the whole group (`kill(-pid, SIGKILL)`), grandchildren included.
 * Output is captured up to a byte cap (the rest is counted, not kept). Where the OS allows, the
 * shell first lowers its own limits (`ulimit -v/-t/-f`), which every child inherits.
 *
 * @example
 * const result = await runShell('npm test', { cwd, timeoutMs: 60_000, maxOutputBytes: 65536 });
 * if (result.timedOut) console.error('tests timed out');
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

export function runShell(command: string, options: ShellOptions): Promise<ShellResult> {
  return new Promise((resolve) => {
    // stdin is never a socket (Node's pipes are socketpairs): bash, and every bash the command
    // starts, would take a socket on stdin for an sshd session and source ~/.bashrc. Input, when
    // there is some, comes from an unlinked temporary file instead.
    const input = stdinFile(options.stdin);
    const child = spawn('bash', ['--norc', '--noprofile', '-c', limitPrefix(options.limits) + command], {
      cwd: options.cwd,
      env: options.env as NodeJS.ProcessEnv | undefined,
      detached: true,
      stdio: [input ?? 'ignore', 'pipe', 'pipe'],
    });
    if (input !== undefined) closeSync(input);
    const out = new Capture(options.maxOutputBytes);
    const err = new Capture(options.maxOutputBytes);
    let timedOut = false;
    let aborted = false;
    const killGroup = () => {
      if (child.pid === undefined) return;
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    };
    const timer = setTimeout(() => { timedOut = true; killGroup(); }, options.timeoutMs);
    const onAbort = () => { aborted = true; killGroup(); };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout!.on('data', (chunk: Buffer) => out.add(chunk));
    child.stderr!.on('data', (chunk: Buffer) => err.add(chunk));
    let settled = false;
    const settle = (code: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ code, signal, stdout: out.text(), stderr: err.text(), timedOut, aborted, droppedBytes: out.dropped + err.dropped, pid: child.pid });
    };
    // The shell is gone: nothing it left behind in its group may outlive it (and hold our pipes open).
    child.on('exit', killGroup);
    child.on('error', (error) => { err.add(Buffer.from(error.message)); settle(127, null); });
    child.on('close', settle);
  });
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
    if (room <= 0) { this.dropped += chunk.length; return; }
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
