/**
 * One learning outcome per reviewed subtask. The runner records an outcome for every task it runs,
 * and a reviewed subtask runs its agent once per attempt: without this sink, a first attempt that
 * its review failed would teach learning that the agent succeeded. This sink sits between the
 * runner and the real sink: outcomes of a reviewed subtask's work (known by its task hash: same
 * agent, task and files on every attempt) are held, and when its review cycle ends, the last one
 * is recorded once, with `ok` the subtask's final state (`review-failed` when a review failed it).
 * Every other outcome (unreviewed subtasks, the reviews themselves) passes straight through.
 *
 * @example
 * const sink = new SubtaskOutcomes(init.outcomes);
 * sink.hold(hash); … await sink.settle(hash, false);
 */
import type { Outcome, OutcomeSink } from '../runner/outcomes.js';

export class SubtaskOutcomes implements OutcomeSink {
  private readonly held = new Map<string, Outcome | null>();

  constructor(private readonly sink: OutcomeSink) {}

  /** Outcomes with this task hash wait for `settle`. */
  hold(taskHash: string): void {
    if (!this.held.has(taskHash)) this.held.set(taskHash, null);
  }

  async record(outcome: Outcome): Promise<void> {
    if (this.held.has(outcome.task_hash)) this.held.set(outcome.task_hash, outcome);
    else await this.sink.record(outcome);
  }

  /** Records the subtask's last held outcome once, as a success only when the subtask completed. */
  async settle(taskHash: string, completed: boolean): Promise<void> {
    const last = this.held.get(taskHash);
    this.held.delete(taskHash);
    if (!last) return;
    const failedByReview = !completed && last.ok;
    await this.sink.record({ ...last, ok: completed && last.ok, ...(failedByReview ? { stop_reason: 'review-failed' } : {}) });
  }
}
