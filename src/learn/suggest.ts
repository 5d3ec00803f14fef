/**
 * Suggested tuning from observed outcomes (SPEC §4), never applied to the briefs:
 * - `autonomy_level` from the recent failure-or-intervention rate (the bias-corrected EMA): an
 *   agent that keeps failing or needing a person gets one level less; one that has not for a long
 *   while, one level more.
 * - `max_parallel_tasks` from Little's law: concurrency needed ≈ arrival rate × latency (p95, with
 *   headroom); rejected tasks (queue full) mean the current limit is too low. Never raised for an
 *   agent failing more than its `metrics.thresholds.failure_rate_pct` (more of a failing agent is
 *   more failures, sooner), and never by more than one doubling or past SUGGESTED_PARALLEL_CAP:
 *   the arrival rate comes from outcome timestamps, and `feedback` stamps them when a person
 *   reports, so a burst of reports reads as a burst of arrivals.
 *
 * @example suggestTuning(state, fleetIndex)[0] // { agent: 'debugger', setting: 'autonomy_level', current: 3, suggested: 2, reason: '…' }
 */
import { DEFAULT_EMA_ALPHA } from './options.js';
import { recentFailureRate } from './scorecard.js';
import type { AgentRecord, LearnedState } from './state.js';
import type { IndexEntry } from '../fleet/types.js';

/** A failure-or-intervention rate above 30 % (about 3 of the last 10 tasks) warrants less autonomy. */
export const LOWER_AUTONOMY_ABOVE = 0.3;
/** Below 5 % (none of the last ~20) an agent has earned one more level. */
export const RAISE_AUTONOMY_BELOW = 0.05;
/** Tasks before any suggestion: fewer is anecdote. */
export const MIN_TASKS_FOR_SUGGESTION = 10;
/** Tasks before raising autonomy: trust is raised slower than it is lowered. */
export const MIN_TASKS_TO_RAISE = 20;
/** Headroom over the Little's-law concurrency: bursts arrive above the mean rate. */
export const PARALLEL_HEADROOM = 1.5;
/**
 * One suggestion at most doubles the limit: the rate estimate can be far off (see above), and a
 * doubling followed by fresh outcomes converges on the real need in a few steps without betting
 * a provider's rate limit on one estimate.
 */
export const MAX_PARALLEL_GROWTH = 2;
/**
 * No suggestion goes past this many tasks in flight for one agent: providers' default rate limits
 * allow a few tens of concurrent requests per key, so more would wait at the provider instead.
 */
export const SUGGESTED_PARALLEL_CAP = 32;
/** The failure rate above which parallelism is not raised when a brief sets none: the compiler's default `metrics.thresholds.failure_rate_pct`. */
export const DEFAULT_FAILURE_RATE_PCT = 20;
/** The schema's bound. */
const AUTONOMY_MAX = 4;

export interface Suggestion {
  agent: string;
  setting: 'autonomy_level' | 'max_parallel_tasks';
  current: number;
  suggested: number;
  reason: string;
}

/** An agent as the suggestions need it: the index row plus, when known, its brief's failure threshold. */
export type TunableAgent = Pick<IndexEntry, 'id' | 'autonomy_level' | 'max_parallel_tasks'> & { failure_rate_pct?: number };

export function suggestTuning(state: LearnedState, index: readonly TunableAgent[], emaAlpha = DEFAULT_EMA_ALPHA): Suggestion[] {
  const out: Suggestion[] = [];
  for (const entry of [...index].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const record = state.agents.get(entry.id);
    if (!record || record.tasks < MIN_TASKS_FOR_SUGGESTION) continue;
    const recent = recentFailureRate(record, emaAlpha);
    const recentPct = Math.round(recent * 100);
    if (recent > LOWER_AUTONOMY_ABOVE && entry.autonomy_level > 0) {
      out.push({
        agent: entry.id,
        setting: 'autonomy_level',
        current: entry.autonomy_level,
        suggested: entry.autonomy_level - 1,
        reason: `recent failures or interventions at ${recentPct} % (EMA over ~${Math.round(1 / emaAlpha)} tasks)`,
      });
    } else if (recent < RAISE_AUTONOMY_BELOW && record.tasks >= MIN_TASKS_TO_RAISE && entry.autonomy_level < AUTONOMY_MAX) {
      out.push({
        agent: entry.id,
        setting: 'autonomy_level',
        current: entry.autonomy_level,
        suggested: entry.autonomy_level + 1,
        reason: `${record.tasks} tasks, recent failures or interventions at ${recentPct} %`,
      });
    }
    const failing = Math.max(recent, 1 - record.ok / record.tasks) > (entry.failure_rate_pct ?? DEFAULT_FAILURE_RATE_PCT) / 100;
    const parallel = suggestParallel(record, entry.max_parallel_tasks, failing);
    if (parallel) out.push({ agent: entry.id, setting: 'max_parallel_tasks', current: entry.max_parallel_tasks, ...parallel });
  }
  return out;
}

function suggestParallel(record: AgentRecord, current: number, failing: boolean): { suggested: number; reason: string } | undefined {
  const spanSeconds = (Date.parse(record.lastAt) - Date.parse(record.firstAt)) / 1000;
  const p95 = record.latency.quantile(0.95) / 1000;
  if (!(spanSeconds > 0) || !(p95 > 0)) return undefined;
  const rate = record.tasks / spanSeconds;
  let needed = Math.ceil(rate * p95 * PARALLEL_HEADROOM);
  if (record.rejected > 0) needed = Math.max(needed, current + 1);
  const ceiling = Math.max(current, Math.min(SUGGESTED_PARALLEL_CAP, current * MAX_PARALLEL_GROWTH));
  needed = Math.min(ceiling, Math.max(1, needed));
  if (needed > current && failing) return undefined;
  if (needed === current || (needed < current && record.rejected > 0)) return undefined;
  const why = `${rate.toFixed(3)} tasks/s × p95 ${p95.toFixed(1)} s × ${PARALLEL_HEADROOM} headroom${record.rejected > 0 ? `; ${record.rejected} task(s) rejected by a full queue` : ''}${needed === ceiling && needed > current ? `; at most ×${MAX_PARALLEL_GROWTH} per step, ${SUGGESTED_PARALLEL_CAP} in all` : ''}`;
  return { suggested: needed, reason: why };
}
