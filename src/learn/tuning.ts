/**
 * Tuning that acts (`learning.autotune: apply`): per agent, `max_parallel_tasks` and
 * `autonomy_level` move with the observed outcomes, never past the compiled value (the config's
 * cap and the policy's), and every change is logged with its reason in `tuning.json` beside the
 * learned state, written atomically under the learning lock. `resetTuning` undoes it (all agents or
 * one) and logs that too. The runner reads `tunedSettings` where it applies limits and autonomy.
 *
 * - autonomy drops one level when the recent failure-or-intervention rate (the EMA) is above
 *   LOWER_AUTONOMY_ABOVE, and rises one level, at most to the compiled level, after
 *   MIN_TASKS_TO_RAISE tasks since its last change with the rate below RAISE_AUTONOMY_BELOW.
 * - parallelism halves while the recent failure rate is above the agent's
 *   `metrics.thresholds.failure_rate_pct`; otherwise it follows Little's law (suggest.ts), never
 *   above the compiled value and never raised for an agent over its threshold.
 * - an agent is tuned again only after MIN_TASKS_BETWEEN_CHANGES new tasks: one change per evidence.
 *
 * @example const { changes } = applyTuning(dir, state, agents, 0.1); // [{ agent: 'debugger', setting: 'autonomy_level', from: 3, to: 2, reason: '…' }]
 */
