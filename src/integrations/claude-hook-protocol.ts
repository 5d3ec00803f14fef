/**
 * Claude Code's UserPromptSubmit hook protocol, both ways. In: the JSON Claude Code writes on the
 * hook's stdin (`prompt`, `cwd`, `session_id`, `transcript_path`, `permission_mode`,
 * `hook_event_name`); only `prompt` is required (a person trying the hook by hand types less), a
 * `cwd` that is not absolute is read from the folder the hook runs in, and bad input is a value,
 * never a throw. Out: the hook output JSON whose `hookSpecificOutput.additionalContext` Claude
 * reads beside the prompt: the subagent, a line of its description and up to MAX_EVIDENCE pieces
 * of evidence, leaving the user the last word. Deterministic: the same route gives the same bytes.
 *
 * @example parseHookInput('{"prompt":"add a resolver","cwd":"/repo"}', '/tmp') // { ok: true, input: { prompt: 'add a resolver', cwd: '/repo', ... } }
 * @example hookOutput(contextFor(choice, agent)) // '{"hookSpecificOutput":{"hookEventName":"UserPromptSubmit","additionalContext":"…"}}\n'
 */
import { isAbsolute, resolve } from 'node:path';
import { describeEvidence } from '../router/format.js';
import type { ConfidentChoice } from './confidence.js';
import type { FleetAgent } from './fleet-agents.js';

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

/** Evidence lines shown: enough to say why, few enough to stay a hint and not a report. */
const MAX_EVIDENCE = 3;
/** A brief's description can run to paragraphs; the hint keeps its first line, this long at most. */
const MAX_DESCRIPTION_CHARS = 300;

function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}

/** The context text Claude reads. */
export function contextFor(choice: ConfidentChoice, agent: FleetAgent): string {
  const { candidate } = choice;
  const lead = `${Math.round(choice.margin * 100)}% ahead of the next candidate`;
  const lines = [
    `codex-flow routed this prompt to the \`${agent.name}\` subagent (score ${candidate.score.toFixed(2)}, ${lead}).`,
    `Delegate the work to it with the Task tool (subagent_type: "${agent.name}") unless the user asked for something else.`,
  ];
  if (agent.description) lines.push(`${agent.name}: ${oneLine(agent.description, MAX_DESCRIPTION_CHARS)}`);
  const evidence = candidate.evidence.slice(0, MAX_EVIDENCE).map((found) => `- ${oneLine(describeEvidence(found), 200)}`);
  if (evidence.length > 0) lines.push('Why:', ...evidence);
  return lines.join('\n');
}

/** The hook's stdout for `context`: one JSON line. */
export function hookOutput(context: string): string {
  return `${JSON.stringify({ hookSpecificOutput: { hookEventName: USER_PROMPT_EVENT, additionalContext: context } })}\n`;
}
