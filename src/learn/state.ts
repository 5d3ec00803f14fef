/**
 * The learned state: a pure fold over the outcome log, `state = outcomes.reduce(apply, empty)`.
 *
 * Naive approach: store posteriors and rewrite them in place on every outcome — the result then
 * depends on who wrote last, and a crash mid-write loses history. What we do: keep only
 * sufficient statistics (counts, fractional per-feature counts, a latency sketch, an EMA), which
 * the log determines; priors from the fleet are applied when reading (model.ts), so the fold
 * needs no fleet and a compaction snapshot is just this state serialized.
 * Invariants: applying the same outcomes in the same order gives the same state, bit for bit,
 * whether they came from the log or from a snapshot plus the log's tail (JSON round-trips doubles
 * exactly); `fromJSON(toJSON(s))` equals `s`.
 */
import { LatencySketch, type SketchData } from './sketch.js';
import type { Outcome } from './outcome.js';

/** Stop reasons that are not the agent's doing: counted for queueing, never learned from. */
const NOT_THE_AGENT = new Set(['rejected', 'invalid', 'cancelled', 'unavailable']);

/** Whether an outcome with this stop reason says something about the agent (not a rejection, a cancel, an outage). */
export function isAgentsOwn(stopReason: string | undefined): boolean {
  return stopReason === undefined || !NOT_THE_AGENT.has(stopReason);
}
/** Stop reasons where a person or a policy had to step in: feed the autonomy suggestion. */
const INTERVENTIONS = new Set(['tool-denied', 'blocked', 'max-steps']);

/**
 * An outcome counts 1/√m for each of its m context features: an identical request then sees √m
 * pseudo-outcomes (7 features → 2.6, not 7: one bad day cannot bury an agent), while a request
 * sharing a few features still gets a real share. Measured on the dev sets as good as counting 1
 * per feature and better than 1/m (docs/learning.md).
 */
export function featureShare(features: number): number {
  return features === 0 ? 0 : 1 / Math.sqrt(features);
}

export interface AgentRecord {
  tasks: number;
  ok: number;
  retries: number;
  toolErrors: number;
  interventions: number;
  /** Tasks refused before running (queue full): the queueing signal for max_parallel_tasks. */
  rejected: number;
  latency: LatencySketch;
  /** EMA of failure-or-intervention, the autonomy signal; also the recent success for the trend. */
  emaFailure: number;
  firstAt: string;
  lastAt: string;
  /** Bandit evidence: trials and successes (fractional once decayed). */
  trials: number;
  successes: number;
  /** Content hash of the brief the evidence was gathered under. */
  briefHash?: string;
  /** Per provider that served the agent: the tallies that rank a workload tier's chain (src/providers/tiers.ts). */
  providers?: Record<string, ProviderTally>;
}

/** Outcomes of one agent on one provider; latency and cost sums count only the outcomes that measured them. */
export interface ProviderTally {
  tasks: number;
  ok: number;
  latency_ms: number;
  latency_n: number;
  cost_usd: number;
  cost_n: number;
}

export interface LearnedState {
  agents: Map<string, AgentRecord>;
  /** W: feature → agent → [successes, trials]: every feature of the decision's context counts the outcome. */
  weights: Map<string, Map<string, [number, number]>>;
  /** Word-feature bucket → a word that landed in it (first seen), for people. */
  labels: Map<string, string>;
  outcomes: number;
  /** Bumped by every change: readers that compile the state (model.ts) rebuild when it moves. Not saved. */
  revision: number;
}

export interface SerializedState {
  format: 'codex-flow/learned-state';
  version: 1;
  outcomes: number;
  agents: Record<string, Omit<AgentRecord, 'latency'> & { latency: SketchData }>;
  weights: Record<string, Record<string, [number, number]>>;
  labels: Record<string, string>;
}

/** A state with nothing learned. */
export function emptyState(): LearnedState {
  return { agents: new Map(), weights: new Map(), labels: new Map(), outcomes: 0, revision: 0 };
}

