/**
 * A user's shell around the installed package: a project folder whose node_modules is the
 * installed one, its own HOME and TMPDIR (a fresh pair is a cold machine: no compile cache, no
 * npm state), an environment built from nothing but PATH (so nothing of the test runner's leaks
 * in), and a runner that starts the real bin as a process with a bounded wait.
 *
 * Every run is checked for the one thing no command may ever do: exit 70 or print
 * "internal error" (a bug of ours that escaped as a crash).
 *
 * @example
 * const shell = userShell(inject('packedInstall'), 'cold');
 * const route = await shell.cli(['route', 'add a GraphQL resolver']);
 */
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import type { PackedInstall } from './packed-install.js';

/** Exit code of a bug in codex-flow (bin/codex-flow.js): never acceptable from any command. */
export const EXIT_INTERNAL = 70;
/** A command that has not ended by then is hung: a bounded wait, generous for a loaded CI machine. */
const COMMAND_TIMEOUT_MS = 45_000;

export interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** `code`, the command, stdout and stderr: what an assertion message should show. */
  transcript: string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
  /** A command that runs until stopped (`--watch`): SIGINT once its output matches, as Ctrl-C would. */
  interruptWhen?: RegExp;
}

export interface UserShell {
  /** The user's project folder. */
  project: string;
  /** The installed bin, as npm linked it. */
  bin: string;
  env: Record<string, string>;
  /** Runs `codex-flow <args>` in the project (or `cwd`). */
  cli(args: string[], options?: RunOptions): Promise<Outcome>;
  /** Runs one command line with `sh -c`, `codex-flow` on PATH, as a README reader types it. */
  sh(line: string, options?: RunOptions): Promise<Outcome>;
  /** Every outcome so far, in order. */
  history: Outcome[];
}

/** A new project folder named `name` under the e2e root, with its own HOME and TMPDIR. */
export function userShell(install: PackedInstall, name: string): UserShell {
  const base = join(install.root, name);
  const project = join(base, 'project');
  const home = join(base, 'home');
  const temp = join(base, 'tmp');
  for (const folder of [project, home, temp]) mkdirSync(folder, { recursive: true });
  symlinkSync(join(install.installDir, 'node_modules'), join(project, 'node_modules'), 'dir');
  writeFileSync(join(project, 'package.json'), readFileSync(join(install.installDir, 'package.json')));
  const bin = join(project, 'node_modules/.bin/codex-flow');
  const env: Record<string, string> = {
    PATH: `${join(project, 'node_modules/.bin')}:${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
    HOME: home,
    TMPDIR: temp,
    LANG: 'C.UTF-8',
  };
  const history: Outcome[] = [];
  const start = (command: string, args: string[], display: string, options: RunOptions) =>
    run(command, args, display, { ...options, cwd: options.cwd ?? project, env: { ...env, ...options.env } }).then((outcome) => {
      history.push(outcome);
      expectNoInternalError(outcome);
      return outcome;
    });
  return {
    project,
    bin,
    env,
    history,
    cli: (args, options = {}) => start(bin, args, `codex-flow ${args.map(quote).join(' ')}`, options),
    sh: (line, options = {}) => start('/bin/sh', ['-c', line], line, options),
  };
}

export function expectNoInternalError(outcome: Outcome): void {
  expect(outcome.code, outcome.transcript).not.toBe(EXIT_INTERNAL);
  expect(outcome.stdout + outcome.stderr, outcome.transcript).not.toMatch(/internal error/i);
  expect(outcome.signal, outcome.transcript).toBeNull();
}

function run(command: string, args: string[], display: string, options: RunOptions & { cwd: string }): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: definedOnly(options.env ?? {}),
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    // Its own process group, so a command that does not end is killed with everything it started.
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        /* already gone */
      }
    };
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let interrupted = false;
    const interruptIfDue = () => {
      if (interrupted || !options.interruptWhen?.test(Buffer.concat([...stdout, ...stderr]).toString('utf8'))) return;
      interrupted = true;
      // Ctrl-C reaches the command `sh` started; sh then exits with the command's status, which
      // is what the test checks (signalling sh too would kill it first and hide that status).
      interruptChildrenOf(child.pid!);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      interruptIfDue();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr.push(chunk);
      interruptIfDue();
    });
    const timer = setTimeout(() => signalGroup('SIGKILL'), COMMAND_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const out = Buffer.concat(stdout).toString('utf8');
      const err = Buffer.concat(stderr).toString('utf8');
      const ending = signal ? `signal ${signal}${signal === 'SIGKILL' ? ` (no end within ${COMMAND_TIMEOUT_MS} ms)` : ''}` : `exit ${code}`;
      const transcript = `$ ${display}   (in ${options.cwd})\n→ ${ending}\n--- stdout\n${out}--- stderr\n${err}`;
      resolve({ code, signal, stdout: out, stderr: err, transcript });
    });
    child.stdin.on('error', () => {}); // a command that never reads stdin may close it first
    child.stdin.end(options.input ?? '');
  });
}

/**
 * SIGINT to the processes `pid` started. Linux lists them in /proc without any tool (a slim CI
 * image may lack procps); elsewhere `pkill -P` does it.
 */
function interruptChildrenOf(pid: number): void {
  let children: number[];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    execFile('pkill', ['-INT', '-P', String(pid)], () => {});
    return;
  }
  for (const child of children) {
    try {
      process.kill(child, 'SIGINT');
    } catch {
      /* already gone */
    }
  }
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
