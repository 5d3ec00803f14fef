/**
 * One learning outcome per subtask, its own. The runner records an outcome for every task it runs,
 * known only by its task hash (agent, task and files), and a reviewed subtask runs its agent once
 * per attempt: without this sink, a first attempt that its review failed would teach learning that
 * the agent succeeded, and two subtasks with the same agent, task and files could not be told
 * apart. So this sink sits between the runner and the real sink: the runner's outcomes of a
 * subtask's own work (a task hash the swarm claimed) are dropped, and the swarm hands in each
 * attempt's outcome itself, by subtask id, from that attempt's task result; when the subtask ends,
 * its last attempt is recorded once, with `ok` the subtask's final state (`review-failed` when a
 * review failed it). Every other outcome (the reviews themselves) passes straight through.
 *
 * @example
 * const sink = new SubtaskOutcomes(init.outcomes);
 * sink.claim(hash); … sink.attempt('s1', outcomeOfTask(result, at)  (runner/task-result.ts)); … await sink.settle('s1', false);
 */
import type { Outcome, OutcomeSink } from '../learn/outcome.js';

export class SubtaskOutcomes implements OutcomeSink {
  private readonly claimed = new Set<string>();
  private readonly last = new Map<string, Outcome>();

  constructor(private readonly sink: OutcomeSink) {}

  /** The runner's outcomes with this task hash are a subtask's work: the swarm records them itself. */
  claim(taskHash: string): void {
    this.claimed.add(taskHash);
  }

  async record(outcome: Outcome): Promise<void> {
    if (!this.claimed.has(outcome.task_hash)) await this.sink.record(outcome);
  }

  /** The outcome of one attempt at subtask `id`'s work; the last one counts. */
  attempt(id: string, outcome: Outcome | undefined): void {
    if (outcome) this.last.set(id, outcome);
    else this.last.delete(id);
  }

  /** Subtask `id`'s last attempt so far (the one `settle` will record), if any. */
  lastOf(id: string): Outcome | undefined {
    return this.last.get(id);
  }

  /** Records subtask `id`'s last attempt once, as a success only when the subtask completed. */
  async settle(id: string, completed: boolean): Promise<void> {
    const last = this.last.get(id);
    this.last.delete(id);
    if (!last) return;
    const failedByReview = !completed && last.ok;
    await this.sink.record({ ...last, ok: completed && last.ok, ...(failedByReview ? { stop_reason: 'review-failed' } : {}) });
  }
}
