/**
 * Aliases: `alias → {id, overrides}` from runner.aliases. An alias runs an agent of the fleet with
 * some fields changed (a shorter timeout, more parallel tasks, fewer tools) without touching the
 * compiled definition: overrides are deep-merged into a copy (objects merge, lists and scalars
 * replace, like the compiler's `codex:` block) and the copy is checked against the schema. Every
 * agent id is also an alias of itself, with no overrides.
 *
 * @example
 * const resolver = new AliasResolver(fleet, options);
 * const resolved = resolver.resolve('reviewer-fast'); // { ok: true, target: { alias, definition, lane } }
 */
import Ajv2020 from 'ajv/dist/2020.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { closest } from '../util/closest.js';
import { definitionJsonSchema, type AgentDefinition } from '../schema/definition.js';
import type { LaneOptions } from './scheduler.js';
import type { RunnerOptions } from './options.js';

/** What the runner needs of a fleet: definitions by id, and the ids. LoadedFleet fits via `runnerFleet`. */
export interface RunnerFleet {
  ids: readonly string[];
  definition(id: string): AgentDefinition | undefined;
}

export interface Target {
  alias: string;
  definition: AgentDefinition;
  lane: LaneOptions;
  overridden: boolean;
}

export type TargetResult = { ok: true; target: Target } | { ok: false; diagnostic: Diagnostic };

let validator: ReturnType<InstanceType<typeof Ajv2020.default>['compile']> | undefined;
function validate(definition: unknown): string | undefined {
  if (!validator) {
    const Ajv = Ajv2020 as unknown as typeof Ajv2020.default;
    validator = new Ajv({ allErrors: true, strict: false }).compile(definitionJsonSchema());
  }
  if (validator(definition)) return undefined;
  return (validator.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`).join('; ');
}

/** A deep copy of `base` with `overrides` merged in; neither input changes. */
export function mergeOverrides<T>(base: T, overrides: unknown): T {
  if (!isPlainObject(overrides) || !isPlainObject(base))
    return (overrides === undefined ? structuredClone(base) : structuredClone(overrides)) as T;
  const out: Record<string, unknown> = structuredClone(base) as Record<string, unknown>;
  for (const [key, value] of Object.entries(overrides)) out[key] = key in out ? mergeOverrides(out[key], value) : structuredClone(value);
  return out as T;
}

function withTuning(definition: AgentDefinition, tuned: { autonomy_level?: number; max_parallel_tasks?: number }): AgentDefinition {
  const copy = structuredClone(definition);
  const { runtime } = copy;
  if (tuned.autonomy_level !== undefined) runtime.autonomy_level = Math.max(0, Math.min(runtime.autonomy_level, tuned.autonomy_level));
  if (tuned.max_parallel_tasks !== undefined)
    runtime.concurrency.max_parallel_tasks = Math.max(1, Math.min(runtime.concurrency.max_parallel_tasks, tuned.max_parallel_tasks));
  return copy;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class AliasResolver {
  private readonly cache = new Map<string, TargetResult>();
  private readonly known: Set<string>;

  /**
   * @param tuned per agent id, `learning.autotune: apply`'s values (src/learn/tuning.ts): each lowers
   * the alias's own value, never raises it (the configured value is the cap).
   */
  constructor(
    private readonly fleet: RunnerFleet,
    private readonly options: RunnerOptions,
    private readonly tuned?: ReadonlyMap<string, { autonomy_level?: number; max_parallel_tasks?: number }>,
  ) {
    this.known = new Set(fleet.ids);
  }

  /** All alias names: configured aliases, then agent ids. */
  names(): string[] {
    return [...Object.keys(this.options.aliases).sort(), ...this.fleet.ids];
  }

  /** Resolves an alias name (configured, or an agent id). */
  resolve(name: string): TargetResult {
    let result = this.cache.get(name);
    if (!result) this.cache.set(name, (result = this.build(name)));
    return result;
  }

  private build(name: string): TargetResult {
    const configured = this.options.aliases[name];
    const id = configured?.id ?? name;
    const base = this.known.has(id) ? this.fleet.definition(id) : undefined;
    if (!base) {
      const what = configured ? `alias "${name}" names agent "${id}", which is not in the fleet` : `no agent or alias "${name}"`;
      const guess = closest(id, [...this.known, ...(configured ? [] : Object.keys(this.options.aliases))]);
      return { ok: false, diagnostic: diagnostic('CF8002', what, undefined, guess ? { hint: `did you mean "${guess}"?` } : {}) };
    }
    let definition = base;
    const overridden = configured !== undefined && Object.keys(configured.overrides).length > 0;
    if (overridden) {
      definition = mergeOverrides(base, configured.overrides);
      const problem = validate(definition);
      if (problem) return { ok: false, diagnostic: diagnostic('CF8003', `alias "${name}": ${problem}`) };
    }
    const tuned = this.tuned?.get(id);
    if (tuned) definition = withTuning(definition, tuned);
    const { max_parallel_tasks, queue_strategy } = definition.runtime.concurrency;
    const maxQueued = configured?.maxQueued ?? this.options.queue.maxQueued;
    return {
      ok: true,
      target: { alias: name, definition, overridden, lane: { limit: max_parallel_tasks, strategy: queue_strategy, maxQueued } },
    };
  }
}
