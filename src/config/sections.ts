/**
 * The one registry of codex-flow.config.yaml's sections: for each top-level key, its JSON Schema,
 * the code its problems carry and their severity. The loader (config.ts) checks every section of
 * the file against it in one pass and reports each problem at its key or value (check-section.ts),
 * so a file with mistakes in three sections gets three diagnostics in one run. Library callers
 * that hand a section to a subsystem directly get the same check without positions (check-plain.ts).
 *
 * Severity follows what the subsystem does with a bad value: `error` where it would refuse to
 * start (compiler, router, learning, server: the command stops, exit 1), `warning` where it drops
 * the value and runs on its default (runner, providers, queue). Unknown keys follow the section's
 * severity; an unknown section is a CF9002 warning. docs/configuration.md is generated from here.
 * Schemas load lazily: TypeBox (the compiler's) is hundreds of module files, and a bare `route` must start fast.
 */
import type { DiagnosticCode } from '../diagnostics/codes.js';

/** A problem a schema cannot state (a sum of fields), at its key path under the section. */
export interface RuleProblem {
  path: string[];
  message: string;
  hint?: string;
}

export interface SectionSpec {
  /** The code of a problem in this section (unknown key, wrong type, bad value). */
  code: DiagnosticCode;
  /** The code of a problem under one sub-key, where that part has a code of its own (router.rerank, router.embeddings). */
  codes?: Readonly<Record<string, DiagnosticCode>>;
  /** An error drops the whole config (the command stops); a warning leaves the value to its default. */
  severity: 'error' | 'warning';
  /** The section's JSON Schema. */
  schema: () => Promise<object>;
  /** Rules across fields, run once the schema passes. */
  rules?: () => Promise<(section: unknown) => RuleProblem[]>;
  /** One line for the generated reference (docs/configuration.md). */
  summary: string;
}

export const SECTIONS: Readonly<Record<string, SectionSpec>> = {
  compiler: {
    code: 'CF9001',
    severity: 'error',
    schema: async () => (await import('./compiler-schema.js')).CompilerConfigSchema,
    summary: 'where briefs are read and the fleet is written, defaults for every agent',
  },
  router: {
    code: 'CF9001',
    codes: { rerank: 'CF3200', embeddings: 'CF3300' },
    severity: 'error',
    schema: async () => (await import('./router-schema.js')).RouterConfigSchema,
    summary: 'score weights, candidates shown, the semantic stage, the model reranker, embeddings (docs/routing.md)',
  },
  learning: {
    code: 'CF9001',
    severity: 'error',
    schema: async () => (await import('./learning-schema.js')).LearningConfigSchema,
    rules: async () => (await import('./learning-schema.js')).learningRules,
    summary: 'the bandit, the reward and autotuning (docs/learning.md)',
  },
  providers: {
    code: 'CF7001',
    severity: 'warning',
    schema: async () => (await import('./providers-schema.js')).ProvidersConfigSchema,
    summary: 'provider chain, failover, breaker, budget, definitions, models and tiers (docs/providers.md)',
  },
  runner: {
    code: 'CF8010',
    severity: 'warning',
    schema: async () => (await import('./runner-schema.js')).RunnerConfigSchema,
    summary: 'aliases, queue limits, workspace, memory, hooks, tools and the sandbox (docs/runner.md)',
  },
  server: {
    code: 'CF9511',
    severity: 'error',
    schema: async () => (await import('./server-schema.js')).ServerConfigSchema,
    summary: 'bearer tokens of `codex-flow serve` (docs/serve.md)',
  },
  queue: {
    code: 'CF8500',
    severity: 'warning',
    schema: async () => (await import('./providers-schema.js')).QueueConfigSchema,
    summary: 'the Redis task queue for `codex-flow worker` (docs/queue.md)',
  },
};

/** The code of a top-level key that names no section: a warning, the key is ignored. */
export const UNKNOWN_SECTION_CODE: DiagnosticCode = 'CF9002';
