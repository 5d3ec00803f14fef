/**
 * The library call that records an outcome: `feedback` uses it, and the runner's default sink is
 * `LearningOutcomeSink` (same file, same format, plus the decision's context) so runs and
 * feedback feed the same learner.
 */
import { foldOutcomes, Learning, type LearnedOutcome } from './learner.js';
import type { LearnedState } from './state.js';
import { resolveLearningOptions, type LearningOptions } from './options.js';
import type { Outcome, OutcomeSink } from './outcome.js';
import type { Workload } from '../fleet/workload.js';
import type { ReviewVerdict } from './reward.js';

/**
 * Appends one outcome to `<root>/.codex-flow/outcomes.jsonl` (crash- and concurrency-safe), with
 * the context of the route decision it names, and compacts the log when it is due.
 *
 * @example
 * recordOutcome('/repo', { route_id: 'route:1f2e…', agent: 'debugger', alias: 'debugger', ok: true, latency_ms: 900, retries: 0, tool_errors: 0, stop_reason: 'completed', task_hash: 'sha256:…', at: new Date().toISOString() });
 */
export function recordOutcome(
  root: string,
  outcome: Outcome & { review?: ReviewVerdict },
  options: LearningOptions = resolveLearningOptions(),
  workload?: Workload,
): LearnedOutcome {
  return new Learning(root, options).record(outcome, workload);
}

/**
 * An OutcomeSink for the runner that records through the learner. Given the learned state the
 * run routes with (`openLearning(…).state`), it also folds each outcome into it, as a later
 * load of the log would: a long `run` or `swarm` learns from its own first tasks (one outcome
 * patches the compiled state rather than rebuilding it), instead of only the next process doing so.
 *
 * Outcomes recorded in the same turn of the event loop (tasks finishing together) are appended
 * with one write at the end of that turn; each `record` resolves once its line is written, so an
 * outcome whose `record` resolved is in the log, as with one write per outcome.
 */
export class LearningOutcomeSink implements OutcomeSink {
  private readonly learning: Learning;
  private waiting: Array<{ outcome: Outcome; done: (error?: Error) => void }> = [];

  constructor(
    root: string,
    private readonly options: LearningOptions = resolveLearningOptions(),
    private readonly live?: LearnedState,
    private readonly workloadOf?: (agent: string) => Workload | undefined,
  ) {
    this.learning = new Learning(root, options);
  }

  record(outcome: Outcome): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.waiting.length === 0) setImmediate(() => this.flush());
      this.waiting.push({ outcome, done: (error) => (error ? reject(error) : resolve()) });
    });
  }

  private flush(): void {
    const batch = this.waiting.splice(0);
    try {
      const stored = this.learning.recordAll(
        batch.map(({ outcome }) => {
          const workload = this.workloadOf?.(outcome.agent);
          return { outcome, ...(workload ? { workload } : {}) };
        }),
      );
      if (this.live) foldOutcomes(this.live, stored, new Map(), this.options);
    } catch (error) {
      for (const { done } of batch) done(error as Error);
      return;
    }
    for (const { done } of batch) done();
  }
}
