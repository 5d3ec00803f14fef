/**
 * Tool names as briefs write them → the names the runner knows. Claude Code's tool set, the names
 * it has retired, and what to do with tokens that are not tools (MCP tools, agent names, junk).
 */

/** Tools Claude Code offers to subagents; the runner implements the ones it can. */
export const KNOWN_TOOLS = [
  'Agent',
  'Bash',
  'BashOutput',
  'Edit',
  'ExitPlanMode',
  'Glob',
  'Grep',
  'KillShell',
  'LS',
  'MultiEdit',
  'NotebookEdit',
  'NotebookRead',
  'Read',
  'SendMessage',
  'Skill',
  'SlashCommand',
  'Task',
  'TaskCreate',
  'TaskGet',
  'TaskList',
  'TaskUpdate',
  'TeamCreate',
  'TeamDelete',
  'TodoWrite',
  'WebFetch',
  'WebSearch',
  'Write',
] as const;

/** Retired names still found in briefs, mapped to what replaced them. `MultiEdit` and `LS` are
 * obsolete in Claude Code but still runnable here, so they are kept and only reported. */
export const OBSOLETE_TOOLS: Readonly<Record<string, string>> = { KillBash: 'KillShell' };
export const RETIRED_BUT_RUNNABLE = new Set(['MultiEdit', 'LS']);

/** Front-matter keys people write for `tools:`; other tools ignore them silently and grant everything. */
export const MISSPELLED_TOOL_KEYS = ['allowed-tools', 'allowedTools', 'allowed_tools', 'Tools', 'tool', 'allowed-tool'] as const;
export const DISALLOWED_TOOL_KEYS = ['disallowedTools', 'disallowed-tools', 'disallowed_tools', 'deniedTools', 'denied-tools'] as const;

/** Tools that change files: an agent with one of these edits (autonomy ≥ 2). */
export const WRITE_TOOLS = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']);
/** Tools that run commands (autonomy ≥ 3). */
export const EXEC_TOOLS = new Set(['Bash', 'BashOutput', 'KillShell']);

const byLowerCase = new Map<string, string>(KNOWN_TOOLS.map((tool) => [tool.toLowerCase(), tool]));

export type ToolKind = 'known' | 'obsolete' | 'mcp' | 'agent' | 'unknown';

export interface ClassifiedTool {
  token: string;
  name: string;
  kind: ToolKind;
}

/**
 * Splits a `tools:` value (comma string, list, or single string) into tokens. Pure.
 *
 * @example splitTools('Read, Grep,  Glob') // ['Read', 'Grep', 'Glob']
 */
export function splitTools(value: unknown): string[] | undefined {
  if (value === null || value === undefined) return [];
  if (typeof value === 'string')
    return value
      .split(/[,\n]/)
      .map((token) => token.trim())
      .filter((token) => token !== '');
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return value.flatMap((item) => splitTools(item) ?? []);
  }
  return undefined;
}

/** Classifies one token; `agentIds` lets an agent's name in `tools:` become a delegation. */
export function classifyTool(token: string, agentIds: ReadonlySet<string>): ClassifiedTool {
  if (OBSOLETE_TOOLS[token]) return { token, name: OBSOLETE_TOOLS[token]!, kind: 'obsolete' };
  const known = byLowerCase.get(token.toLowerCase());
  if (known) return { token, name: known, kind: known === token && !RETIRED_BUT_RUNNABLE.has(known) ? 'known' : 'obsolete' };
  if (/^mcp__[\w-]+(?:__[\w-]+)?$/.test(token)) return { token, name: token, kind: 'mcp' };
  if (agentIds.has(token)) return { token, name: token, kind: 'agent' };
  return { token, name: token, kind: 'unknown' };
}
