/**
 * Every default of a swarm, resolved in one place from the command's flags. Invalid values are
 * usage errors (`SwarmOptionError`), reported by the CLI with exit 2 before anything is opened.
 *
 * @example const options = resolveSwarmOptions({ maxParallel: '4', budgetUsd: '2.50' });
 */

/** Subtasks a plan may have unless --max-subtasks says otherwise: a goal a person writes in one
 *  line splits into a handful; fifty is a project plan, and more is a queue's job. */
export const DEFAULT_MAX_SUBTASKS = 50;
/** Hard cap on --max-subtasks: the plan is held, validated and reported in memory at once. */
export const MAX_SUBTASKS_LIMIT = 1_000;
/** Subtasks in flight at once across the swarm unless --max-parallel says otherwise; per-alias
 *  limits still apply below it. Eight keeps a laptop's provider quota and terminal readable. */
export const DEFAULT_MAX_PARALLEL = 8;
/** Characters of dependency results a dependent subtask's prompt receives in all: room for a few
 *  summaries and file lists, small next to any model's context. */
export const DEFAULT_CONTEXT_CHARS = 6_000;

/** Times a reviewer's `fail` sends a subtask's work back before the subtask fails: one second
 *  chance with the review attached catches most fixable misses without looping on a hard one. */
export const DEFAULT_MAX_REVISIONS = 1;

export interface SwarmOptions {
  maxSubtasks: number;
  maxRevisions: number;
  maxParallel: number;
  /** null: the provider budget of the config or CODEX_FLOW_BUDGET_USD, if any. */
  budgetUsd: number | null;
  contextChars: number;
}

export interface SwarmOptionFlags {
  maxSubtasks?: string | number;
  maxParallel?: string | number;
  budgetUsd?: string | number;
  contextChars?: string | number;
  maxRevisions?: string | number;
}

export class SwarmOptionError extends Error {
  override readonly name = 'SwarmOptionError';
}

export function resolveSwarmOptions(flags: SwarmOptionFlags): SwarmOptions {
  return {
    maxSubtasks: integer(flags.maxSubtasks, '--max-subtasks', DEFAULT_MAX_SUBTASKS, MAX_SUBTASKS_LIMIT),
    maxRevisions:
      flags.maxRevisions === undefined || Number(flags.maxRevisions) !== 0
        ? integer(flags.maxRevisions, '--max-revisions', DEFAULT_MAX_REVISIONS, 10)
        : 0,
    maxParallel: integer(flags.maxParallel, '--max-parallel', DEFAULT_MAX_PARALLEL, Number.MAX_SAFE_INTEGER),
    budgetUsd: flags.budgetUsd === undefined ? null : positive(flags.budgetUsd, '--budget-usd'),
    contextChars: integer(flags.contextChars, 'contextChars', DEFAULT_CONTEXT_CHARS, Number.MAX_SAFE_INTEGER),
  };
}

function integer(value: string | number | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new SwarmOptionError(`${name} needs a positive integer, not "${value}"`);
  if (number > max) throw new SwarmOptionError(`${name} is at most ${max}`);
  return number;
}

function positive(value: string | number, name: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new SwarmOptionError(`${name} needs a positive amount in USD, not "${value}"`);
  return number;
}
