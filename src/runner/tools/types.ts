/**
 * What a tool is to the runner: a name the model sees (Claude Code's tool names), a JSON Schema
 * for its input, and a `run` that returns an outcome value — never throws for bad input. A tool
 * that declines to act (a path outside the workspace, a blocked command) says so with `refused`,
 * which the agent loop audits as a `tool-refused` event; a refusal by policy (`policy`, a protected
 * control file) is audited exactly like a call to a tool outside the allow-list.
 */
import type { ToolSpec } from '../../providers/provider.js';
import type { RunnerOptions } from '../options.js';
import type { ShellIsolation } from '../isolation.js';
import type { ShellLimits } from '../process.js';
import type { Workspace } from './workspace.js';

export interface ToolContext {
  workspace: Workspace;
  /** Aborted on the task's timeout or when the run is cancelled. */
  signal: AbortSignal;
  options: RunnerOptions['tools'];
  /** OS limits for child processes, from the definition's resource_limits. */
  limits: ShellLimits;
  /** Environment for child processes: the allow-list and the names the config passes to this agent. */
  env: Record<string, string | undefined>;
  /** `env` plus more names the config passes (an MCP bridge's own); absent: `env` alone. */
  envWith?: (names: readonly string[]) => Record<string, string | undefined>;
  /** Milliseconds left before the task's timeout. */
  remainingMs: () => number;
  /** TodoWrite's list, per task. */
  todos: unknown[];
  /** Sandbox and process cap for commands; absent runs them unisolated (library callers, tests). */
  isolation?: ShellIsolation;
  /** `--strict-tools`: no command runs without a sandbox. */
  strictTools?: boolean;
}

export type ToolOutcome = { ok: true; output: unknown } | { ok: false; error: string; refused?: string; policy?: true };

export interface ToolImpl {
  name: string;
  spec: ToolSpec;
  run(input: Record<string, unknown>, context: ToolContext): Promise<ToolOutcome>;
}

export const refuse = (reason: string): ToolOutcome => ({ ok: false, error: `refused: ${reason}`, refused: reason });
/**
 * A refusal from the workspace; `policy` (a protected control file) is audited like a tool
 * outside the allow-list: `outside_allow_list` in the record, and a stop under `--strict-tools`.
 */
export const refusedBy = (refusal: { reason: string; policy?: true }): ToolOutcome => ({
  ...refuse(refusal.reason),
  ...(refusal.policy ? { policy: true as const } : {}),
});
export const fail = (error: string): ToolOutcome => ({ ok: false, error });
export const done = (output: unknown): ToolOutcome => ({ ok: true, output });

/** A string input field, or undefined. */
export function str(input: Record<string, unknown>, key: string): string | undefined {
  const value = input[key];
  return typeof value === 'string' ? value : undefined;
}

export function objectSchema(properties: Record<string, unknown>, required: string[]): Record<string, unknown> {
  return { type: 'object', properties, required, additionalProperties: false };
}
