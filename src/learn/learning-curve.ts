/**
 * `eval --learn`: does routing get better with feedback? The labeled set is replayed as a stream
 * in k folds: for each fold, the other folds are the training stream (route, then record the
 * feedback a user would give), and the held-out fold is scored after 0, 10, 25, 50 and 100 % of
 * that stream. Feedback per training request: the top-1 agent succeeded when it is an expected
 * agent; otherwise it failed, and the user re-assigned it (`feedback --agent ID`) to the best-ranked
 * expected agent among the candidates shown (or the first expected one), which succeeded.
 * Beside the held-out numbers (new requests), each point reports top-1 on the training requests
 * already fed back, routed again: what learning does for traffic that recurs. Routing is on posterior means (explore off), so the curve is
 * reproducible; the fold split is shuffled with a fixed seed.
 *
 * @example
 * const curve = learningCurve((learned) => createRouter(fleet, { learned }), labels, priorsFrom(fleet.triggers));
 * curve.points.map((p) => p.top1) // [0.71, 0.72, 0.74, 0.76, 0.79]
 */
import { featuresOf } from './features.js';
import { createLearnedModel } from './model.js';
import { createRandom } from './random.js';
import { applyOutcome, emptyState, type LearnedState } from './state.js';
import { DEFAULT_EMA_ALPHA, DEFAULT_PRIOR_STRENGTH } from './options.js';
import { evaluate, type Label } from '../router/eval.js';
import type { Router } from '../router/staged-router.js';
import type { LearnedModel } from '../router/types.js';

/** Five folds: 80 % of a 300-line dev set trains, 60 lines per held-out fold. */
export const DEFAULT_FOLDS = 5;
/**
 * Three shuffles: one split moves a 300-line curve by ±1 point (a handful of requests flip);
 * averaging three halves that noise for three times the routes (seconds on the dev sets).
 */
export const DEFAULT_REPEATS = 3;
/** The checkpoints reported: share of the training feedback seen. */
export const CURVE_FRACTIONS: readonly number[] = [0, 0.1, 0.25, 0.5, 1];

export interface CurvePoint {
  fraction: number;
  feedback: number;
  /** On the held-out fold: requests never fed back. */
  top1: number;
  top3: number;
  mrr: number;
  /** Top-1 on the training requests already fed back, routed again: recurring traffic (null at 0 %). */
  seenTop1: number | null;
  /** Top-1 on those same requests without learning, for comparison. */
  seenBaseline: number | null;
}
export interface LearningCurve {
  folds: number;
  repeats: number;
  labels: number;
  points: CurvePoint[];
}

export interface CurveOptions {
  folds?: number;
  repeats?: number;
  seed?: number;
  priorStrength?: number;
}

export function learningCurve(
  build: (learned: LearnedModel) => Router,
  labels: readonly Label[],
  priors: ReadonlyMap<string, number>,
  options: CurveOptions = {},
): LearningCurve {
  const folds = Math.max(2, Math.min(options.folds ?? DEFAULT_FOLDS, labels.length));
  const strength = options.priorStrength ?? DEFAULT_PRIOR_STRENGTH;
  // One state, emptied per fold, so one router (built once) serves every fold.
  const state: LearnedState = emptyState();
  const router = build(createLearnedModel(state, priors, { explore: false, priorStrength: strength }));
  const repeats = Math.max(1, options.repeats ?? DEFAULT_REPEATS);
  const sums = CURVE_FRACTIONS.map((fraction) => ({ fraction, feedback: 0, top1: 0, top3: 0, mrr: 0, seen: 0, seenBase: 0, seenCount: 0 }));
  for (let repeat = 0; repeat < repeats; repeat++) {
    const order = shuffled(labels, (options.seed ?? 1) + repeat);
    for (let fold = 0; fold < folds; fold++) {
      const heldOut = order.filter((_, i) => i % folds === fold);
      const training = order.filter((_, i) => i % folds !== fold);
      clearState(state);
      let fed = 0;
      // Plain routing of each training request (empty state), the baseline for "fed back, routed again".
      const plainHits = training.map((label) => (evaluate(router, [label]).top1 === 1 ? 1 : 0));
      CURVE_FRACTIONS.forEach((fraction, point) => {
        const until = Math.round(fraction * training.length);
        for (; fed < until; fed++) feedBack(router, state, training[fed]!, fed);
        const report = evaluate(router, heldOut);
        const sum = sums[point]!;
        sum.feedback += fed;
        // Counts, not rounded ratio × size: summed over folds, the rounding made the 0 % point differ
        // from plain `eval` in the fourth decimal (0.8513 vs 0.8514 for 63 of 74).
        sum.top1 += Math.round(report.top1 * heldOut.length);
        sum.top3 += Math.round(report.top3 * heldOut.length);
        sum.mrr += report.mrr * heldOut.length;
        if (fed > 0) {
          sum.seen += evaluate(router, training.slice(0, fed)).top1 * fed;
          sum.seenCount += fed;
          for (let i = 0; i < fed; i++) sum.seenBase += plainHits[i]!;
        }
      });
    }
  }
  const ratio = (n: number) => Math.round((n / labels.length / repeats) * 1e4) / 1e4;
  return {
    folds,
    repeats,
    labels: labels.length,
    points: sums.map((s) => ({
      fraction: s.fraction,
      feedback: Math.round(s.feedback / folds / repeats),
      top1: ratio(s.top1),
      top3: ratio(s.top3),
      mrr: ratio(s.mrr),
      seenTop1: s.seenCount === 0 ? null : Math.round((s.seen / s.seenCount) * 1e4) / 1e4,
      seenBaseline: s.seenCount === 0 ? null : Math.round((s.seenBase / s.seenCount) * 1e4) / 1e4,
    })),
  };
}

/** Routes one training request and folds in the feedback a user would give. */
function feedBack(router: Router, state: LearnedState, label: Label, n: number): void {
  const result = router.route({ task: label.task, files: label.files }, { top: 1 });
  const chosen = result.candidates[0]?.id;
  const context = featuresOf(label.task, label.files, result.fired ?? []);
  const at = new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString();
  const outcome = (agent: string, ok: boolean) =>
    applyOutcome(
      state,
      {
        route_id: result.routeId,
        agent,
        alias: agent,
        ok,
        latency_ms: 0,
        retries: 0,
        tool_errors: 0,
        stop_reason: 'feedback',
        task_hash: '',
        at,
      },
      context,
      DEFAULT_EMA_ALPHA,
    );
  if (chosen !== undefined && label.expected.includes(chosen)) return outcome(chosen, true);
  if (chosen !== undefined) outcome(chosen, false);
  // The user hands the task to the best-ranked right agent they can see, else the first label.
  const shown = router.route({ task: label.task, files: label.files }).candidates.find((c) => label.expected.includes(c.id));
  outcome(shown?.id ?? label.expected[0]!, true);
}

function clearState(state: LearnedState): void {
  state.agents.clear();
  state.weights.clear();
  state.labels.clear();
  state.outcomes = 0;
  state.revision++;
}

/** Fisher–Yates with the seeded source: the same seed, the same folds. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = createRandom(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
