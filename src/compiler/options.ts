/**
 * Every default of the compiler, resolved in one place. The config file's `compiler:` section and
 * command-line flags override these; nothing else in the compiler invents a default.
 */
import type { AgentDefinition } from '../schema/definition.js';
import { DEFAULT_FLEET_DIR } from '../fleet/complete-fleet.js';
import type { CompilerConfig } from '../config/config.js';

export interface CompilerOptions {
  /** Project root: paths in outputs are relative to it. */
  root: string;
  /** Brief folder, relative to root. */
  src: string;
  /** Output folder, relative to root. */
  out: string;
  /** Globs (relative to src) of files that are never briefs. */
  exclude: string[];
  /** Folder names that say nothing about the domain (`plugins/x/agents/y.md` → domain `x`). */
  skipFolders: string[];
  /** Tools for briefs that declare none. Empty means deny by default. */
  defaultTools: string[];
  /** Model for briefs that name none. */
  defaultModel: string;
  /** Model names accepted besides the built-in aliases and id patterns. */
  models: string[];
  /** Domain for briefs directly in the source folder. */
  defaultDomain: string;
  /** SOURCE_DATE_EPOCH, when set: `generatedAt` comes from it. */
  sourceDateEpoch?: number;
}

/** Files that live among briefs in real collections but are documentation, not agents. */
export const DEFAULT_EXCLUDE = [
  '**/README.md',
  '**/SOURCE.md',
  '**/LICENSE.md',
  '**/CHANGELOG.md',
  '**/CONTRIBUTING.md',
  '**/CODE_OF_CONDUCT.md',
  '**/node_modules/**',
];

/** Folder names used by the two public collections and Claude Code plugins to group files. */
export const DEFAULT_SKIP_FOLDERS = ['agents', 'plugins', 'categories', '.claude'];

export type { CompilerConfig };

export function resolveCompilerOptions(
  root: string,
  config: CompilerConfig = {},
  flags: { src?: string; out?: string } = {},
  env: Record<string, string | undefined> = {},
): CompilerOptions {
  const epoch = env.SOURCE_DATE_EPOCH !== undefined ? Number.parseInt(env.SOURCE_DATE_EPOCH, 10) : Number.NaN;
  const options: CompilerOptions = {
    root,
    src: flags.src ?? config.src ?? '.claude/agents',
    out: flags.out ?? config.out ?? DEFAULT_FLEET_DIR,
    exclude: config.exclude ?? DEFAULT_EXCLUDE,
    skipFolders: config.skip_folders ?? DEFAULT_SKIP_FOLDERS,
    defaultTools: config.defaults?.tools ?? [],
    defaultModel: config.defaults?.model ?? 'inherit',
    models: config.models ?? [],
    defaultDomain: config.defaults?.domain ?? 'general',
  };
  if (Number.isFinite(epoch) && epoch >= 0) options.sourceDateEpoch = epoch;
  return options;
}

/** Timeout of a hook given as a bare command string. */
export const DEFAULT_HOOK_TIMEOUT_MS = 60_000;

type Sections = Omit<
  AgentDefinition,
  'schema_version' | 'agent' | 'capabilities' | 'responsibilities' | 'triggers' | 'prompt' | 'provenance'
>;

/**
 * The sections a brief rarely sets, with their defaults. Timeouts and limits are generous enough
 * for a real coding task (10 minutes, 50 tool steps) and small enough that a stuck agent is noticed.
 */
export function definitionDefaults(id: string): Sections {
  return {
    runtime: {
      execution_mode: 'agent-loop',
      autonomy_level: 1,
      concurrency: { max_parallel_tasks: 4, queue_strategy: 'fifo' },
      resource_limits: { cpu: 1, memory_mb: 1024, disk_mb: 512 },
      heartbeat_interval_ms: 15_000,
      timeout_ms: 600_000,
      max_steps: 50,
    },
    workflow: { startup_script: null, setup_tasks: [], teardown_tasks: [], dependencies: { runtime: [], packages: [] } },
    memory: {
      retention: { short_term: '24h', long_term: '30d' },
      namespaces: [`agent/${id}`],
      sharing_policy: { share_with: [], redact: ['api_key', 'password', 'secret', 'token'] },
    },
    metrics: {
      tracked: ['avg_latency_ms', 'success_rate', 'tasks_completed', 'tool_errors'],
      thresholds: { heartbeat_miss: 3, failure_rate_pct: 20 },
      escalation: { notify: [] },
    },
    hooks: { pre_task: [], post_task: [], failure: [] },
    testing: { verification_policy: 'none' },
    observability: {
      log_level: 'info',
      log_channels: ['file:.codex-flow/logs/agents.jsonl'],
      tracing: { enabled: false, sample_rate: 0.1 },
    },
  };
}
