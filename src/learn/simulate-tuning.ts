/**
 * The autotune simulation: one overloaded agent whose failures and latency grow with the tasks it
 * runs at once beyond its capacity (a provider's rate limit, a shared database). Rounds of tasks
 * run at the agent's current `max_parallel_tasks`; after each round the outcomes tune it
 * (`planTuning`, as `run` does under `learning.autotune: apply`) or not (`off`). Figures for
 * docs/learning.md and the test: failures per round, the limit and autonomy it ends at.
 *
 * @example simulateAutotune({ seed: 7, rounds: 8, autotune: 'apply' }).failureRate // < the 'off' run's
 */
import { createRandom } from './random.js';
import { applyOutcome, emptyState } from './state.js';
import { commitTuning, emptyTuning, planTuning, tunedSettings, type TuningChange } from './tuning.js';
import type { TunableAgent } from './suggest.js';

/** The overloaded agent as compiled: 8 parallel tasks allowed, commands allowed (autonomy 3). */
export const OVERLOADED: TunableAgent = { id: 'busy', autonomy_level: 3, max_parallel_tasks: 8, failure_rate_pct: 20 };
/** Tasks it runs at once without harm. */
export const OVERLOAD_CAPACITY = 2;
const BASE_FAILURE = 0.05;
/** Failure probability added when every task in flight is over capacity. */
const OVERLOAD_FAILURE = 0.6;
const BASE_LATENCY_MS = 2_000;

export interface AutotuneSimOptions {
  seed: number;
  rounds: number;
  tasksPerRound?: number;
  autotune: 'apply' | 'off';
}

export interface AutotuneSimResult {
  /** Per round: the limit it ran at and the share of its tasks that failed. */
  rounds: Array<{ parallel: number; autonomy: number; failureRate: number }>;
  failureRate: number;
  changes: TuningChange[];
}

export function simulateAutotune(options: AutotuneSimOptions): AutotuneSimResult {
  const perRound = options.tasksPerRound ?? 20;
  const random = createRandom(options.seed);
  const state = emptyState();
  const data = emptyTuning();
  const changes: TuningChange[] = [];
  const rounds: AutotuneSimResult['rounds'] = [];
  let clock = Date.parse('2026-01-01T00:00:00.000Z');
  let failures = 0;
  for (let round = 0; round < options.rounds; round++) {
    const tuned = tunedSettings(data).get(OVERLOADED.id);
    const parallel = tuned?.max_parallel_tasks ?? OVERLOADED.max_parallel_tasks;
    const autonomy = tuned?.autonomy_level ?? OVERLOADED.autonomy_level;
    const overload = Math.max(0, parallel - OVERLOAD_CAPACITY) / parallel;
    let failed = 0;
    for (let task = 0; task < perRound; task++) {
      clock += 1_000;
      const ok = random.next() >= BASE_FAILURE + OVERLOAD_FAILURE * overload;
      if (!ok) failed++;
      applyOutcome(
        state,
        {
          agent: OVERLOADED.id,
          alias: OVERLOADED.id,
          ok,
          latency_ms: Math.round(BASE_LATENCY_MS * (1 + overload * 3) * (0.5 + random.next())),
          retries: 0,
          tool_errors: 0,
          stop_reason: ok ? 'completed' : 'timeout',
          task_hash: `sha256:${round}-${task}`,
          at: new Date(clock).toISOString(),
        },
        [],
        0.1,
      );
    }
    failures += failed;
    rounds.push({ parallel, autonomy, failureRate: failed / perRound });
    if (options.autotune === 'apply') {
      const planned = planTuning(state, [OVERLOADED], data, 0.1, new Date(clock));
      commitTuning(data, planned, state);
      changes.push(...planned);
    }
  }
  return { rounds, failureRate: failures / (perRound * options.rounds), changes };
}
