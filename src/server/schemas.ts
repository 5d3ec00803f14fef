/**
 * The request bodies the server accepts, as JSON Schema: fastify validates each body with ajv
 * before a handler sees it, and /openapi.json publishes the same objects. Every string and list
 * has a bound, so a valid body is also a small one; unknown fields are refused (a misspelled
 * option is a mistake to report, not to ignore).
 */

/** Longest task text: pages of prose, far past any real task, and a bound on the router's work. */
const MAX_TASK_CHARS = 100_000;
/** Changed files per request: a large pull request, bounded. */
const MAX_FILES = 10_000;
const MAX_PATH_CHARS = 4096;
const ID = { type: 'string', minLength: 1, maxLength: 200 } as const;
const FILES = { type: 'array', maxItems: MAX_FILES, items: { type: 'string', minLength: 1, maxLength: MAX_PATH_CHARS } } as const;
const TASK = { type: 'string', maxLength: MAX_TASK_CHARS } as const;
const PROVIDERS = {
  provider: { type: 'string', minLength: 1, maxLength: 100 },
  fallback: { type: 'array', maxItems: 20, items: { type: 'string', minLength: 1, maxLength: 100 } },
} as const;

/** POST /v1/route: the options of `codex-flow route`. */
export const ROUTE_BODY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    task: TASK,
    files: FILES,
    top: { type: 'integer', minimum: 1, maximum: 1000 },
    explain: { anyOf: [{ type: 'boolean' }, ID] },
    explore: { type: 'boolean' },
    seed: { type: 'integer', minimum: 0, maximum: 4294967295 },
    shadow: { type: 'boolean' },
    record: { type: 'boolean' },
    /** `route --rerank on|off`; absent follows `router.rerank`. */
    rerank: { type: 'boolean' },
  },
} as const;

/** POST /v1/feedback: the options of `codex-flow feedback`. */
export const FEEDBACK_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['route_id', 'ok'],
  properties: {
    route_id: ID,
    ok: { type: 'boolean' },
    agent: ID,
    latency_ms: { type: 'number', minimum: 0 },
    retries: { type: 'integer', minimum: 0 },
    tool_errors: { type: 'integer', minimum: 0 },
  },
} as const;

/** POST /v1/runs: one task, as `codex-flow run` takes it. */
export const RUN_BODY = {
  type: 'object',
  additionalProperties: false,
  properties: { task: TASK, files: FILES, agent: ID, alias: ID, prompt: TASK, dry_run: { type: 'boolean' }, ...PROVIDERS },
} as const;

/** POST /v1/swarms: a goal, as `codex-flow swarm` takes it (heuristic decomposer). */
export const SWARM_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['goal'],
  properties: {
    goal: { type: 'string', minLength: 1, maxLength: MAX_TASK_CHARS },
    dry_run: { type: 'boolean' },
    max_subtasks: { type: 'integer', minimum: 1, maximum: 200 },
    max_parallel: { type: 'integer', minimum: 1, maximum: 64 },
    budget_usd: { type: 'number', exclusiveMinimum: 0 },
    ...PROVIDERS,
  },
} as const;

/** POST /v1/generate: the HTTP provider protocol, version 1 (src/providers/http-protocol.ts). */
export const GENERATE_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['protocol', 'messages'],
  properties: {
    protocol: { const: 1 },
    model: { type: 'string', maxLength: 200 },
    system: TASK,
    messages: {
      type: 'array',
      minItems: 1,
      maxItems: 1000,
      items: { type: 'object', required: ['role'], properties: { role: { enum: ['user', 'assistant', 'tool'] } } },
    },
    tools: {
      type: 'array',
      maxItems: 200,
      items: {
        type: 'object',
        required: ['name', 'parameters'],
        properties: { name: ID, description: { type: 'string' }, parameters: { type: 'object' } },
      },
    },
    maxOutputTokens: { type: 'integer', minimum: 1 },
    temperature: { type: 'number', minimum: 0, maximum: 2 },
    stream: { type: 'boolean' },
  },
} as const;

/** `:id` of runs and swarms. */
export const ID_PARAMS = { type: 'object', required: ['id'], properties: { id: ID } } as const;

export interface RouteBody {
  task?: string;
  files?: string[];
  top?: number;
  explain?: boolean | string;
  explore?: boolean;
  seed?: number;
  shadow?: boolean;
  record?: boolean;
  rerank?: boolean;
}
export interface FeedbackBody {
  route_id: string;
  ok: boolean;
  agent?: string;
  latency_ms?: number;
  retries?: number;
  tool_errors?: number;
}
export interface RunBody {
  task?: string;
  files?: string[];
  agent?: string;
  alias?: string;
  prompt?: string;
  dry_run?: boolean;
  provider?: string;
  fallback?: string[];
}
export interface SwarmBody {
  goal: string;
  dry_run?: boolean;
  max_subtasks?: number;
  max_parallel?: number;
  budget_usd?: number;
  provider?: string;
  fallback?: string[];
}
