/**
 * The JSON Claude Code writes on a `UserPromptSubmit` hook's stdin: `prompt`, `cwd`, `session_id`,
 * `transcript_path`, `permission_mode`, `hook_event_name`. Only `prompt` is required here (a
 * person trying the hook by hand types less); a `cwd` that is not absolute is read from the
 * folder the hook runs in. Bad input is a value, never a throw: the hook must stay silent on it.
 *
 * @example parseHookInput('{"prompt":"add a resolver","cwd":"/repo"}', '/tmp') // { ok: true, input: { prompt: 'add a resolver', cwd: '/repo', ... } }
 */
import { isAbsolute, resolve } from 'node:path';

export interface UserPromptInput {
  prompt: string;
  /** Absolute: the folder the project is looked for from. */
  cwd: string;
  sessionId?: string;
  event: string;
}

export type ParsedHookInput = { ok: true; input: UserPromptInput } | { ok: false; reason: string };

/** The hook event this command answers; another event's input is refused. */
export const USER_PROMPT_EVENT = 'UserPromptSubmit';

export function parseHookInput(text: string, fallbackCwd: string): ParsedHookInput {
  if (text.trim() === '') return { ok: false, reason: 'empty stdin' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `stdin is not JSON (${(error as Error).message})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: 'stdin is not a JSON object' };
  const record = value as Record<string, unknown>;
  const event = record.hook_event_name ?? USER_PROMPT_EVENT;
  if (event !== USER_PROMPT_EVENT) return { ok: false, reason: `hook_event_name is ${JSON.stringify(event)}, not ${USER_PROMPT_EVENT}` };
  if (typeof record.prompt !== 'string') return { ok: false, reason: '"prompt" is missing or not a string' };
  if (record.cwd !== undefined && typeof record.cwd !== 'string') return { ok: false, reason: '"cwd" is not a string' };
  const cwd = typeof record.cwd === 'string' && record.cwd !== '' ? record.cwd : fallbackCwd;
  return {
    ok: true,
    input: {
      prompt: record.prompt,
      cwd: isAbsolute(cwd) ? cwd : resolve(fallbackCwd, cwd),
      ...(typeof record.session_id === 'string' ? { sessionId: record.session_id } : {}),
      event: USER_PROMPT_EVENT,
    },
  };
}
