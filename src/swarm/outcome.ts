/**
 * What became of one subtask, in the form the event log, the report and dependents' prompts share.
 * `completed` and `failed` come from the runner's task result; `skipped` names the dependency that
 * did not complete; `not-run` is a subtask a stopped swarm never reached (`--resume` runs it).
 *
 * @example const outcome = outcomeOf(subtask, taskResult, tracker.of(subtask.id));
 */
import type { TaskResult } from '../runner/execute-task.js';
import type { RoutedSubtask } from './plan.js';
import type { Review, Verdict } from './review.js';

/** Characters of a subtask's answer kept in its outcome (log, report, resume): a summary to hand on, not an archive. */
export const SUMMARY_CHARS = 4_000;

export type SubtaskState = 'completed' | 'failed' | 'skipped' | 'not-run';

export interface SubtaskOutcome {
  id: string;
  state: SubtaskState;
  agent: string | null;
  alias: string | null;
  /** The runner's stop reason (`completed`, `timeout`, `error`, `rejected`, …); absent when it never ran. */
  stop_reason?: string;
  /** Why it failed or was skipped. */
  reason?: string;
  /** The start of the agent's answer. */
  summary: string;
  changed_files: string[];
  usage: { input: number; output: number; cached: number };
  cost_usd: number | null;
  ms: number;
  steps: number;
  provider: string | null;
  model: string | null;
  /** The run it ran in (`.runs/<swarm-id>/<run>`), for its tool calls and hooks. */
  run?: string;
  /** The reviews of its work, in order (a subtask with a `reviewer`). */
  reviews?: Review[];
  /** The last review's verdict: `not-run` when the reviewer could not run and the work passed unreviewed. */
  review?: Verdict;
}

const NO_USAGE = { input: 0, output: 0, cached: 0 };

export function outcomeOf(subtask: RoutedSubtask, result: TaskResult, changedFiles: string[], run?: string): SubtaskOutcome {
  const outcome: SubtaskOutcome = {
    id: subtask.id,
    state: result.ok ? 'completed' : 'failed',
    agent: result.agent || subtask.assignment.agent,
    alias: result.alias || null,
    stop_reason: result.stop_reason,
    summary: result.text.slice(0, SUMMARY_CHARS),
    changed_files: changedFiles,
    usage: { ...result.usage },
    cost_usd: result.cost_usd,
    ms: result.ms,
    steps: result.steps,
    provider: result.provider,
    model: result.model,
  };
  if (!result.ok) outcome.reason = result.error ?? result.stop_reason;
  if (run) outcome.run = run;
  return outcome;
}

/** A subtask that did not run: skipped (with the reason) or never reached. */
export function idleOutcome(subtask: RoutedSubtask, state: 'skipped' | 'not-run' | 'failed', reason: string): SubtaskOutcome {
  return {
    id: subtask.id,
    state,
    agent: subtask.assignment.agent,
    alias: null,
    reason,
    summary: '',
    changed_files: [],
    usage: { ...NO_USAGE },
    cost_usd: null,
    ms: 0,
    steps: 0,
    provider: null,
    model: null,
  };
}
