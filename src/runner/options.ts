/**
 * Every default of the runner, resolved in one place from the `runner:` section of
 * codex-flow.config.yaml. Each tuning constant is named and says why it has its value; nothing
 * else under src/runner/ invents a default.
 *
 * @example
 * const { options, diagnostics } = resolveRunnerOptions(config.runner);
 * options.queue.maxQueued; // 256 unless the config says otherwise
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { unknownRunnerKeys } from './config-keys.js';
import { compileGlob, isGlobPattern } from '../util/glob-compile.js';

/** Tasks waiting per alias before new work is rejected: enough to absorb a CI burst (a few hundred
 *  changed files), small enough that a runaway producer hears "no" before memory grows unbounded. */
export const DEFAULT_MAX_QUEUED_PER_ALIAS = 256;
/** A hook is a lint or a notification, not a build: a minute covers `npm run lint` on a large
 *  project and stops a hung hook from holding a task slot forever. */
export const DEFAULT_HOOK_TIMEOUT_MS = 60_000;
/** One Bash call runs a test file or a build step; two minutes covers those, and the task's own
 *  `timeout_ms` still caps the total. */
export const DEFAULT_BASH_TIMEOUT_MS = 120_000;
/** Output a model can use is a few screens; past 64 KiB it is noise that costs tokens, so the rest
 *  is cut with a marker. The same cap applies to hook output kept in the run record. */
export const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024;
/** Read/Grep stop at 1 MiB per file: source files are smaller, and bigger ones are data a model
 *  should not be fed whole. */
export const DEFAULT_MAX_READ_BYTES = 1024 * 1024;
/** WebFetch: a documentation page fits in 512 KiB; a bigger body is cut rather than buffered. */
export const DEFAULT_WEBFETCH_MAX_BYTES = 512 * 1024;
/** WebFetch: a page that has not arrived in 15 s will not help the model in time. */
export const DEFAULT_WEBFETCH_TIMEOUT_MS = 15_000;
/** A protected entry is a path or a glob, never a program: longer ones are refused as mistakes. */
export const MAX_PROTECTED_ENTRY_CHARS = 512;
/** An environment variable name as a shell writes it. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Processes and threads one sandboxed command may hold at once: a test run with a few Node
 *  workers (each ~10 threads) fits; a fork bomb stops here instead of taking the machine. */
export const DEFAULT_MAX_PROCESSES = 512;
/** Memory entries put into the prompt: recent context, not the whole history (tokens cost money). */
export const DEFAULT_MEMORY_CONTEXT_ENTRIES = 8;

/**
 * Bash commands refused before they run, with the pattern as the reason. A denylist is a message,
 * not a protection (the command sandbox does the real work): it names the classic accidents —
 * wiping the root or home, piping a download into a shell, fork bombs, raw disk writes — before
 * the sandbox would stop them with a less readable error.
 */
export const DEFAULT_BLOCKED_PATTERNS: readonly string[] = [
  String.raw`\brm\s+(-[a-zA-Z]*[rf][a-zA-Z]*\s+)+(/|~|\$HOME)(\s|$|/\*)`,
  String.raw`\b(curl|wget)\b[^|;&]*\|\s*(sudo\s+)?(ba|z|da|k)?sh\b`,
  String.raw`:\(\)\s*\{\s*:\|:&\s*\};:`,
  String.raw`\bmkfs(\.\w+)?\b`,
  String.raw`\bdd\b[^|;&]*\bof=/dev/`,
  String.raw`>\s*/dev/(sd|nvme|hd)`,
  String.raw`\bsudo\b`,
  String.raw`(^|[\s;&|])>{1,2}\s*(/(etc|usr|bin|sbin|boot|lib|var|root)\b|~/)`,
  String.raw`\bchmod\s+-R\s+777\s+/`,
];

export interface AliasConfig {
  id: string;
  /** Deep-merged over the compiled definition (objects merge, lists and scalars replace). */
  overrides?: Record<string, unknown>;
  /** Queue threshold for this alias (default: queue.max_queued). */
  max_queued?: number;
}

