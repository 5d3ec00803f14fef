/**
 * `codex-flow hook user-prompt`: Claude Code's UserPromptSubmit hook (docs/integrations.md). Reads
 * the hook's JSON on stdin and, when the route is confident, prints the context that tells Claude
 * which subagent to use and why; prints nothing when unsure. It never blocks a prompt: whatever
 * happens (bad input, no fleet, a broken route, a bug of ours) it exits 0 within the time cap,
 * silent on stdout, with at most one line on stderr.
 */
import type { Command } from 'commander';
import { CODES } from '../../diagnostics/codes.js';
import { EXIT_OK, UsageError, type CommandIO } from '../io.js';

/** The whole hook's time cap, stdin included: short enough that a user never waits on it. */
export const DEFAULT_HOOK_TIMEOUT_MS = 1500;
/** Kept back from the cap for printing and exiting after the route is killed. */
const EXIT_RESERVE_MS = 40;

export interface HookOptions {
  /** Starts the CLI for the local route; default: this process's node, its flags and launcher. */
  cliCommand?: readonly string[];
}

function timeoutMs(env: Record<string, string | undefined>): number {
  const value = Number(env.CODEX_FLOW_HOOK_TIMEOUT_MS);
  return Number.isFinite(value) && value >= 100 && value <= 60_000 ? value : DEFAULT_HOOK_TIMEOUT_MS;
}

/** Reads stdin until it ends or the deadline passes (then stops reading it, so the process can end). */
async function readStdinBy(io: CommandIO, deadline: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((settle) => {
    timer = setTimeout(() => settle(undefined), Math.max(0, deadline - Date.now()));
  });
  const text = await Promise.race([io.readStdin?.() ?? Promise.resolve(''), late]);
  clearTimeout(timer);
  if (text === undefined) io.closeStdin?.();
  return text;
}

export async function runHookUserPrompt(io: CommandIO, options: HookOptions = {}): Promise<number> {
  const deadline = Date.now() + timeoutMs(io.env) - EXIT_RESERVE_MS;
  const say = (code: keyof typeof CODES, reason: string) =>
    io.stderr(`codex-flow hook: ${code} ${CODES[code].title}: ${reason.replace(/\s+/g, ' ')}\n`);
  try {
    const stdin = await readStdinBy(io, deadline);
    if (stdin === undefined) {
      say('CF9545', 'stdin did not end within the time cap');
      return EXIT_OK;
    }
    const { answerUserPrompt } = await import('../../integrations/user-prompt-hook.js');
    const answer = await answerUserPrompt(stdin, {
      cwd: io.invocationDir ?? io.cwd,
      env: io.env,
      deadline,
      now: Date.now,
      // The node and launcher running this hook start the local route too (flags included: a test's loader).
      cliCommand: options.cliCommand ?? [process.execPath, ...process.execArgv, process.argv[1] ?? ''],
    });
    if (answer.kind === 'hint') io.stdout(answer.stdout);
    if (answer.kind === 'silent') say(answer.code, answer.reason);
  } catch (error) {
    // A bug of ours still must not block the user's prompt: said as one, on one line.
    io.stderr(
      `codex-flow hook: internal error (a bug in codex-flow, not in your input): ${String((error as Error)?.message ?? error).split('\n')[0]}\n`,
    );
  }
  return EXIT_OK;
}

/**
 * `hook route`, the child the hook routes with when no server answers (integrations/local-route.ts):
 * `{"task", "top"}` on stdin, the `route --json` body on stdout, exit as `route`. Not for people.
 */
export async function runHookRoute(io: CommandIO): Promise<number> {
  let request: { task?: unknown; top?: unknown };
  try {
    request = JSON.parse((await io.readStdin?.()) ?? '') as typeof request;
  } catch {
    throw new UsageError('hook route reads {"task": "...", "top": 3} on stdin');
  }
  if (typeof request?.task !== 'string') throw new UsageError('hook route reads {"task": "...", "top": 3} on stdin');
  const top = typeof request.top === 'number' ? String(request.top) : undefined;
  const { runRoute } = await import('./route.js');
  // A hook answers within its own short timeout: a model call (the router.rerank reranker, the
  // router.embeddings query or fleet embedding) would miss it, so neither runs here.
  return runRoute(io, [request.task], {
    json: true,
    record: false,
    explore: 'off',
    staleCheck: false,
    rerank: 'off',
    embeddings: 'off',
    ...(top ? { top } : {}),
  });
}

export function register(program: Command, io: CommandIO, setExit: (code: number) => void): void {
  const hook = program
    .command('hook')
    .description('Claude Code hooks (docs/integrations.md); `codex-flow init --claude-hooks` installs them');
  hook
    .command('user-prompt')
    .description(
      'UserPromptSubmit hook: reads the hook JSON on stdin, prints which subagent to use when the route is confident; always exits 0',
    )
    .action(async () => setExit(await runHookUserPrompt(io)));
  hook
    .command('route', { hidden: true })
    .description('the hook\'s own route: {"task", "top"} on stdin, the route --json body on stdout')
    .action(async () => setExit(await runHookRoute(io)));
}
