/**
 * `mcp__<server>__<tool>` tools. codex-flow does not speak the MCP protocol itself; a server is
 * usable only when the config names a bridge command for it (`runner.tools.mcp.<server>.command`).
 * The bridge gets `{"tool": "<tool>", "input": {...}}` on stdin and prints the result (JSON or
 * text) on stdout; exit 0 is success. It runs like Bash: workspace as cwd, process group killed
 * on timeout or abort, OS limits applied. Without a bridge the tool is reported unsupported and
 * never offered to the model.
 */
import { runShell } from '../process.js';
import { done, type ToolImpl } from './types.js';
import type { RunnerOptions } from '../options.js';

const MCP_NAME = /^mcp__([\w-]+)__([\w-]+)$/;

/** The server of an MCP tool name, or undefined when the name is not one. */
export function mcpServer(name: string): { server: string; tool: string } | undefined {
  const match = MCP_NAME.exec(name);
  return match ? { server: match[1]!, tool: match[2]! } : undefined;
}

/** A bridged MCP tool, or undefined when its server has no bridge configured. */
export function mcpTool(name: string, bridges: RunnerOptions['tools']['mcp']): ToolImpl | undefined {
  const parsed = mcpServer(name);
  const bridge = parsed ? bridges[parsed.server] : undefined;
  if (!parsed || !bridge) return undefined;
  return {
    name,
    spec: {
      name,
      description: `MCP tool ${parsed.tool} of server ${parsed.server} (through a configured bridge).`,
      parameters: { type: 'object' },
    },
    async run(input, context) {
      const result = await runShell(bridge.command, {
        cwd: context.workspace.root,
        env: { ...(context.envWith?.(bridge.env) ?? context.env), CF_MCP_SERVER: parsed.server, CF_MCP_TOOL: parsed.tool },
        timeoutMs: Math.max(1, Math.min(bridge.timeoutMs, context.remainingMs())),
        signal: context.signal,
        maxOutputBytes: context.options.maxOutputBytes,
        stdin: JSON.stringify({ tool: parsed.tool, input }),
        limits: context.limits,
        ...(context.isolation?.maxProcesses ? { maxProcesses: context.isolation.maxProcesses } : {}),
      });
      if (result.code !== 0)
        return {
          ok: false,
          error: `bridge exited with ${result.code ?? result.signal}${result.timedOut ? ' (timed out)' : ''}: ${result.stderr.trim()}`,
        };
      try {
        return done(JSON.parse(result.stdout));
      } catch {
        return done(result.stdout);
      }
    },
  };
}
