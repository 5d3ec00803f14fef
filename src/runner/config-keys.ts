/**
 * The keys the `runner:` section knows, for "unknown key" warnings (CF8010) with a did-you-mean
 * hint: a misspelled `max_queud` silently falling back to the default is the kind of mistake that
 * only shows up in production. `*` stands for any name (aliases, MCP servers).
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { closest } from '../util/closest.js';

type Shape = { [key: string]: Shape | true };

const RUNNER_SHAPE: Shape = {
  aliases: { '*': { id: true, overrides: true, max_queued: true } },
  queue: { max_queued: true },
  workspace: true,
  runs_dir: true,
  memory: { dir: true, redis_url: true, required: true, context_entries: true },
  hooks: { timeout_ms: true, env: true, approve: true },
  env: { pass: true, agents: true },
  tools: {
    bash: { timeout_ms: true, blocked_patterns: true, extra_blocked_patterns: true },
    webfetch: { enabled: true, max_bytes: true, timeout_ms: true },
    max_output_bytes: true,
    max_read_bytes: true,
    mcp: { '*': { command: true, timeout_ms: true, env: true } },
    protected: true,
  },
  limits: { memory: true, cpu_time: true, disk: true },
  sandbox: { enabled: true, network: true, max_processes: true, protected_paths: true },
};

/** CF8010 warnings for keys of `config` that the runner does not read. */
export function unknownRunnerKeys(config: unknown, shape: Shape = RUNNER_SHAPE, path = 'runner'): Diagnostic[] {
  if (!config || typeof config !== 'object' || Array.isArray(config)) return [];
  const out: Diagnostic[] = [];
  for (const [key, value] of Object.entries(config)) {
    const child = shape[key] ?? shape['*'];
    if (child === undefined) {
      const guess = closest(key, Object.keys(shape));
      out.push(
        diagnostic(
          'CF8010',
          `unknown key \`${path}.${key}\`; ignored`,
          undefined,
          guess ? { hint: `did you mean \`${path}.${guess}\`?` } : {},
        ),
      );
    } else if (child !== true) {
      out.push(...unknownRunnerKeys(value, child, `${path}.${key}`));
    }
  }
  return out;
}
