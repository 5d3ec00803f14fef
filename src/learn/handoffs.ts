/**
 * Hand-offs and how they went: each time one agent's work is handed to another (a swarm subtask
 * after the one it depends on, a follow-up after the work it follows), the receiving agent's
 * outcome is judged against its baseline and tallied per pair in `handoffs.json` beside the
 * learned state, written atomically under the learning lock. The tallies reinforce the
 * delegation priors (delegation.ts), so the planner favours hand-offs that saved retries or time.
 *
 * The baseline is what the receiving agent usually does: its own retries per task and median
 * latency once it has MIN_BASELINE_TASKS outcomes, else the median of its workload tier's agents.
 * A hand-off is `better` when it needed at least half a retry fewer than the baseline, or as many
 * and ran more than TIME_MARGIN faster; `worse` when it failed, needed half a retry more, or ran
 * TIME_MARGIN slower; `equal` otherwise. Without any baseline it is not judged (nothing to
 * compare with). `stats` shows the tallies; `stats --reset-tuning` clears them.
 *
 * @example
 * const judged = judgeHandoff({ from: 'planner', to: 'coder', ok: true, retries: 0, ms: 800 }, { retries: 0, ms: 1000 }); // 'better'
 * await recordHandoffs(dir, [{ from: 'planner', to: 'coder', verdict: judged, ms: 800, baselineMs: 1000 }]);
 */
import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { stableJson, writeFileAtomic } from '../util/atomic-write.js';
import type { Workload } from '../fleet/workload.js';
import type { LearnedState } from './state.js';
import { locked } from './tuning.js';

export const HANDOFFS_FILE = 'handoffs.json';
/** Three outcomes give an agent a median of its own; fewer, and its tier's median is the fairer yardstick. */
export const MIN_BASELINE_TASKS = 3;
/** Latency varies by a tenth from run to run on the same task; a smaller difference is noise, not a better hand-off. */
export const TIME_MARGIN = 0.1;
/** Pairs kept in the file: a fleet of a few hundred agents hands off along far fewer edges. */
export const MAX_HANDOFF_PAIRS = 10_000;

export type HandoffVerdict = 'better' | 'equal' | 'worse';

export interface HandoffTally {
  handoffs: number;
  better: number;
  equal: number;
  worse: number;
  /** The baseline's milliseconds minus the hand-off's, summed (negative: hand-offs were slower). */
  saved_ms: number;
}

export interface HandoffData {
  format: 'codex-flow/handoffs';
  version: 1;
  /** Keyed `from → to`. */
  pairs: Record<string, HandoffTally>;
}

export interface JudgedHandoff {
  from: string;
  to: string;
  verdict: HandoffVerdict;
  ms: number;
  baselineMs: number;
}

export interface Baseline {
  retries: number;
  ms: number;
}

export const pairKey = (from: string, to: string) => `${from} → ${to}`;

export function emptyHandoffs(): HandoffData {
  return { format: 'codex-flow/handoffs', version: 1, pairs: {} };
}

export function judgeHandoff(outcome: { ok: boolean; retries: number; ms: number }, baseline: Baseline): HandoffVerdict {
  if (!outcome.ok || outcome.retries >= baseline.retries + 0.5) return 'worse';
  if (outcome.retries <= baseline.retries - 0.5) return 'better';
  if (outcome.ms < baseline.ms * (1 - TIME_MARGIN)) return 'better';
  if (outcome.ms > baseline.ms * (1 + TIME_MARGIN)) return 'worse';
  return 'equal';
}

