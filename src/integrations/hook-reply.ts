/**
 * Claude Code's HTTP hook form (`"type": "http"`): Claude Code POSTs the same UserPromptSubmit
 * JSON the command form reads on stdin, and reads a 2xx answer's body as the command form's
 * stdout (an empty body: nothing to add). This is that answer for a server that routes in
 * process (`codex-flow serve` mounts it at USER_PROMPT_HOOK_PATH): the same parse, confidence
 * rule and context as `codex-flow hook user-prompt`, so both forms give Claude the same words.
 *
 * @example userPromptHookReply(requestBody, (task) => router.route({ task }, { top: 3 }), (id) => agentsById.get(id))
 * // { status: 200, body: '{"hookSpecificOutput":{…}}\n' } or { status: 200, body: '' }
 */
import { MAX_TASK_CHARS } from '../router/limits.js';
import type { RouteResult } from '../router/types.js';
import { confidentChoice } from './confidence.js';
import type { FleetAgent } from './fleet-agents.js';
import { contextFor, hookOutput } from './hook-context.js';
import { parseHookInput } from './hook-input.js';

/** Where a server answers the HTTP hook. */
export const USER_PROMPT_HOOK_PATH = '/v1/hooks/user-prompt';

export interface HookReply {
  /** 200 with a body or without; 400 for input that is not UserPromptSubmit JSON (Claude Code treats any non-2xx as a non-blocking error). */
  status: 200 | 400;
  body: string;
}

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