/** The `runner:` section as a user writes it. */
export interface RunnerConfig {
  aliases?: Record<string, AliasConfig>;
  queue?: { max_queued?: number };
  workspace?: string;
  runs_dir?: string;
  memory?: { dir?: string; redis_url?: string; required?: boolean; context_entries?: number };
  /** `approve`: commands asked about each tool call below the agent's autonomy level (autonomy.ts); exit 0 approves. */
  hooks?: { timeout_ms?: number; env?: string[]; approve?: string | string[] };
  /** Variables of the runner's environment passed to child processes beyond the allow-list (tools/policy.ts). */
  env?: { pass?: string[]; agents?: Record<string, string[]> };
  tools?: {
    bash?: { timeout_ms?: number; blocked_patterns?: string[]; extra_blocked_patterns?: string[] };
    webfetch?: { enabled?: boolean; max_bytes?: number; timeout_ms?: number };
    max_output_bytes?: number;
    max_read_bytes?: number;
    /** `mcp__<server>__*` tools: a bridge command per server (JSON input on stdin, result on stdout). */
    mcp?: Record<string, { command: string; timeout_ms?: number; env?: string[] }>;
    /**
     * More control files (paths or globs relative to the project root), on top of the defaults: no
     * file tool may change them and they are read-only in the command sandbox. The one list;
     * `sandbox.protected_paths` is an alias feeding it.
     */
    protected?: string[];
  };
  limits?: { memory?: 'enforce' | 'advisory'; cpu_time?: 'enforce' | 'advisory'; disk?: 'enforce' | 'advisory' };
  /** Bash and hooks in bubblewrap (src/runner/sandbox.ts). */
  sandbox?: {
    enabled?: boolean;
    network?: boolean | string[];
    max_processes?: number;
    /** Alias of `tools.protected` (its entries join that list), accepted so existing configs keep working. */
    protected_paths?: string[];
  };
}

export interface RunnerOptions {
  aliases: Record<string, { id: string; overrides: Record<string, unknown>; maxQueued: number }>;
  queue: { maxQueued: number };
  /** Relative to the project root unless absolute. */
  workspace: string;
  runsDir: string;
  /** `required`: an unreachable Redis fails the run (CF8021) instead of falling back to the files (CF8020). */
  memory: { dir: string; redisUrl: string | undefined; required: boolean; contextEntries: number };
  hookTimeoutMs: number;
  /** `runner.hooks.approve`: run in order for a tool call below the agent's autonomy level; all must exit 0. */
  approveHooks: Array<{ run: string; timeout_ms: number }>;
  /** Names passed to children beyond the allow-list: to all, to one agent's, to hooks only. */
  env: { pass: string[]; agents: Record<string, string[]>; hooks: string[] };
  tools: {
    bash: { timeoutMs: number; blockedPatterns: string[] };
    webfetch: { enabled: boolean; maxBytes: number; timeoutMs: number };
    maxOutputBytes: number;
    maxReadBytes: number;
    mcp: Record<string, { command: string; timeoutMs: number; env: string[] }>;
    /**
     * The configured control files (`tools.protected` and its alias `sandbox.protected_paths`),
     * added to `protectedEntries`' defaults (tools/protected.ts): file tools and the sandbox read this one list.
     */
    protected: string[];
  };
  limits: { memory: boolean; cpuTime: boolean; disk: boolean };
  sandbox: {
    /** false runs commands without a sandbox (a warning at start; Bash refused under --strict-tools). */
    enabled: boolean;
    /** true: every agent keeps the network; a list: those agents; false: none. */
    network: boolean | string[];
    maxProcesses: number;
    /** The same list as `tools.protected` (the alias is merged there); kept so readers of either see every entry. */
    protectedPaths: string[];
  };
}

/**
 * Resolves the runner's options; `env.MEM_REDIS_URL` selects the Redis memory store.
 * Unknown keys and bad values become CF8010 warnings and fall back to the default.
 */
