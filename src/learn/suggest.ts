/**
 * Suggested tuning from observed outcomes (SPEC §4), never applied to the briefs:
 * - `autonomy_level` from the failure-or-intervention EMA: an agent that keeps failing or needing
 *   a person gets one level less; one that has not for a long while, one level more.
 * - `max_parallel_tasks` from Little's law: concurrency needed ≈ arrival rate × latency (p95, with
 *   headroom); rejected tasks (queue full) mean the current limit is too low.
 *
 * @example suggestTuning(state, fleetIndex)[0] // { agent: 'debugger', setting: 'autonomy_level', current: 3, suggested: 2, reason: '…' }
 */
import type { LearnedState } from './state.js';
import type { IndexEntry } from '../fleet/types.js';

/** A failure-or-intervention EMA above 30 % (about 3 of the last 10 tasks) warrants less autonomy. */
export const LOWER_AUTONOMY_ABOVE = 0.3;
/** Below 5 % (none of the last ~20) an agent has earned one more level. */
export const RAISE_AUTONOMY_BELOW = 0.05;
/** Tasks before any suggestion: fewer is anecdote. */
export const MIN_TASKS_FOR_SUGGESTION = 10;
/** Tasks before raising autonomy: trust is raised slower than it is lowered. */
export const MIN_TASKS_TO_RAISE = 20;
/** Headroom over the Little's-law concurrency: bursts arrive above the mean rate. */
export const PARALLEL_HEADROOM = 1.5;
/** The schema's bounds. */
const AUTONOMY_MAX = 4;
const PARALLEL_MAX = 1024;

export interface Suggestion {
  agent: string;
  setting: 'autonomy_level' | 'max_parallel_tasks';
  current: number;
  suggested: number;
  reason: string;
}

export function suggestTuning(state: LearnedState, index: readonly Pick<IndexEntry, 'id' | 'autonomy_level' | 'max_parallel_tasks'>[]): Suggestion[] {
  const out: Suggestion[] = [];
  for (const entry of [...index].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const record = state.agents.get(entry.id);
    if (!record || record.tasks < MIN_TASKS_FOR_SUGGESTION) continue;
    const ema = Math.round(record.emaFailure * 100);
    if (record.emaFailure > LOWER_AUTONOMY_ABOVE && entry.autonomy_level > 0) {
      out.push({ agent: entry.id, setting: 'autonomy_level', current: entry.autonomy_level, suggested: entry.autonomy_level - 1, reason: `recent failures or interventions at ${ema} % (EMA over ~10 tasks)` });
    } else if (record.emaFailure < RAISE_AUTONOMY_BELOW && record.tasks >= MIN_TASKS_TO_RAISE && entry.autonomy_level < AUTONOMY_MAX) {
      out.push({ agent: entry.id, setting: 'autonomy_level', current: entry.autonomy_level, suggested: entry.autonomy_level + 1, reason: `${record.tasks} tasks, recent failures or interventions at ${ema} %` });
    }
    const parallel = suggestParallel(record, entry.max_parallel_tasks);
    if (parallel) out.push({ agent: entry.id, setting: 'max_parallel_tasks', current: entry.max_parallel_tasks, ...parallel });
  }
  return out;
}

function suggestParallel(record: NonNullable<ReturnType<LearnedState['agents']['get']>>, current: number): { suggested: number; reason: string } | undefined {
  const spanSeconds = (Date.parse(record.lastAt) - Date.parse(record.firstAt)) / 1000;
  const p95 = record.latency.quantile(0.95) / 1000;
  if (!(spanSeconds > 0) || !(p95 > 0)) return undefined;
  const rate = record.tasks / spanSeconds;
  let needed = Math.ceil(rate * p95 * PARALLEL_HEADROOM);
  if (record.rejected > 0) needed = Math.max(needed, current + 1);
  needed = Math.min(PARALLEL_MAX, Math.max(1, needed));
  if (needed === current || (needed < current && record.rejected > 0)) return undefined;
  const why = `${rate.toFixed(3)} tasks/s × p95 ${p95.toFixed(1)} s × ${PARALLEL_HEADROOM} headroom${record.rejected > 0 ? `; ${record.rejected} task(s) rejected by a full queue` : ''}`;
  return { suggested: needed, reason: why };
}
