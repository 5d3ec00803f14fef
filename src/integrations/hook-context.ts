/**
 * What the hook prints on a confident match: Claude Code's hook output JSON, whose
 * `hookSpecificOutput.additionalContext` is added to Claude's context beside the prompt. It names
 * the subagent, says why in a line of description and up to MAX_EVIDENCE pieces of evidence, and
 * leaves the user the last word ("unless the user asked otherwise"). Deterministic: the same route
 * gives the same bytes.
 *
 * @example hookOutput(contextFor(choice, agent)) // '{"hookSpecificOutput":{"hookEventName":"UserPromptSubmit","additionalContext":"…"}}\n'
 */
import { describeEvidence } from '../router/format.js';
import type { ConfidentChoice } from './confidence.js';
import type { FleetAgent } from './fleet-agents.js';
import { USER_PROMPT_EVENT } from './hook-input.js';

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
