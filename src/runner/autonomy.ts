/**
 * What `autonomy_level` means at run time. A tool call that writes files needs level 2
 * (`AUTONOMY_TO_WRITE`), one that runs commands level 3 (`AUTONOMY_TO_RUN`); read-only tools
 * (Read, Grep, Glob, LS, WebFetch, TodoWrite) need nothing. Every `mcp__<server>__<tool>` call runs
 * the server's configured bridge command, which can do anything a shell can, so it needs level 3. Below the
 * level, the call runs only when `runner.hooks.approve` commands approve it (every one exits 0;
 * anything else, a timeout included, refuses); without such a hook it is refused (CF5100) and the
 * model gets the refusal as the tool's result. The level comes from the definition, or from the
 * tuned value when `learning.autotune` is `apply` (src/learn/tuning.ts).
 *
 * @example
 * const gate = autonomyGate('debugger', 1, approveWith(hooks));
 * await gate.check('Write', { file_path: 'a.ts' }); // { ok: false, code: 'CF5100', reason: 'Write writes files: …' }
 */
/** Tools that change files. */
export const FILE_WRITING_TOOLS: ReadonlySet<string> = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']);
/** Tools that run commands. */
export const COMMAND_TOOLS: ReadonlySet<string> = new Set(['Bash', 'BashOutput', 'KillShell']);
/** Below this level a file write needs approval. */
export const AUTONOMY_TO_WRITE = 2;
/** Below this level a command needs approval. */
export const AUTONOMY_TO_RUN = 3;

/** An MCP tool: its call runs a configured bridge command. */
export function isBridgeTool(tool: string): boolean {
  return tool.startsWith('mcp__');
}

/** The level a tool call needs to run unasked, and what it does; undefined for read-only tools. */
export function autonomyNeeded(tool: string): { level: number; does: 'writes files' | 'runs commands' } | undefined {
  if (COMMAND_TOOLS.has(tool) || isBridgeTool(tool)) return { level: AUTONOMY_TO_RUN, does: 'runs commands' };
  if (FILE_WRITING_TOOLS.has(tool)) return { level: AUTONOMY_TO_WRITE, does: 'writes files' };
  return undefined;
}

/**
 * Asks the approval hooks: true approves, false or `{ refused }` (why, e.g. a hook that could not
 * be started) refuses, undefined when none is configured.
 */
export type Approver = (call: {
  tool: string;
  input: unknown;
  level: number;
  needed: number;
}) => Promise<boolean | { refused: string } | undefined>;

export type GateDecision = { ok: true; approved?: true } | { ok: false; code: 'CF5100'; reason: string };

export interface AutonomyGate {
  readonly level: number;
  check(tool: string, input: unknown): Promise<GateDecision>;
}

export function autonomyGate(agent: string, level: number, approve?: Approver): AutonomyGate {
  return {
    level,
    async check(tool, input) {
      const needed = autonomyNeeded(tool);
      if (!needed || level >= needed.level) return { ok: true };
      const answer = approve ? await approve({ tool, input, level, needed: needed.level }) : undefined;
      if (answer === true) return { ok: true, approved: true };
      const why =
        typeof answer === 'object'
          ? answer.refused
          : answer === false
            ? 'the runner.hooks.approve hook refused it'
            : 'no runner.hooks.approve hook is configured to approve it';
      return {
        ok: false,
        code: 'CF5100',
        reason: `${tool} ${needed.does}: it needs autonomy_level ≥ ${needed.level}, ${agent} runs at ${level}, and ${why}`,
      };
    },
  };
}
