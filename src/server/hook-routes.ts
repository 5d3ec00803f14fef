/**
 * POST /v1/hooks/user-prompt: Claude Code's `UserPromptSubmit` hook in its HTTP form. The body is
 * the hook's input (`prompt`, `cwd`, `session_id`, …: other fields are Claude Code's and pass
 * unread); a confident match answers the hook output that adds context naming the subagent and
 * why, and anything else answers `{}` (nothing added). Never a block: even a server without a
 * fleet answers 200 `{}`, so a broken fleet cannot stop a user's prompt.
 */
import type { FastifyInstance } from 'fastify';
import type { Evidence } from '../router/types.js';
import type { ServerContext } from './context.js';

const HOOK_BODY = { type: 'object', required: ['prompt'], properties: { prompt: { type: 'string', maxLength: 100_000 } } } as const;

/** Evidence words quoted in the context: enough to say why, short enough to cost Claude few tokens. */
const MAX_REASONS = 3;

export function hookRoutes(app: FastifyInstance, _context: ServerContext): void {
  app.post<{ Body: { prompt: string } }>('/v1/hooks/user-prompt', { schema: { body: HOOK_BODY } }, (request) => {
    const served = request.served;
    const prompt = request.body.prompt.trim();
    if (!served || prompt === '') return {};
    const { result } = served.route({ task: prompt, files: [] }, { top: 1, record: false });
    const top = result.candidates[0];
    // A fallback (generalist, or similarity alone) is not confident: saying nothing beats a guess.
    if (!top || result.fallback || top.evidence.length === 0) return {};
    const reasons = [...new Set(top.evidence.map(reasonOf).filter((reason) => reason !== ''))].slice(0, MAX_REASONS);
    return {
      hookSpecificOutput: {
        hookEventName: 'UserPromptSubmit',
        additionalContext: `codex-flow routing: the \`${top.id}\` subagent fits this request${reasons.length ? ` (matched ${reasons.join(', ')})` : ''}; delegate to it with the Task tool unless the user says otherwise. Route ${result.routeId}, fleet ${served.hash}.`,
      },
    };
  });
}

function reasonOf(evidence: Evidence): string {
  switch (evidence.stage) {
    case 'keyword':
      return `"${evidence.keyword}"`;
    case 'mention':
      return `"${evidence.alias}"`;
    case 'files':
      return evidence.glob;
    case 'regex':
      return `"${evidence.text}"`;
    default:
      return '';
  }
}
