/**
 * Deny by default. An agent's tools are exactly `capabilities.detail.tools.allowed`, minus
 * `restricted`, minus what the runner cannot run here (an MCP server without a bridge, WebFetch
 * while the config keeps the network off, Claude Code tools with no runner implementation). Only
 * those reach the model; any other call is refused before anything executes, and the loop audits
 * it. `outsideAllowList` tells `--strict-tools` which refusals fail the task.
 *
 * @example
 * const plan = planTools(definition, options.tools);
 * const gate = plan.decide('Bash'); // { ok: false, reason: 'Bash is not in the allow-list of api-designer', outsideAllowList: true }
 */
import type { AgentDefinition } from '../../schema/definition.js';
import type { RunnerOptions } from '../options.js';
import { bashTool } from './bash.js';
import { editTool, lsTool, multiEditTool, readTool, writeTool } from './files.js';
import { mcpServer, mcpTool } from './mcp.js';
import { globTool, grepTool } from './search.js';
import { todoWriteTool } from './todo.js';
import type { ToolImpl } from './types.js';
import { webFetchTool } from './web.js';

/** The Claude Code tools this runner implements, by name. */
export const RUNNER_TOOLS: Readonly<Record<string, ToolImpl>> = Object.freeze(
  Object.fromEntries(
    [readTool, writeTool, editTool, multiEditTool, lsTool, globTool, grepTool, bashTool, webFetchTool, todoWriteTool].map((tool) => [
      tool.name,
      tool,
    ]),
  ),
);

export type ToolDecision = { ok: true; tool: ToolImpl } | { ok: false; reason: string; outsideAllowList: boolean };

export interface ToolPlan {
  /** Offered to the model, in the brief's order. */
  offered: ToolImpl[];
  /** Allowed by the brief but not offered, with the reason. */
  unavailable: Array<{ name: string; reason: string }>;
  restricted: string[];
  decide(name: string): ToolDecision;
}

export function planTools(definition: AgentDefinition, options: RunnerOptions['tools']): ToolPlan {
  const id = definition.agent.id;
  const { allowed, restricted } = definition.capabilities.detail.tools;
  const restrictedSet = new Set(restricted);
  const offered = new Map<string, ToolImpl>();
  const unavailable: ToolPlan['unavailable'] = [];
  for (const name of allowed) {
    if (restrictedSet.has(name) || offered.has(name)) continue;
    const tool = RUNNER_TOOLS[name] ?? mcpTool(name, options.mcp);
    const mcp = mcpServer(name);
    if (!tool)
      unavailable.push({
        name,
        reason: mcp
          ? `unsupported: no bridge for MCP server "${mcp.server}" (runner.tools.mcp.${mcp.server}.command)`
          : 'unsupported: the runner has no implementation of this tool',
      });
    else if (name === 'WebFetch' && !options.webfetch.enabled)
      unavailable.push({ name, reason: 'disabled: runner.tools.webfetch.enabled is false (no network by default)' });
    else offered.set(name, tool);
  }
  const allowedSet = new Set(allowed);
  const unavailableReasons = new Map(unavailable.map((entry) => [entry.name, entry.reason]));
  return {
    offered: [...offered.values()],
    unavailable,
    restricted: [...restricted],
    decide(name) {
      const tool = offered.get(name);
      if (tool) return { ok: true, tool };
      if (restrictedSet.has(name)) return { ok: false, reason: `${name} is restricted for ${id}`, outsideAllowList: true };
      if (!allowedSet.has(name)) return { ok: false, reason: `${name} is not in the allow-list of ${id}`, outsideAllowList: true };
      return { ok: false, reason: `${name} is ${unavailableReasons.get(name) ?? 'unavailable'}`, outsideAllowList: false };
    },
  };
}

/**
 * The variables every tool, hook and bridge process gets: enough for a shell, a compiler and a
 * locale to work. Nothing else of the runner's environment passes unless the config names it
 * (`runner.env`), because a blocklist of secret-looking names misses `DATABASE_URL`,
 * `MEM_REDIS_URL` or `GITHUB_PAT`.
 */
export const CHILD_ENV_ALLOWED: readonly string[] = ['PATH', 'HOME', 'LANG', 'TERM', 'TMPDIR'];
/** Locale variables (`LC_ALL`, `LC_CTYPE`, …) pass by prefix. */
const LOCALE_VARIABLE = /^LC_[A-Z_]+$/;

/**
 * The environment of a child process: the allow-list, the locale variables and the names the
 * config passes explicitly, taken from `env`; everything else of `env` is left out.
 *
 * @example childEnvironment({ PATH: '/bin', OPENAI_API_KEY: 'sk-…', CI: '1' }, ['CI']) // { PATH: '/bin', CI: '1' }
 */
export function childEnvironment(
  env: Record<string, string | undefined>,
  passed: readonly string[] = [],
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  const named = new Set([...CHILD_ENV_ALLOWED, ...passed]);
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && (named.has(name) || LOCALE_VARIABLE.test(name))) out[name] = value;
  }
  return out;
}
