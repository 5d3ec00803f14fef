/**
 * Bash: a shell command in the workspace, inside the command sandbox (sandbox.ts: read-only
 * system, control paths read-only, no network, a process cap) with its whole tree killed on
 * timeout or abort (process.ts). That is what holds. Before it runs, the command is checked
 * against the blocked patterns (runner.tools.bash.blocked_patterns, RE2) and its redirections
 * against the workspace; a match is refused with the reason, which tells the model early what the
 * sandbox would stop anyway: shell syntax has too many spellings for a pattern list to protect.
 * Without a sandbox, `--strict-tools` refuses every command.
 */
import { isAbsolute, resolve } from 'node:path';
import RE2 from 're2';
import { runShell } from '../process.js';
import { done, fail, objectSchema, refuse, refusedBy, str, type ToolImpl } from './types.js';

/** Paths a command may always write to: they are not files. */
const HARMLESS_TARGETS = new Set(['/dev/null', '/dev/stdout', '/dev/stderr']);
/** Redirection targets and tee arguments (a heuristic over the text, documented as such). */
const REDIRECT_TARGET = /(?:>{1,2}|\btee\s+(?:-a\s+)?)\s*("[^"]+"|'[^']+'|[^\s;&|<>]+)/g;

const compiled = new WeakMap<readonly string[], Array<{ source: string; regex: RE2 }>>();

/** Blocked patterns compiled once per options object; a pattern RE2 rejects is skipped. */
export function blockedPatterns(patterns: readonly string[]): Array<{ source: string; regex: RE2 }> {
  let list = compiled.get(patterns);
  if (!list) {
    list = [];
    for (const source of patterns) {
      try {
        list.push({ source, regex: new RE2(source) });
      } catch {
        /* reported by the plan */
      }
    }
    compiled.set(patterns, list);
  }
  return list;
}

/** Why a command must not run, or undefined when it may. */
export function commandRefusal(
  command: string,
  patterns: readonly string[],
  workspaceRoot: string,
  contains: (path: string) => boolean,
): string | undefined {
  for (const { source, regex } of blockedPatterns(patterns)) {
    if (regex.test(command)) return `the command matches a blocked pattern (${source})`;
  }
  for (const match of command.matchAll(REDIRECT_TARGET)) {
    const raw = match[1]!.replace(/^["']|["']$/g, '');
    if (raw.startsWith('&') || HARMLESS_TARGETS.has(raw)) continue;
    const path = raw.startsWith('~') ? '/home' : isAbsolute(raw) ? raw : resolve(workspaceRoot, raw);
    if (!contains(resolve(path))) return `the command writes outside the workspace (${raw})`;
  }
  return undefined;
}

export const bashTool: ToolImpl = {
  name: 'Bash',
  spec: {
    name: 'Bash',
    description: 'Run a bash command in the workspace. Commands that outlive the call are killed.',
    parameters: objectSchema(
      {
        command: { type: 'string' },
        timeout: { type: 'integer', minimum: 1, description: 'milliseconds' },
        description: { type: 'string' },
      },
      ['command'],
    ),
  },
  async run(input, context) {
    const command = str(input, 'command');
    if (!command?.trim()) return fail('command is required');
    if (command.includes('\0')) return fail('the command contains a NUL byte, which no program can receive');
    const reason = commandRefusal(command, context.options.bash.blockedPatterns, context.workspace.root, (path) =>
      context.workspace.contains(path),
    );
    if (reason) return refuse(reason);
    const isolation = context.isolation;
    if (context.strictTools && isolation?.unsandboxed !== undefined)
      return refuse(`no sandbox for commands (${isolation.unsandboxed}); --strict-tools runs no command outside one`);
    const asked = typeof input.timeout === 'number' && input.timeout > 0 ? input.timeout : context.options.bash.timeoutMs;
    const timeoutMs = Math.max(1, Math.min(asked, context.options.bash.timeoutMs, context.remainingMs()));
    const result = await runShell(command, {
      cwd: context.workspace.root,
      env: context.env,
      timeoutMs,
      signal: context.signal,
      maxOutputBytes: context.options.maxOutputBytes,
      limits: context.limits,
      ...(isolation?.sandbox ? { sandbox: isolation.sandbox } : {}),
      ...(isolation?.maxProcesses ? { maxProcesses: isolation.maxProcesses } : {}),
    });
    // A command that reached for a control path is a policy refusal: audited as outside the
    // allow-list, and a stop under --strict-tools, like a file tool writing one.
    const reached = [
      ...(result.removedProtected.length > 0
        ? [`the command created control paths, which were removed: ${result.removedProtected.join(', ')}`]
        : []),
      ...result.violations,
    ];
    if (reached.length > 0) return refusedBy({ reason: reached.join('; '), policy: true });
    const output = {
      exit_code: result.code,
      stdout: result.stdout,
      stderr: result.stderr,
      ...(result.timedOut ? { timed_out_after_ms: timeoutMs } : {}),
    };
    if (result.aborted) return fail('the task was stopped while the command ran; its processes were killed');
    if (result.timedOut)
      return { ok: false, error: `timed out after ${timeoutMs} ms; its processes were killed\n${result.stdout}${result.stderr}` };
    return result.code === 0 ? done(output) : { ok: false, error: JSON.stringify(output) };
  },
};
