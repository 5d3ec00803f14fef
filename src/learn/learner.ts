/**
 * The learning layer's entry point: loads the learned state (snapshot + pending segments + the
 * live outcome log, folded with the recorded decisions), records outcomes and decisions, and
 * compacts the log into the snapshot once it grows past `compactAfterBytes`.
 *
 * Naive approach: recompute from the whole log on every route, forever. What we do: the fold is
 * the same (state.ts), but compaction folds old segments into `learned-state.json` (published
 * atomically) so a load reads one snapshot and a bounded tail; the result is identical before and
 * after compaction, because the snapshot is the fold of exactly the records it replaced.
 * Invariants: outcomes are applied in log order (snapshot, segments by name, live log); a brief
 * whose hash changed between outcomes is discounted inside the fold (so replay agrees), and an
 * agent whose evidence predates the current brief is discounted when loading, with a CF6602.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { applyOutcome, discountAgent, emptyState, stateFromJSON, stateToJSON, type LearnedState, type SerializedState } from './state.js';
import { appendRecords, OUTCOMES_FILE, readLog, rotate, segmentsOf, SNAPSHOT_FILE, waitForAppends, withLock } from './store.js';
import { findDecision, readDecisions, recordDecision, type Decision } from './decisions.js';
import type { DecisionBatch } from './decision-batch.js';
import { isOutcome } from './record-shape.js';
import { stableJson, writeFileAtomic } from '../util/atomic-write.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { LearningOptions } from './options.js';
import type { Outcome } from './outcome.js';
import { rewardOf, type ReviewVerdict } from './reward.js';
import type { Workload } from '../fleet/workload.js';
import { claimVerdict, type Verdict } from './verdicts.js';

/** An outcome as the learning log stores it: the runner's record plus what the learner adds. */
export interface LearnedOutcome extends Outcome {
  /** The decision's features, copied in by `recordOutcome` so the log is self-contained. */
  context?: string[];
  labels?: Array<[string, string]>;
  /** Content hash of the agent's brief when the outcome happened. */
  brief_hash?: string;
  /** The bandit's success for this outcome (reward.ts), computed when it is recorded; absent: 0 or 1 from `ok`. */
  reward?: number;
  /** A reviewer's verdict on the work (swarm reviews, `feedback --review`). */
  review?: ReviewVerdict;
}

interface Snapshot extends SerializedState {
  segments: string[];
}

/** How long a compaction waits for appends still open on the log it rotated; past it, it folds nothing this time. */
const APPEND_WAIT_MS = 2_000;

export { isOutcome } from './record-shape.js';

/** The one place the policy turns into a factor: reset forgets, decay keeps a share, keep keeps all. */
export function briefChangeFactor(options: Pick<LearningOptions, 'onBriefChange' | 'decay'>): number {
  return options.onBriefChange === 'reset' ? 0 : options.onBriefChange === 'decay' ? options.decay : 1;
}

/**
 * Folds outcomes into `state` in order. The pure core of learning; `load` and `compact` use it.
 *
 * @example const state = foldOutcomes(emptyState(), outcomes, new Map(), options);
 */
export function foldOutcomes(
  state: LearnedState,
  outcomes: readonly LearnedOutcome[],
  decisions: ReadonlyMap<string, Decision>,
  options: LearningOptions,
): LearnedState {
  const factor = briefChangeFactor(options);
  for (const outcome of outcomes) {
    const decision = outcome.route_id === undefined ? undefined : decisions.get(outcome.route_id);
    const hash = outcome.brief_hash ?? decision?.briefs?.[outcome.agent];
    const before = state.agents.get(outcome.agent);
    if (before?.briefHash !== undefined && hash !== undefined && before.briefHash !== hash)
      discountAgent(state, outcome.agent, factor, hash);
    applyOutcome(state, outcome, outcome.context ?? decision?.features ?? [], options.emaAlpha);
    const record = state.agents.get(outcome.agent)!;
    if (hash !== undefined) record.briefHash = hash;
    for (const [bucket, word] of outcome.labels ?? decision?.labels ?? []) if (!state.labels.has(bucket)) state.labels.set(bucket, word);
  }
  return state;
}

