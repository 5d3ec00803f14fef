/**
 * POST /v1/hooks/user-prompt: Claude Code's `UserPromptSubmit` hook in its HTTP form. The answer
 * is userPromptHookReply's (src/integrations/user-prompt-hook.ts), routed on the request's served
 * fleet, so the HTTP form and the command form (`codex-flow hook user-prompt`) share one parse,
 * one confidence rule and the same bytes: the hook output on a confident match, an empty 200 when
 * unsure or without a fleet (a broken fleet never stops a prompt), a 400 for input that is not
 * UserPromptSubmit JSON (Claude Code takes any non-2xx as a non-blocking error).
 */
import type { FastifyInstance } from 'fastify';
import { userPromptHookReply, USER_PROMPT_HOOK_PATH } from '../integrations/user-prompt-hook.js';
import type { ServerContext } from './context.js';

/** Candidates asked for, as the command form asks: the confidence margin needs the first two. */
const HOOK_TOP = 3;

export function hookRoutes(app: FastifyInstance, _context: ServerContext): void {
  app.post<{ Body: unknown }>(USER_PROMPT_HOOK_PATH, (request, reply) => {
    const served = request.served;
    const answer = userPromptHookReply(
      JSON.stringify(request.body ?? null),
      // Explore off, as the command form routes: the same prompt gives the same bytes every time.
      (task) => (served ? served.route({ task, files: [] }, { top: HOOK_TOP, record: false, explore: false }).result : { candidates: [] }),
      (id) => served?.fleet.entry(id),
    );
    // The command form's stdout, byte for byte: JSON when there is a hint, nothing otherwise.
    return reply
      .code(answer.status)
      .type(answer.body === '' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8')
      .send(answer.body);
  });
}
