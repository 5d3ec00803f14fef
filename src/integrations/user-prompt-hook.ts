/**
 * Answering Claude Code's UserPromptSubmit hook, in its two forms.
 * - Command form (`codex-flow hook user-prompt`, answerUserPrompt): parse the stdin, find the
 *   project from its `cwd`, route the prompt (the server CODEX_FLOW_SERVER names first, for at
 *   most SERVER_TIMEOUT_MS; else the CLI as a child process, killed at the deadline), and answer with
 *   the hook output when the route is confident. Every failure is a value with a diagnostic code,
 *   for one line on stderr; nothing here decides the exit code, which is always 0.
 * - HTTP form (`"type": "http"`, userPromptHookReply): Claude Code POSTs the same JSON and reads a
 *   2xx answer's body as the command form's stdout (empty: nothing to add). This is that answer
 *   for a server that routes in process (`codex-flow serve` mounts it at USER_PROMPT_HOOK_PATH),
 *   with the same parse, rule and bytes, so both forms give Claude the same words.
 */
import { findProjectRoot } from '../config/project-root.js';
import { MAX_TASK_CHARS } from '../router/limits.js';
import type { RouteResult } from '../router/types.js';
import { confidentChoice } from './confidence.js';
import { readFleetAgents, type FleetAgent } from './fleet-agents.js';
import { contextFor, hookOutput, parseHookInput } from './claude-hook-protocol.js';
import { routeLocally } from './local-route.js';
import { askServer, serverUrl, type RouteBody } from './route-client.js';

/** A server on this machine answers a route in milliseconds; one slower than this is busy or not there. */
export const SERVER_TIMEOUT_MS = 150;
/** Candidates asked for: the margin needs the first two, the third costs nothing. */
const TOP = 3;

export interface HookDependencies {
  /** The folder the hook runs in: the project is looked for from the input's `cwd`, else from here. */
  cwd: string;
  env: Record<string, string | undefined>;
  /** Clock time (ms) by which the answer must be out: the local route is killed then. */
  deadline: number;
  now: () => number;
  /** Starts the CLI for the local route: [node, launcher] in the shipped bin. */
  cliCommand: readonly string[];
}

export type HookAnswer =
  | { kind: 'hint'; stdout: string; agent: string; via: 'server' | 'local' }
  | { kind: 'unsure'; via: 'server' | 'local' }
  | { kind: 'silent'; code: 'CF9545' | 'CF9546' | 'CF9547'; reason: string };

export async function answerUserPrompt(stdin: string, deps: HookDependencies): Promise<HookAnswer> {
  const parsed = parseHookInput(stdin, deps.cwd);
  if (!parsed.ok) return { kind: 'silent', code: 'CF9545', reason: parsed.reason };
  const root = findProjectRoot(parsed.input.cwd);
  const fleet = await readFleetAgents(root);
  if (!fleet.ok) return { kind: 'silent', code: 'CF9546', reason: fleet.reason };
  const task = parsed.input.prompt.slice(0, MAX_TASK_CHARS);
  if (task.trim() === '') return { kind: 'unsure', via: 'local' };

  let body: RouteBody | undefined;
  let via: 'server' | 'local' = 'server';
  const server = serverUrl(deps.env);
  if (server) {
    const wait = Math.min(SERVER_TIMEOUT_MS, deps.deadline - deps.now());
    // A server with router.rerank would call a model for each prompt and answer after `wait`.
    const answer = wait > 0 ? await askServer(server, deps.env.CODEX_FLOW_TOKEN, { task, top: TOP, rerank: false }, wait) : undefined;
    // A server of another project answers with agents this project does not have: not used.
    const result = answer?.kind === 'answer' && answer.body.ok ? answer.body.result : undefined;
    const servesThisFleet = result !== undefined && result.candidates.every((candidate) => fleet.agents.has(candidate.id));
    if (servesThisFleet && answer?.kind === 'answer') body = answer.body;
  }
  if (!body) {
    via = 'local';
    const local = await routeLocally(task, {
      command: deps.cliCommand,
      cwd: root,
      env: deps.env,
      timeoutMs: deps.deadline - deps.now(),
      top: TOP,
    });
    if (local.kind === 'failed') return { kind: 'silent', code: 'CF9547', reason: local.reason };
    body = local.body;
  }
  if (!body.ok || !body.result) {
    const error = body.diagnostics.find((found) => found.severity === 'error');
    return { kind: 'silent', code: 'CF9547', reason: error ? `${error.code}: ${error.message}` : 'the route answered without a result' };
  }
  const choice = confidentChoice(body.result);
  if (!choice) return { kind: 'unsure', via };
  const agent = fleet.agents.get(choice.id) ?? { id: choice.id, name: choice.id, description: '' };
  return { kind: 'hint', stdout: hookOutput(contextFor(choice, agent)), agent: choice.id, via };
}

/** Where a server answers the HTTP hook. */
export const USER_PROMPT_HOOK_PATH = '/v1/hooks/user-prompt';

export interface HookReply {
  /** 200 with a body or without; 400 for input that is not UserPromptSubmit JSON (Claude Code treats any non-2xx as a non-blocking error). */
  status: 200 | 400;
  body: string;
}

/**
 * @example userPromptHookReply(requestBody, (task) => router.route({ task }, { top: 3 }), (id) => agentsById.get(id))
 * // { status: 200, body: '{"hookSpecificOutput":{…}}\n' } or { status: 200, body: '' }
 */
export function userPromptHookReply(
  requestBody: string,
  route: (task: string) => Pick<RouteResult, 'candidates' | 'fallback'>,
  describe: (id: string) => FleetAgent | undefined,
): HookReply {
  // The server's folder stands in for a missing cwd: it serves one project whatever cwd says.
  const parsed = parseHookInput(requestBody, '/');
  if (!parsed.ok) return { status: 400, body: `${JSON.stringify({ error: parsed.reason })}\n` };
  const task = parsed.input.prompt.slice(0, MAX_TASK_CHARS);
  if (task.trim() === '') return { status: 200, body: '' };
  const choice = confidentChoice(route(task));
  if (!choice) return { status: 200, body: '' };
  const agent = describe(choice.id) ?? { id: choice.id, name: choice.id, description: '' };
  return { status: 200, body: hookOutput(contextFor(choice, agent)) };
}