export interface Loaded {
  state: LearnedState;
  diagnostics: Diagnostic[];
  logBytes: number;
}

export class Learning {
  readonly dir: string;
  /** A long-running process's batch of decisions not yet written (decision-batch.ts): recorded there and looked up there first. */
  batch: DecisionBatch | undefined;
  /**
   * A long-running process's compaction off the request path (src/project/background-compaction.ts):
   * when set, a due compaction is handed to it and `record` returns without compacting.
   */
  compactor: ((learning: Learning) => void) | undefined;
  constructor(
    root: string,
    readonly options: LearningOptions,
  ) {
    this.dir = join(root, options.dir);
  }

  get outcomesFile(): string {
    return join(this.dir, OUTCOMES_FILE);
  }

  /** The learned state as of now; `briefs` (agent → current brief hash) triggers the CF6602 discount. */
  load(briefs?: ReadonlyMap<string, string>): Loaded {
    const diagnostics: Diagnostic[] = [];
    const { state, segments } = this.readSnapshot(diagnostics);
    const { byId, skipped } = readDecisions(this.dir);
    if (skipped > 0) diagnostics.push(diagnostic('CF6601', `${skipped} unreadable line(s) in the decision log skipped`));
    let logBytes = 0;
    for (const file of [...segmentsOf(this.outcomesFile).filter((s) => !segments.includes(basename(s))), this.outcomesFile]) {
      const read = readLog(file, isOutcome);
      logBytes += read.bytes;
      if (read.skipped.length > 0)
        diagnostics.push(
          diagnostic(
            'CF6601',
            `${basename(file)}: line(s) ${read.skipped.slice(0, 5).join(', ')}${read.skipped.length > 5 ? '…' : ''} unreadable, skipped`,
          ),
        );
      foldOutcomes(state, read.records, byId, this.options);
    }
    if (briefs) this.discountChangedBriefs(state, briefs, diagnostics);
    return { state, diagnostics, logBytes };
  }

  /** Finds a recorded route decision by id. */
  decision(routeId: string): Decision | undefined {
    return this.batch?.find(routeId) ?? findDecision(this.dir, routeId);
  }

  /** Records a route decision: into the batch when there is one, else appended now. */
  /** Records a route's decision; false when the process's batch dropped it (a disk slower than the traffic). */
  recordDecision(decision: Decision): boolean {
    if (this.batch) return this.batch.add(this.dir, decision, this.options.maxDecisions);
    recordDecision(this.dir, decision, this.options.maxDecisions);
    return true;
  }

  /**
   * Appends an outcome (with its decision's context when it names one, and its reward when
   * there is something to discount: latency, cost or a review); compacts when due, or hands the
   * compaction to `compactor` when there is one.
   */
  record(outcome: Outcome & { review?: ReviewVerdict }, workload?: Workload): LearnedOutcome {
    return this.recordAll([{ outcome, ...(workload ? { workload } : {}) }])[0]!;
  }

  /** Appends outcomes as `record` does, with one write (they land together), then compacts (or hands it to `compactor`) when due. */
  recordAll(outcomes: ReadonlyArray<{ outcome: Outcome & { review?: ReviewVerdict }; workload?: Workload }>): LearnedOutcome[] {
    const stored = outcomes.map(({ outcome, workload }) => this.stored(outcome, workload));
    if (stored.length === 0) return stored;
    const size = appendRecords(this.outcomesFile, stored, { announce: true });
    if (size > this.options.compactAfterBytes) {
      if (this.compactor) this.compactor(this);
      else this.compact();
    }
    return stored;
  }