/** The agent's own baseline, else its tier's median; undefined when neither has outcomes. */
export function handoffBaseline(
  state: LearnedState,
  agent: string,
  workloadOf: (agent: string) => Workload | undefined,
): Baseline | undefined {
  const own = state.agents.get(agent);
  if (own && own.tasks >= MIN_BASELINE_TASKS && own.latency.count > 0)
    return { retries: own.retries / own.tasks, ms: own.latency.quantile(0.5) };
  const tier = workloadOf(agent);
  if (!tier) return undefined;
  const peers = [...state.agents]
    .filter(([id, record]) => workloadOf(id) === tier && record.tasks > 0 && record.latency.count > 0)
    .map(([, record]) => ({ retries: record.retries / record.tasks, ms: record.latency.quantile(0.5) }));
  if (peers.length === 0) return undefined;
  return { retries: median(peers.map((peer) => peer.retries)), ms: median(peers.map((peer) => peer.ms)) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The hand-off file of a learning folder; `problem` when it exists but does not load (treated as empty, kept aside on the next write). */
export function readHandoffs(dir: string): { data: HandoffData; problem?: string } {
  let text: string;
  try {
    text = readFileSync(join(dir, HANDOFFS_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { data: emptyHandoffs() };
    return { data: emptyHandoffs(), problem: (error as Error).message };
  }
  try {
    const data = JSON.parse(text) as HandoffData;
    if (data?.format !== 'codex-flow/handoffs' || data.version !== 1 || !isRecord(data.pairs))
      return { data: emptyHandoffs(), problem: 'not a codex-flow hand-off file (version 1)' };
    const pairs = Object.fromEntries(Object.entries(data.pairs).filter(([, tally]) => isTally(tally)));
    return { data: { ...data, pairs } };
  } catch (error) {
    return { data: emptyHandoffs(), problem: (error as Error).message };
  }
}

/** Adds judged hand-offs to the file under the learning lock; false when the lock stays busy. */
export async function recordHandoffs(dir: string, judged: readonly JudgedHandoff[]): Promise<boolean> {
  if (judged.length === 0) return true;
  const done = await locked(dir, () => {
    const read = readHandoffs(dir);
    for (const handoff of judged) tallyHandoff(read.data, handoff);
    write(dir, read);
    return true;
  });
  return done === true;
}

/** Adds one judged hand-off to the tallies (pure apart from `data`; the simulation uses it without a file). */
export function tallyHandoff(data: HandoffData, handoff: JudgedHandoff): void {
  const key = pairKey(handoff.from, handoff.to);
  if (!(key in data.pairs) && Object.keys(data.pairs).length >= MAX_HANDOFF_PAIRS) return;
  const tally = data.pairs[key] ?? { handoffs: 0, better: 0, equal: 0, worse: 0, saved_ms: 0 };
  tally.handoffs++;
  tally[handoff.verdict]++;
  tally.saved_ms = Math.round(tally.saved_ms + handoff.baselineMs - handoff.ms);
  data.pairs[key] = tally;
}

/** Clears every tally (or those from or to `agent`); the number of pairs cleared, undefined when the lock stays busy. */
export function resetHandoffs(dir: string, agent?: string): Promise<number | undefined> {
  return locked(dir, () => {
    const read = readHandoffs(dir);
    const keys = Object.keys(read.data.pairs).filter((key) => agent === undefined || key.split(' → ').includes(agent));
    for (const key of keys) delete read.data.pairs[key];
    if (keys.length > 0 || read.problem) write(dir, read);
    return keys.length;
  });
}

function write(dir: string, read: { data: HandoffData; problem?: string }): void {
  // A file that did not load is kept aside, never overwritten.
  if (read.problem) {
    try {
      renameSync(join(dir, HANDOFFS_FILE), join(dir, `${HANDOFFS_FILE}.bad-${new Date().toISOString().replace(/[:.]/g, '-')}`));
    } catch {
      /* it was not there to keep */
    }
  }
  writeFileAtomic(join(dir, HANDOFFS_FILE), stableJson(read.data));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isTally(value: unknown): value is HandoffTally {
  if (!isRecord(value)) return false;
  const counts = ['handoffs', 'better', 'equal', 'worse'].map((key) => value[key]);
  return (
    counts.every((count) => typeof count === 'number' && Number.isInteger(count) && count >= 0) &&
    (value.better as number) + (value.equal as number) + (value.worse as number) === value.handoffs &&
    typeof value.saved_ms === 'number' &&
    Number.isFinite(value.saved_ms)
  );
}

/** What the swarm hands each ended subtask to: its dependencies' agents, its agent and how its work went. */
export interface HandoffRecorder {
  record(from: readonly string[], to: string, outcome: { ok: boolean; retries: number; latency_ms: number }): Promise<JudgedHandoff[]>;
}

/**
 * Judges each hand-off against `to`'s baseline in `state` (the state without this outcome folded
 * in, so a hand-off is not compared with itself) and records it.
 */
export function handoffRecorder(dir: string, state: LearnedState, workloadOf: (agent: string) => Workload | undefined): HandoffRecorder {
  return {
    async record(from, to, outcome) {
      const baseline = handoffBaseline(state, to, workloadOf);
      if (!baseline) return [];
      const verdict = judgeHandoff({ ok: outcome.ok, retries: outcome.retries, ms: outcome.latency_ms }, baseline);
      const judged = [...new Set(from)]
        .filter((agent) => agent !== to)
        .map((agent) => ({ from: agent, to, verdict, ms: outcome.latency_ms, baselineMs: Math.round(baseline.ms) }));
      return (await recordHandoffs(dir, judged)) ? judged : [];
    },
  };
}
