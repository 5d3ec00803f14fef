/**
 * Hooks: `pre_task`, `post_task` and `failure` shell commands of a definition, run in order in
 * the workspace with a timeout (the hook's `timeout_ms`, capped by runner.hooks.timeout_ms), in
 * their own process group (killed as a group when they overrun).
 *
 * Exit 0 allows. Exit 2 from a `pre_task` hook blocks the task (later pre_task hooks do not run).
 * An `approve_tool` hook approves a tool call with exit 0 only: any other exit or a timeout refuses it.
 * Anything else — another exit code, a timeout, exit 2 from post_task/failure — is a warning and
 * the task goes on. Output is captured (capped) for the run record. A hook that created a control
 * path or replaced a link to one (undone by the sandbox, control-mounts.ts) carries
 * `control_violations`, and the task records a `control-path-violation` event for it.
 *
 * Environment: the allow-listed part of the runner's (`childEnvironment`: PATH, HOME, LANG, LC_*,
 * TERM, TMPDIR, and what runner.env and runner.hooks.env name), plus:
 *   CF_HOOK        pre_task | post_task | failure
 *   CF_RUN_ID      the run id;  CF_RUN_DIR  the run record folder
 *   CF_AGENT_ID    the agent;   CF_ALIAS    the alias it runs under
 *   CF_TASK        the task text;  CF_TASK_HASH  sha256 of (agent, task, files)
 *   CF_WORKSPACE   the workspace root
 *   CF_OK, CF_STOP_REASON  (post_task and failure only) 1/0 and the stop reason
 *   CF_TOOL, CF_AUTONOMY, CF_AUTONOMY_NEEDED  (approve_tool only) the call and the levels; the call's
 *   JSON input is on stdin, and in CF_TOOL_INPUT too when it is small (an environment string over
 *   128 KiB would keep the hook from starting)
 *
 * @example
 * const { blocked, runs } = await runHooks('pre_task', definition.hooks.pre_task, context);
 */
import type { Hook } from '../schema/definition.js';
import type { ShellIsolation } from './isolation.js';
import { runShell, type ShellLimits } from './process.js';

/** `approve_tool`: the `runner.hooks.approve` commands asked about one tool call below the agent's autonomy level (autonomy.ts). */
export type HookPhase = 'pre_task' | 'post_task' | 'failure' | 'approve_tool';

/** The exit code by which a pre_task hook says "do not run this task". */
export const HOOK_BLOCK_EXIT = 2;
/** The exit code of a command that could not be started (the shell's "not found", or a failed spawn). */
export const HOOK_NOT_STARTED_EXIT = 127;

export interface HookContext {
  cwd: string;
  env: Record<string, string | undefined>;
  vars: Record<string, string>;
  maxTimeoutMs: number;
  maxOutputBytes: number;
  signal?: AbortSignal;
  limits?: ShellLimits;
  /** Sandbox and process cap (isolation.ts); absent runs hooks unisolated. */
  isolation?: ShellIsolation;
  /** Given to each hook on its stdin (approve_tool: the call's JSON input). */
  stdin?: string;
  /** Epoch ms after which no hook may still run (the task's deadline); absent: only each hook's timeout. */
  deadline?: number;
}

export interface HookRun {
  phase: HookPhase;
  run: string;
  verdict: 'allow' | 'block' | 'warn';
  exit_code: number | null;
  timed_out: boolean;
  ms: number;
  stdout: string;
  stderr: string;
  /** The hook could not be started (exit 127: the command was not found, or the spawn failed). */
  unstarted?: true;
  /** What the hook did to control paths (created, or a link replaced), undone since; absent when nothing. */
  control_violations?: string[];
}

export async function runHooks(
  phase: HookPhase,
  hooks: readonly Hook[],
  context: HookContext,
): Promise<{ blocked: boolean; runs: HookRun[] }> {
  const runs: HookRun[] = [];
  for (const hook of hooks) {
    const started = performance.now();
    const remaining = context.deadline === undefined ? Infinity : context.deadline - Date.now();
    const timeoutMs = Math.max(1, Math.min(hook.timeout_ms, context.maxTimeoutMs, remaining));
    const result = await runShell(hook.run, {
      cwd: context.cwd,
      env: { ...context.env, ...context.vars, CF_HOOK: phase },
      timeoutMs,
      maxOutputBytes: context.maxOutputBytes,
      signal: context.signal,
      limits: context.limits,
      ...(context.stdin !== undefined ? { stdin: context.stdin } : {}),
      ...(context.isolation?.sandbox ? { sandbox: context.isolation.sandbox } : {}),
      ...(context.isolation?.maxProcesses ? { maxProcesses: context.isolation.maxProcesses } : {}),
    });
    const verdict =
      result.code === 0 && !result.timedOut
        ? 'allow'
        : phase === 'approve_tool' || (phase === 'pre_task' && result.code === HOOK_BLOCK_EXIT && !result.timedOut)
          ? 'block'
          : 'warn';
    const reached = [...result.removedProtected.map((path) => `created ${path}, removed`), ...result.violations];
    runs.push({
      phase,
      run: hook.run,
      verdict,
      exit_code: result.code,
      timed_out: result.timedOut,
      ms: Math.round(performance.now() - started),
      stdout: result.stdout,
      stderr: result.stderr,
      ...(result.code === HOOK_NOT_STARTED_EXIT ? { unstarted: true as const } : {}),
      ...(reached.length > 0 ? { control_violations: reached } : {}),
    });
    if (verdict === 'block') return { blocked: true, runs };
  }
  return { blocked: false, runs };
}