  private stored(outcome: Outcome & { review?: ReviewVerdict }, workload: Workload | undefined): LearnedOutcome {
    const decision = outcome.route_id === undefined ? undefined : this.decision(outcome.route_id);
    const stored: LearnedOutcome = { ...outcome };
    const reward = rewardOf(outcome, workload, this.options.reward);
    if (outcome.ok && reward !== 1) stored.reward = reward;
    if (decision) {
      stored.context = decision.features;
      if (decision.labels) stored.labels = decision.labels;
      const hash = decision.briefs?.[outcome.agent];
      if (hash !== undefined) stored.brief_hash = hash;
    }
    return stored;
  }

  /**
   * Records a person's verdict on a routed task (`feedback`, POST /v1/feedback) once per route id
   * and agent (verdicts.ts): the first is recorded; a later one records nothing and returns the verdict that
   * stands, `same` when it repeats it.
   */
  recordVerdict(
    outcome: Outcome & { route_id: string; review?: ReviewVerdict },
    workload?: Workload,
  ): { stored: LearnedOutcome } | { first: Verdict; same: boolean } {
    const verdict: Verdict = {
      route_id: outcome.route_id,
      agent: outcome.agent,
      ok: outcome.ok,
      at: outcome.at,
      ...(outcome.review ? { review: outcome.review } : {}),
    };
    const claimed = claimVerdict(this.dir, verdict, this.options.maxDecisions);
    if (!claimed.owner) return { first: claimed.first, same: claimed.same };
    return { stored: this.record(outcome, workload) };
  }

  /**
   * Folds the outcome log into the snapshot: rotate, wait for appends still open on the rotated
   * log, fold, publish, delete. Returns false when another process is compacting (it will do the
   * same work) or an append stays open past `appendWaitMs` (the segments stay pending: loads read
   * them, the next compaction folds them).
   */
  compact(stamp = `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`, appendWaitMs = APPEND_WAIT_MS): boolean {
    return (
      withLock(this.dir, () => {
        rotate(this.outcomesFile, stamp);
        if (!waitForAppends(this.dir, appendWaitMs)) return false;
        const { state, segments: folded } = this.readSnapshot([]);
        for (const done of segmentsOf(this.outcomesFile).filter((s) => folded.includes(basename(s)))) rmSync(done, { force: true });
        const pending = segmentsOf(this.outcomesFile);
        const { byId } = readDecisions(this.dir);
        for (const segment of pending) foldOutcomes(state, readLog(segment, isOutcome).records, byId, this.options);
        const snapshot: Snapshot = { ...stateToJSON(state), segments: pending.map((s) => basename(s)) };
        writeFileAtomic(join(this.dir, SNAPSHOT_FILE), stableJson(snapshot));
        for (const segment of pending) rmSync(segment, { force: true });
        return true;
      }) ?? false
    );
  }

  private readSnapshot(diagnostics: Diagnostic[]): { state: LearnedState; segments: string[] } {
    const file = join(this.dir, SNAPSHOT_FILE);
    if (!existsSync(file)) return { state: emptyState(), segments: [] };
    try {
      const data = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
      return { state: stateFromJSON(data), segments: Array.isArray(data.segments) ? data.segments : [] };
    } catch (error) {
      diagnostics.push(diagnostic('CF6604', `${SNAPSHOT_FILE}: ${(error as Error).message}`));
      return { state: emptyState(), segments: [] };
    }
  }

  private discountChangedBriefs(state: LearnedState, briefs: ReadonlyMap<string, string>, diagnostics: Diagnostic[]): void {
    const factor = briefChangeFactor(this.options);
    for (const [id, record] of state.agents) {
      const current = briefs.get(id);
      if (record.briefHash === undefined || current === undefined || current === record.briefHash || factor === 1) continue;
      discountAgent(state, id, factor, current);
      const what = factor === 0 ? 'reset' : `decayed to ${Math.round(factor * 100)} %`;
      diagnostics.push(
        diagnostic(
          'CF6602',
          `brief of ${id} changed since its outcomes were recorded: learned state ${what} (learning.on_brief_change: ${this.options.onBriefChange})`,
        ),
      );
    }
  }
}