import { join } from 'node:path';
import { mkdirSync, readFileSync, renameSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { stableJson, writeFileAtomic } from '../util/atomic-write.js';
import { STALE_LOCK_MS } from '../util/file-lock.js';
import { recentFailureRate } from './scorecard.js';
import { withLock } from './store.js';
import {
  DEFAULT_FAILURE_RATE_PCT,
  LOWER_AUTONOMY_ABOVE,
  MIN_TASKS_FOR_SUGGESTION,
  MIN_TASKS_TO_RAISE,
  RAISE_AUTONOMY_BELOW,
  suggestTuning,
  type TunableAgent,
} from './suggest.js';
import type { LearnedState } from './state.js';

export const TUNING_FILE = 'tuning.json';
/** New tasks an agent needs between two changes: a change is judged on outcomes gathered under it. */
export const MIN_TASKS_BETWEEN_CHANGES = 10;
/** Log entries kept: the newest; older ones are history no decision reads. */
export const MAX_TUNING_LOG = 1000;

export type TunableSetting = 'autonomy_level' | 'max_parallel_tasks';

export interface TuningChange {
  at: string;
  agent: string;
  setting: TunableSetting;
  from: number;
  to: number;
  reason: string;
  /** The limit was lowered for failures: it is not raised back to `from` (until a reset). */
  failing?: true;
}

export interface TunedAgent {
  autonomy_level?: number;
  max_parallel_tasks?: number;
  /** Below the lowest limit it failed at: parallelism is not raised back into a failing range (until a reset). */
  parallel_ceiling?: number;
  /** The agent's task count when it was last changed. */
  tasks_at: number;
}

export interface TuningData {
  format: 'codex-flow/tuning';
  version: 1;
  agents: Record<string, TunedAgent>;
  log: TuningChange[];
}

export type TunedSettings = ReadonlyMap<string, { autonomy_level?: number; max_parallel_tasks?: number }>;

export function emptyTuning(): TuningData {
  return { format: 'codex-flow/tuning', version: 1, agents: {}, log: [] };
}

/** The tuning file of a learning folder; `problem` when it exists but does not load (it is then treated as empty). */
export function readTuning(dir: string): { data: TuningData; problem?: string } {
  let text: string;
  try {
    text = readFileSync(join(dir, TUNING_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { data: emptyTuning() };
    return { data: emptyTuning(), problem: (error as Error).message };
  }
  try {
    const data = JSON.parse(text) as TuningData;
    if (data?.format !== 'codex-flow/tuning' || data.version !== 1 || !isRecord(data.agents) || !Array.isArray(data.log))
      return { data: emptyTuning(), problem: 'not a codex-flow tuning file (version 1)' };
    // Entries that are not objects (a hand edit, a truncated merge) are dropped, not trusted.
    const agents = Object.fromEntries(Object.entries(data.agents).filter(([, tuned]) => isRecord(tuned)));
    return { data: { ...data, agents, log: data.log.filter(isRecord) as TuningData['log'] } };
  } catch (error) {
    return { data: emptyTuning(), problem: (error as Error).message };
  }
}

function isRecord(value: unknown): value is Record<string, never> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** What the runner applies: each tuned agent's values (already within the compiled caps when written). */
export function tunedSettings(data: TuningData): TunedSettings {
  const out = new Map<string, { autonomy_level?: number; max_parallel_tasks?: number }>();
  for (const [agent, tuned] of Object.entries(data.agents)) {
    const values: { autonomy_level?: number; max_parallel_tasks?: number } = {};
    if (Number.isInteger(tuned.autonomy_level)) values.autonomy_level = tuned.autonomy_level!;
    if (Number.isInteger(tuned.max_parallel_tasks)) values.max_parallel_tasks = tuned.max_parallel_tasks!;
    if (Object.keys(values).length > 0) out.set(agent, values);
  }
  return out;
}

/** A compiled fleet's agents as tuning needs them: the index row plus the brief's failure threshold. */
export function tunableAgentsOf(fleet: {
  index: { agents: ReadonlyArray<TunableAgent> };
  definition(id: string): { metrics?: { thresholds?: { failure_rate_pct?: number } } } | undefined;
}): TunableAgent[] {
  return fleet.index.agents.map((entry) => {
    const threshold = fleet.definition(entry.id)?.metrics?.thresholds?.failure_rate_pct;
    const row: TunableAgent = { id: entry.id, autonomy_level: entry.autonomy_level, max_parallel_tasks: entry.max_parallel_tasks };
    return threshold === undefined ? row : { ...row, failure_rate_pct: threshold };
  });
}

/** The changes the outcomes call for, against `data` (pure: nothing is written). */
export function planTuning(
  state: LearnedState,
  agents: readonly TunableAgent[],
  data: TuningData,
  emaAlpha: number,
  now = new Date(),
): TuningChange[] {
  const changes: TuningChange[] = [];
  const at = now.toISOString();
  for (const agent of [...agents].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const record = state.agents.get(agent.id);
    if (!record || record.tasks < MIN_TASKS_FOR_SUGGESTION) continue;
    const previous = data.agents[agent.id];
    const since = record.tasks - (previous?.tasks_at ?? 0);
    if (previous && since < MIN_TASKS_BETWEEN_CHANGES) continue;
    const autonomy = Math.min(previous?.autonomy_level ?? agent.autonomy_level, agent.autonomy_level);
    const parallel = Math.min(previous?.max_parallel_tasks ?? agent.max_parallel_tasks, agent.max_parallel_tasks);
    const ceiling = Math.min(agent.max_parallel_tasks, previous?.parallel_ceiling ?? Infinity);
    const recent = recentFailureRate(record, emaAlpha);
    const recentPct = Math.round(recent * 100);
    const change = (setting: TunableSetting, from: number, to: number, reason: string, failing = false) =>
      changes.push({ at, agent: agent.id, setting, from, to, reason, ...(failing ? { failing: true as const } : {}) });
    if (recent > LOWER_AUTONOMY_ABOVE && autonomy > 0)
      change(
        'autonomy_level',
        autonomy,
        autonomy - 1,
        `recent failures or interventions at ${recentPct} % (EMA), above ${LOWER_AUTONOMY_ABOVE * 100} %`,
      );
    else if (recent < RAISE_AUTONOMY_BELOW && autonomy < agent.autonomy_level && (previous === undefined || since >= MIN_TASKS_TO_RAISE))
      change(
        'autonomy_level',
        autonomy,
        autonomy + 1,
        `recent failures or interventions at ${recentPct} % over ${since} task(s) since the last change (at most the compiled ${agent.autonomy_level})`,
      );
    const threshold = agent.failure_rate_pct ?? DEFAULT_FAILURE_RATE_PCT;
    if (recent > threshold / 100) {
      if (parallel > 1)
        change(
          'max_parallel_tasks',
          parallel,
          Math.max(1, Math.floor(parallel / 2)),
          `recent failure rate ${recentPct} % above its threshold ${threshold} %`,
          true,
        );
      continue;
    }
    const [suggested] = suggestTuning(state, [{ ...agent, autonomy_level: autonomy, max_parallel_tasks: parallel }], emaAlpha).filter(
      (s) => s.setting === 'max_parallel_tasks',
    );
    if (!suggested) continue;
    const to = Math.min(suggested.suggested, ceiling);
    const capped =
      to >= suggested.suggested
        ? ''
        : ceiling < agent.max_parallel_tasks
          ? `; capped at ${ceiling}, below the ${ceiling + 1} it failed at`
          : `; capped at the configured ${agent.max_parallel_tasks}`;
    if (to !== parallel) change('max_parallel_tasks', parallel, to, `${suggested.reason}${capped}`);
  }
  return changes;
}

/** Records `changes` in `data` (values and each agent's task count); the log is the writer's. */
export function commitTuning(data: TuningData, changes: readonly TuningChange[], state: LearnedState): void {
  for (const change of changes) {
    const entry = (data.agents[change.agent] ??= { tasks_at: 0 });
    entry[change.setting] = change.to;
    if (change.setting === 'max_parallel_tasks' && change.failing)
      entry.parallel_ceiling = Math.min(entry.parallel_ceiling ?? Infinity, change.from - 1);
    entry.tasks_at = state.agents.get(change.agent)?.tasks ?? 0;
  }
}

/** Applies `planTuning` under the learning lock and writes the file atomically; undefined when the lock stays busy. */
export function applyTuning(
  dir: string,
  state: LearnedState,
  agents: readonly TunableAgent[],
  emaAlpha: number,
  now = new Date(),
): Promise<{ changes: TuningChange[]; tuned: TunedSettings; problem?: string } | undefined> {
  return locked(dir, () => {
    const read = readTuning(dir);
    const changes = planTuning(state, agents, read.data, emaAlpha, now);
    if (changes.length > 0) {
      commitTuning(read.data, changes, state);
      write(dir, read, changes);
    }
    return { changes, tuned: tunedSettings(read.data), ...(read.problem ? { problem: read.problem } : {}) };
  });
}

/** Back to the compiled values, for every agent or one; each undone setting is logged. Undefined when the lock stays busy. */
export function resetTuning(
  dir: string,
  agent?: string,
  now = new Date(),
  compiled?: (agent: string) => Partial<Record<TunableSetting, number>> | undefined,
): Promise<TuningChange[] | undefined> {
  return locked(dir, () => {
    const read = readTuning(dir);
    const changes: TuningChange[] = [];
    for (const [id, tuned] of Object.entries(read.data.agents)) {
      if (agent !== undefined && id !== agent) continue;
      for (const setting of ['autonomy_level', 'max_parallel_tasks'] as const) {
        const value = tuned[setting];
        if (value !== undefined)
          changes.push({
            at: now.toISOString(),
            agent: id,
            setting,
            from: value,
            to: compiled?.(id)?.[setting] ?? value,
            reason: 'reset: back to the compiled value',
          });
      }
      // The values go back to the compiled ones; the task count of the last change stays, so the
      // same outcomes do not tune the agent again at the next run (it waits for new tasks).
      read.data.agents[id] = { tasks_at: tuned.tasks_at };
    }
    if (changes.length > 0) write(dir, read, changes);
    return changes;
  });
}

function write(dir: string, read: { data: TuningData; problem?: string }, changes: TuningChange[]): void {
  // A file that did not load is kept aside, never overwritten.
  if (read.problem) {
    try {
      renameSync(join(dir, TUNING_FILE), join(dir, `${TUNING_FILE}.bad-${new Date().toISOString().replace(/[:.]/g, '-')}`));
    } catch {
      /* it was not there to keep */
    }
  }
  read.data.log = [...read.data.log, ...changes].slice(-MAX_TUNING_LOG);
  read.data.log.length = Math.min(read.data.log.length, MAX_TUNING_LOG);
  writeFileAtomic(join(dir, TUNING_FILE), stableJson(read.data));
}

/**
 * The learning lock, waited for long enough to take over a dead holder's; undefined when it stays
 * busy. The wait yields to the event loop, so a server that tunes before a run keeps answering.
 */
export async function locked<T>(dir: string, work: () => T): Promise<T | undefined> {
  mkdirSync(dir, { recursive: true });
  const deadline = Date.now() + STALE_LOCK_MS + 1_000;
  for (;;) {
    const result = withLock(dir, () => ({ value: work() }));
    if (result) return result.value;
    if (Date.now() >= deadline) return undefined;
    await delay(20);
  }
}