export function resolveRunnerOptions(
  config: RunnerConfig | Record<string, unknown> = {},
  env: Record<string, string | undefined> = {},
): { options: RunnerOptions; diagnostics: Diagnostic[] } {
  const c = config as RunnerConfig;
  const diagnostics: Diagnostic[] = unknownRunnerKeys(config);
  const positive = (value: number | undefined, fallback: number, key: string): number => {
    if (value === undefined) return fallback;
    if (Number.isInteger(value) && value > 0) return value;
    diagnostics.push(diagnostic('CF8010', `runner.${key} must be a positive integer; using ${fallback}`));
    return fallback;
  };
  // 0 is a valid threshold: no waiting at all, a task runs now or is rejected.
  const queued = (value: number | undefined, fallback: number, key: string): number => (value === 0 ? 0 : positive(value, fallback, key));
  const maxQueued = queued(c.queue?.max_queued, DEFAULT_MAX_QUEUED_PER_ALIAS, 'queue.max_queued');
  const aliases: RunnerOptions['aliases'] = {};
  for (const [name, alias] of Object.entries(c.aliases ?? {})) {
    if (!alias || typeof alias.id !== 'string') {
      diagnostics.push(diagnostic('CF8010', `runner.aliases.${name} needs an \`id\` naming an agent; ignored`));
      continue;
    }
    aliases[name] = {
      id: alias.id,
      overrides: alias.overrides ?? {},
      maxQueued: queued(alias.max_queued, maxQueued, `aliases.${name}.max_queued`),
    };
  }
  const names = (value: unknown, key: string): string[] => {
    if (value === undefined) return [];
    const list = Array.isArray(value) ? value : [value];
    const good = list.filter((name): name is string => typeof name === 'string' && ENV_NAME.test(name));
    if (good.length !== list.length)
      diagnostics.push(diagnostic('CF8010', `runner.${key} must list environment variable names; ${list.length - good.length} ignored`));
    return good;
  };
  const bash = c.tools?.bash ?? {};
  const enforce = (value: 'enforce' | 'advisory' | undefined) => value !== 'advisory';
  const mcp: RunnerOptions['tools']['mcp'] = {};
  for (const [server, bridge] of Object.entries(c.tools?.mcp ?? {})) {
    if (typeof bridge?.command !== 'string' || !bridge.command.trim()) {
      diagnostics.push(diagnostic('CF8010', `runner.tools.mcp.${server} needs a \`command\`; the server stays unsupported`));
      continue;
    }
    mcp[server] = {
      command: bridge.command,
      timeoutMs: positive(bridge.timeout_ms, DEFAULT_BASH_TIMEOUT_MS, `tools.mcp.${server}.timeout_ms`),
      env: names(bridge.env, `tools.mcp.${server}.env`),
    };
  }
  const protectedList: string[] = [];
  const addProtected = (configured: unknown, key: string) => {
    if (configured === undefined) return;
    for (const entry of Array.isArray(configured) ? configured : [configured]) {
      if (typeof entry === 'string' && entry.trim() !== '' && entry.length <= MAX_PROTECTED_ENTRY_CHARS) {
        if (!protectedList.includes(entry.trim())) protectedList.push(entry.trim());
        const glob = isGlobPattern(entry) ? compileGlob(entry.trim()) : undefined;
        if (glob && !glob.ok)
          diagnostics.push(
            diagnostic(
              'CF8010',
              `runner.${key}: ${JSON.stringify(entry)} is not a glob RE2 can run (${glob.reason}); every file tool write is refused until it is fixed`,
            ),
          );
      } else
        diagnostics.push(
          diagnostic(
            'CF8010',
            `runner.${key}: ${JSON.stringify(entry)} is not a path or glob (a non-empty string of at most ${MAX_PROTECTED_ENTRY_CHARS} characters); ignored`,
          ),
        );
    }
  };
  // One list for file tools and the sandbox: sandbox.protected_paths is an alias that feeds it.
  addProtected(c.tools?.protected, 'tools.protected');
  addProtected(c.sandbox?.protected_paths, 'sandbox.protected_paths');
  const options: RunnerOptions = {
    aliases,
    queue: { maxQueued },
    workspace: c.workspace ?? '.',
    runsDir: c.runs_dir ?? '.runs',
    memory: {
      dir: c.memory?.dir ?? '.codex-flow/memory',
      redisUrl: c.memory?.redis_url ?? (env.MEM_REDIS_URL?.trim() || undefined),
      required: c.memory?.required === true,
      contextEntries: positive(c.memory?.context_entries, DEFAULT_MEMORY_CONTEXT_ENTRIES, 'memory.context_entries'),
    },
    hookTimeoutMs: positive(c.hooks?.timeout_ms, DEFAULT_HOOK_TIMEOUT_MS, 'hooks.timeout_ms'),
    approveHooks: approveHooks(c.hooks?.approve, diagnostics),
    env: {
      pass: names(c.env?.pass, 'env.pass'),
      agents: Object.fromEntries(Object.entries(c.env?.agents ?? {}).map(([id, list]) => [id, names(list, `env.agents.${id}`)])),
      hooks: names(c.hooks?.env, 'hooks.env'),
    },
    tools: {
      bash: {
        timeoutMs: positive(bash.timeout_ms, DEFAULT_BASH_TIMEOUT_MS, 'tools.bash.timeout_ms'),
        blockedPatterns: [...(bash.blocked_patterns ?? DEFAULT_BLOCKED_PATTERNS), ...(bash.extra_blocked_patterns ?? [])],
      },
      webfetch: {
        enabled: c.tools?.webfetch?.enabled ?? false,
        maxBytes: positive(c.tools?.webfetch?.max_bytes, DEFAULT_WEBFETCH_MAX_BYTES, 'tools.webfetch.max_bytes'),
        timeoutMs: positive(c.tools?.webfetch?.timeout_ms, DEFAULT_WEBFETCH_TIMEOUT_MS, 'tools.webfetch.timeout_ms'),
      },
      maxOutputBytes: positive(c.tools?.max_output_bytes, DEFAULT_MAX_OUTPUT_BYTES, 'tools.max_output_bytes'),
      maxReadBytes: positive(c.tools?.max_read_bytes, DEFAULT_MAX_READ_BYTES, 'tools.max_read_bytes'),
      mcp,
      protected: protectedList,
    },
    limits: { memory: enforce(c.limits?.memory), cpuTime: enforce(c.limits?.cpu_time), disk: enforce(c.limits?.disk) },
    sandbox: { ...sandboxOptions(c.sandbox ?? {}, positive, diagnostics), protectedPaths: protectedList },
  };
  return { options, diagnostics };
}