/**
 * Folds one outcome into the state (mutating it: the fold owns its accumulator). `context` is
 * the decision's features when the outcome names a recorded route, else empty.
 *
 * @example const state = emptyState(); applyOutcome(state, outcome, ['kw:review'], 0.1);
 */
export function applyOutcome(state: LearnedState, outcome: Outcome, context: readonly string[], emaAlpha: number): void {
  state.outcomes++;
  state.revision++;
  journal(state, context);
  const record = agentRecord(state, outcome.agent, outcome.at);
  record.lastAt = outcome.at > record.lastAt ? outcome.at : record.lastAt;
  if (NOT_THE_AGENT.has(outcome.stop_reason)) {
    if (outcome.stop_reason === 'rejected') record.rejected++;
    return;
  }
  const ok = outcome.ok ? 1 : 0;
  const intervened = INTERVENTIONS.has(outcome.stop_reason);
  record.tasks++;
  record.ok += ok;
  record.retries += finite(outcome.retries);
  record.toolErrors += finite(outcome.tool_errors);
  if (intervened) record.interventions++;
  if (Number.isFinite(outcome.latency_ms) && outcome.latency_ms >= 0) record.latency.add(outcome.latency_ms);
  record.emaFailure += emaAlpha * ((ok === 0 || intervened ? 1 : 0) - record.emaFailure);
  if (outcome.provider) tallyProvider(record, outcome);
  // The bandit's success is the outcome's reward (reward.ts): 1 for a success with nothing to
  // discount, less for a slow or costly one, 0 for a failure. Outcomes without one count as 0/1.
  const gain = ok === 0 ? 0 : rewardOf(outcome);
  record.trials += 1;
  record.successes += gain;
  const share = featureShare(context.length);
  for (const feature of context) {
    let row = state.weights.get(feature);
    if (!row) state.weights.set(feature, (row = new Map()));
    const cell = row.get(outcome.agent) ?? [0, 0];
    cell[0] += gain * share;
    cell[1] += share;
    row.set(outcome.agent, cell);
  }
}

/**
 * Revisions kept in a state's change journal: a reader more than this many outcomes behind
 * recompiles in full (as it must after a discount, which touches every row of an agent). A
 * runner's compiled state is one outcome behind; 256 entries hold references, not copies.
 */
const JOURNAL_REVISIONS = 256;

/**
 * The weight rows each recent revision changed, by revision: in memory only, beside the state
 * (a WeakMap, so the state's shape, its JSON and its equality stay what they were). Only
 * `applyOutcome` writes it; any other change to `revision` leaves a gap, and a gap means "unknown".
 */
const journals = new WeakMap<LearnedState, { first: number; changes: Array<readonly string[]> }>();

function journal(state: LearnedState, features: readonly string[]): void {
  let entry = journals.get(state);
  if (!entry || entry.first + entry.changes.length !== state.revision)
    journals.set(state, (entry = { first: state.revision, changes: [] }));
  entry.changes.push(features);
  if (entry.changes.length > 2 * JOURNAL_REVISIONS) {
    entry.changes.splice(0, JOURNAL_REVISIONS);
    entry.first += JOURNAL_REVISIONS;
  }
}

/**
 * The weight rows changed after `revision`, up to the state's current one, when every change in
 * between was an outcome applied by `applyOutcome` (undefined: unknown, rebuild from scratch).
 * Only rows can change this way: no cell ever shrinks, none is removed.
 *
 * @example const rows = changedSince(state, compiledRevision); // Set { 'kw:review', 'w:1234' }
 */
export function changedSince(state: LearnedState, revision: number): Set<string> | undefined {
  const entry = journals.get(state);
  if (!entry || revision < entry.first - 1 || entry.first + entry.changes.length - 1 !== state.revision) return undefined;
  const changed = new Set<string>();
  for (let at = revision + 1 - entry.first; at < entry.changes.length; at++) for (const feature of entry.changes[at]!) changed.add(feature);
  return changed;
}

