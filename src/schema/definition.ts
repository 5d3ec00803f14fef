/**
 * The compiled agent definition: the single source of truth for both the JSON Schema that ships
 * in `schema/codex-agent.schema.json` (written by `npm run schema`, checked by a test) and the
 * TypeScript type `AgentDefinition`. Every object rejects unknown keys.
 *
 * @example
 * import { AgentDefinitionSchema, type AgentDefinition } from 'codex-flow';
 */
import { Type, type Static } from 'typebox';

/** Bumped when a definition changes shape incompatibly; readers refuse other versions. */
export const SCHEMA_VERSION = 1;
export const SCHEMA_ID = 'urn:codex-flow:schema:codex-agent:1';
export const SCHEMA_FILE_NAME = 'codex-agent.schema.json';

const strict = { additionalProperties: false } as const;
const Text = Type.String({ minLength: 1 });
const TextList = Type.Array(Text);
const Slug = Type.String({ pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$', maxLength: 128 });
const Unit = Type.Number({ minimum: 0, maximum: 1 });
const Duration = Type.String({ pattern: '^[0-9]+(ms|s|m|h|d)$', description: 'a duration such as 30m, 24h or 7d' });

export const HookSchema = Type.Object(
  {
    run: Text,
    timeout_ms: Type.Integer({ minimum: 1 }),
  },
  strict,
);

export const AgentSectionSchema = Type.Object(
  {
    id: Slug,
    name: Text,
    classification: Type.Object(
      {
        domain: Slug,
        subdomain: Type.Optional(Slug),
        tier: Type.Union([Type.Literal('specialist'), Type.Literal('generalist'), Type.Literal('coordinator')]),
        /** Which model chain serves the agent (config `providers.tiers`); absent in fleets compiled before tiers: inferred when read. */
        workload: Type.Optional(Type.Union([Type.Literal('orchestrator'), Type.Literal('reasoning'), Type.Literal('coding'), Type.Literal('librarian')])),
      },
      strict,
    ),
    description: Text,
    long_description: Type.Optional(Text),
    model: Text,
    color: Type.Optional(Text),
    /** Front-matter keys codex-flow does not know, kept verbatim rather than lost. */
    extensions: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  strict,
);

export const RuntimeSchema = Type.Object(
  {
    execution_mode: Type.Union([Type.Literal('agent-loop'), Type.Literal('single-shot')]),
    /** 0 advice only · 1 proposes changes · 2 edits files · 3 edits and runs commands · 4 unattended. */
    autonomy_level: Type.Integer({ minimum: 0, maximum: 4 }),
    concurrency: Type.Object(
      {
        max_parallel_tasks: Type.Integer({ minimum: 1, maximum: 1024 }),
        queue_strategy: Type.Union([Type.Literal('fifo'), Type.Literal('lifo'), Type.Literal('priority')]),
      },
      strict,
    ),
    resource_limits: Type.Object(
      {
        cpu: Type.Number({ exclusiveMinimum: 0, maximum: 256 }),
        memory_mb: Type.Integer({ minimum: 16 }),
        disk_mb: Type.Integer({ minimum: 0 }),
      },
      strict,
    ),
    heartbeat_interval_ms: Type.Integer({ minimum: 100 }),
    timeout_ms: Type.Integer({ minimum: 1 }),
    max_steps: Type.Integer({ minimum: 1, maximum: 10_000 }),
  },
  strict,
);

export const CapabilitiesSchema = Type.Object(
  {
    core: TextList,
    detail: Type.Object(
      {
        languages: TextList,
        frameworks: TextList,
        domains: TextList,
        tools: Type.Object({ allowed: TextList, restricted: TextList }, strict),
      },
      strict,
    ),
    quality: Type.Object({ reliability: Unit, responsiveness: Unit, quality: Unit }, strict),
  },
  strict,
);

export const RegexTriggerSchema = Type.Object(
  {
    pattern: Type.String({ minLength: 1, maxLength: 1024 }),
    priority: Type.Integer({ minimum: 1, maximum: 10 }),
  },
  strict,
);

export const TriggersSchema = Type.Object(
  {
    keywords: TextList,
    regex: Type.Array(RegexTriggerSchema),
    file_patterns: TextList,
    delegations: Type.Object({ prefers: Type.Array(Slug), complements: Type.Array(Slug) }, strict),
  },
  strict,
);

export const WorkflowSchema = Type.Object(
  {
    startup_script: Type.Union([Text, Type.Null()]),
    setup_tasks: TextList,
    teardown_tasks: TextList,
    dependencies: Type.Object({ runtime: TextList, packages: TextList }, strict),
  },
  strict,
);

export const MemorySchema = Type.Object(
  {
    retention: Type.Object({ short_term: Duration, long_term: Duration }, strict),
    namespaces: TextList,
    sharing_policy: Type.Object({ share_with: TextList, redact: TextList }, strict),
  },
  strict,
);

export const MetricsSchema = Type.Object(
  {
    tracked: TextList,
    thresholds: Type.Object(
      {
        heartbeat_miss: Type.Integer({ minimum: 1 }),
        failure_rate_pct: Type.Number({ minimum: 0, maximum: 100 }),
      },
      strict,
    ),
    escalation: Type.Object({ notify: TextList }, strict),
  },
  strict,
);

export const HooksSchema = Type.Object(
  {
    pre_task: Type.Array(HookSchema),
    post_task: Type.Array(HookSchema),
    failure: Type.Array(HookSchema),
  },
  strict,
);

export const TestingSchema = Type.Object(
  {
    smoke: Type.Optional(Text),
    integration: Type.Optional(Text),
    verification_policy: Type.Union([Type.Literal('none'), Type.Literal('smoke'), Type.Literal('full')]),
  },
  strict,
);

export const ObservabilitySchema = Type.Object(
  {
    log_level: Type.Union([Type.Literal('debug'), Type.Literal('info'), Type.Literal('warn'), Type.Literal('error')]),
    log_channels: TextList,
    tracing: Type.Object({ enabled: Type.Boolean(), sample_rate: Unit }, strict),
  },
  strict,
);

export const PromptSchema = Type.Object(
  {
    /** The brief's Markdown body: the agent's system prompt. */
    system: Type.String(),
  },
  strict,
);

export const ProvenanceSchema = Type.Object(
  {
    /** Path of the brief relative to the project root, with forward slashes. */
    source: Text,
    /** `sha256:` of the brief's bytes as read. */
    hash: Type.String({ pattern: '^sha256:[0-9a-f]{64}$' }),
  },
  strict,
);

export const AgentDefinitionSchema = Type.Object(
  {
    schema_version: Type.Literal(SCHEMA_VERSION),
    agent: AgentSectionSchema,
    runtime: RuntimeSchema,
    capabilities: CapabilitiesSchema,
    responsibilities: Type.Object({ primary: TextList, secondary: TextList }, strict),
    triggers: TriggersSchema,
    workflow: WorkflowSchema,
    memory: MemorySchema,
    metrics: MetricsSchema,
    hooks: HooksSchema,
    testing: TestingSchema,
    observability: ObservabilitySchema,
    prompt: PromptSchema,
    provenance: ProvenanceSchema,
  },
  { ...strict, $id: SCHEMA_ID, title: 'codex-flow agent definition' },
);

export type AgentDefinition = Static<typeof AgentDefinitionSchema>;
export type RegexTrigger = Static<typeof RegexTriggerSchema>;
export type Hook = Static<typeof HookSchema>;

/** Section names in output order: the order a person reads a definition in. */
export const SECTION_ORDER = [
  'schema_version', 'agent', 'runtime', 'capabilities', 'responsibilities', 'triggers', 'workflow',
  'memory', 'metrics', 'hooks', 'testing', 'observability', 'prompt', 'provenance',
] as const;

/** The JSON Schema document as shipped: draft 2020-12, with `$schema` first. */
export function definitionJsonSchema(): Record<string, unknown> {
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', ...JSON.parse(JSON.stringify(AgentDefinitionSchema)) };
}