function approveHooks(value: unknown, diagnostics: Diagnostic[]): RunnerOptions['approveHooks'] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  const good = list.filter((run): run is string => typeof run === 'string' && run.trim() !== '');
  if (good.length !== list.length)
    diagnostics.push(diagnostic('CF8010', `runner.hooks.approve must list shell commands; ${list.length - good.length} ignored`));
  return good.map((run) => ({ run, timeout_ms: DEFAULT_HOOK_TIMEOUT_MS }));
}

function sandboxOptions(
  config: NonNullable<RunnerConfig['sandbox']>,
  positive: (value: number | undefined, fallback: number, key: string) => number,
  diagnostics: Diagnostic[],
): Omit<RunnerOptions['sandbox'], 'protectedPaths'> {
  const list = (value: unknown, key: string): string[] | undefined => {
    if (Array.isArray(value) && value.every((entry) => typeof entry === 'string')) return value as string[];
    diagnostics.push(diagnostic('CF8010', `runner.sandbox.${key} must be a list of strings; ignored`));
    return undefined;
  };
  let network: boolean | string[] = false;
  if (typeof config.network === 'boolean') network = config.network;
  else if (config.network !== undefined) network = list(config.network, 'network') ?? false;
  return {
    enabled: config.enabled !== false,
    network,
    maxProcesses: positive(config.max_processes, DEFAULT_MAX_PROCESSES, 'sandbox.max_processes'),
  };
}