/** Scales an agent's bandit evidence (decay) or clears it (factor 0) after its brief changed. */
export function discountAgent(state: LearnedState, agent: string, factor: number, briefHash: string): void {
  const record = state.agents.get(agent);
  if (!record) return;
  state.revision++;
  record.trials *= factor;
  record.successes *= factor;
  record.briefHash = briefHash;
  for (const row of state.weights.values()) {
    const cell = row.get(agent);
    if (!cell) continue;
    if (factor === 0) row.delete(agent);
    else row.set(agent, [cell[0] * factor, cell[1] * factor]);
  }
}

function agentRecord(state: LearnedState, agent: string, at: string): AgentRecord {
  let record = state.agents.get(agent);
  if (!record) {
    record = {
      tasks: 0,
      ok: 0,
      retries: 0,
      toolErrors: 0,
      interventions: 0,
      rejected: 0,
      latency: new LatencySketch(),
      emaFailure: 0,
      firstAt: at,
      lastAt: at,
      trials: 0,
      successes: 0,
    };
    state.agents.set(agent, record);
  }
  return record;
}

function rewardOf(outcome: Outcome & { reward?: unknown }): number {
  const reward = outcome.reward;
  return typeof reward === 'number' && Number.isFinite(reward) ? Math.min(1, Math.max(0, reward)) : 1;
}

function tallyProvider(record: AgentRecord, outcome: Outcome): void {
  const providers = (record.providers ??= {});
  const tally = (providers[outcome.provider!] ??= { tasks: 0, ok: 0, latency_ms: 0, latency_n: 0, cost_usd: 0, cost_n: 0 });
  tally.tasks++;
  if (outcome.ok) tally.ok++;
  if (Number.isFinite(outcome.latency_ms) && outcome.latency_ms >= 0) {
    tally.latency_ms += outcome.latency_ms;
    tally.latency_n++;
  }
  if (typeof outcome.cost_usd === 'number' && Number.isFinite(outcome.cost_usd) && outcome.cost_usd >= 0) {
    tally.cost_usd += outcome.cost_usd;
    tally.cost_n++;
  }
}

function finite(value: number): number {
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/** The snapshot form: sorted keys everywhere, so equal states serialize to equal bytes. */
export function stateToJSON(state: LearnedState): SerializedState {
  const sorted = <T>(map: Map<string, T>) => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    format: 'codex-flow/learned-state',
    version: 1,
    outcomes: state.outcomes,
    agents: Object.fromEntries(
      sorted(state.agents).map(([id, r]) => [
        id,
        Object.fromEntries(
          Object.entries({ ...r, latency: r.latency.toJSON() })
            .filter(([, v]) => v !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : 1)),
        ) as SerializedState['agents'][string],
      ]),
    ),
    weights: Object.fromEntries(
      sorted(state.weights).map(([feature, row]) => [
        feature,
        Object.fromEntries(sorted(row).map(([id, cell]) => [id, [cell[0], cell[1]] as [number, number]])),
      ]),
    ),
    labels: Object.fromEntries(sorted(state.labels)),
  };
}

/** Reads a snapshot back; throws on a shape it does not know (the caller rebuilds from the log). */
export function stateFromJSON(data: SerializedState): LearnedState {
  if (data?.format !== 'codex-flow/learned-state' || data.version !== 1)
    throw new Error('not a codex-flow learned-state snapshot (version 1)');
  const state = emptyState();
  state.outcomes = data.outcomes;
  for (const [id, record] of Object.entries(data.agents)) {
    const providers = record.providers
      ? Object.fromEntries(Object.entries(record.providers).map(([provider, tally]) => [provider, { ...tally }]))
      : undefined;
    state.agents.set(id, { ...record, latency: LatencySketch.from(record.latency), ...(providers ? { providers } : {}) });
  }
  for (const [feature, row] of Object.entries(data.weights)) {
    state.weights.set(feature, new Map(Object.entries(row).map(([id, cell]) => [id, [cell[0], cell[1]] as [number, number]])));
  }
  for (const [bucket, word] of Object.entries(data.labels)) state.labels.set(bucket, word);
  return state;
}
