/**
 * The keys the `runner:` section knows, as a JSON Schema for the section registry (sections.ts):
 * unknown keys become CF8010 warnings with a did-you-mean hint, since a misspelled `max_queud`
 * silently falling back to the default only shows up in production. Values are the runner's to
 * check (runner/options.ts, with their defaults), so the schema only closes each mapping and
 * says where a mapping is expected; `*` stands for any name (aliases, MCP servers).
 */

export type KeyShape = { [key: string]: KeyShape | true };

export const RUNNER_KEYS: KeyShape = {
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

/**
 * A schema that closes every mapping of `shape` and says nothing of other values: `if` an object,
 * `then` only the known keys (a wrong type is the resolver's to report, with its default). With
 * `typed`, a nested mapping given as something else (`tools: [bash]`, which a resolver would read
 * as "nothing set") is reported too; YAML's empty value stays allowed there.
 */
export function keysSchema(shape: KeyShape, typed = false, nested = false): object {
  const { '*': any, ...named } = shape;
  const child = (value: KeyShape | true) => (value === true ? true : keysSchema(value, typed, true));
  const properties = Object.fromEntries(Object.entries(named).map(([key, value]) => [key, child(value)]));
  const closed = { type: 'object', properties, additionalProperties: any === undefined ? false : child(any) };
  if (typed && nested) return { ...closed, type: ['object', 'null'] };
  return { if: { type: 'object' }, then: closed };
}

export const RunnerConfigSchema = keysSchema(RUNNER_KEYS, true);
