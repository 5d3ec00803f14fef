/**
 * The review step (the quality cascade): once a subtask with a `reviewer` completes, the reviewer
 * agent gets the task, its acceptance criteria and the work (answer and changed files) and ends
 * its answer with `VERDICT: pass` or `VERDICT: fail`. A `fail` sends the work back to the
 * subtask's agent with the review attached, up to `--max-revisions` times; a `fail` with no
 * revision left fails the subtask (its dependents are skipped). A review without a verdict line
 * (`none`), or a reviewer that could not run (`not-run`: budget spent, provider down), does not
 * block the work; the outcome's `review` says so and the swarm warns of a review that did not run.
 *
 * Each review and revision is logged before the swarm acts on it. The subtask's outcome sums the
 * usage, cost, time and steps of every attempt and review, so the report still adds up.
 *
 * @example
 * const outcome = await reviewCycle(subtask, first, { runner, log, maxRevisions: 1, … });
 */
import type { TaskResult } from '../runner/execute-task.js';
import type { SubtaskRunner } from './execute.js';
import type { SwarmLog } from './event-log.js';
import type { SubtaskOutcome } from './outcome.js';
import type { RoutedSubtask } from './plan.js';

/** Characters of a review kept in the outcome and sent back with a revision. */
const REVIEW_CHARS = 2_000;
const VERDICT = /^\s*\**VERDICT\**\s*:\s*\**\s*(pass|fail)\b/im;

/** `none`: the review ran but ended without a verdict line; `not-run`: the reviewer could not run (budget, provider down). */
export type Verdict = 'pass' | 'fail' | 'none' | 'not-run';

export interface Review {
  reviewer: string;
  verdict: Verdict;
  summary: string;
  revision: number;
}

export interface ReviewContext {
  runner: SubtaskRunner;
  log: SwarmLog;
  swarmId: string;
  maxRevisions: number;
  /** Runs the subtask's work again with `feedback` added to its context; the outcome of that attempt. */
  rework: (feedback: string) => Promise<SubtaskOutcome>;
  index: number;
  results: TaskResult[];
}

/** The last verdict line of a review; `none` when there is none. */
export function verdictOf(text: string): Verdict {
  const matches = [...text.matchAll(new RegExp(VERDICT.source, 'gim'))];
  return (matches.at(-1)?.[1]?.toLowerCase() as 'pass' | 'fail' | undefined) ?? 'none';
}

export async function reviewCycle(
  subtask: RoutedSubtask,
  first: SubtaskOutcome,
  context: ReviewContext,
): Promise<SubtaskOutcome & { reviews: Review[]; review: Verdict }> {
  const reviews: Review[] = [];
  let work = first;
  let total = { ...first, usage: { ...first.usage } };
  for (let revision = 0; ; revision++) {
    const review = await runReview(subtask, work, revision, context);
    reviews.push(review.review);
    if (review.result) total = add(total, review.result);
    context.log.append({
      event: 'subtask-reviewed',
      id: subtask.id,
      reviewer: review.review.reviewer,
      verdict: review.review.verdict,
      revision,
    });
    if (review.review.verdict !== 'fail')
      return { ...total, summary: work.summary, changed_files: work.changed_files, reviews, review: review.review.verdict };
    if (revision >= context.maxRevisions) {
      return {
        ...total,
        state: 'failed',
        reason: `${subtask.reviewer} failed the work after ${revision} revision(s): ${firstLine(review.review.summary)}`,
        summary: work.summary,
        changed_files: work.changed_files,
        reviews,
        review: 'fail',
      };
    }
    context.log.append({ event: 'subtask-revised', id: subtask.id, revision: revision + 1 });
    work = await context.rework(
      `A review by ${subtask.reviewer} failed your previous answer. Revise the work to address it:\n${review.review.summary}`,
    );
    total = add(total, work);
    if (work.state !== 'completed')
      return {
        ...total,
        state: 'failed',
        reason: work.reason ?? 'the revision failed',
        stop_reason: work.stop_reason ?? 'error',
        summary: work.summary,
        changed_files: work.changed_files,
        reviews,
        review: 'fail',
      };
  }
}

async function runReview(
  subtask: RoutedSubtask,
  work: SubtaskOutcome,
  revision: number,
  context: ReviewContext,
): Promise<{ review: Review; result?: SubtaskOutcome }> {
  const reviewer = subtask.reviewer!;
  const prompt = [
    `Swarm subtask ${subtask.id}.review of swarm ${context.swarmId}.`,
    `Review the work done for this task by ${work.agent ?? 'an agent'}: ${subtask.task}`,
    ...(subtask.acceptance.length > 0 ? [`It is done when:\n${subtask.acceptance.map((criterion) => `- ${criterion}`).join('\n')}`] : []),
    `The answer:\n${work.summary || '(no answer text)'}`,
    ...(work.changed_files.length > 0 ? [`Changed files: ${work.changed_files.join(', ')}`] : []),
    'End your answer with one line: VERDICT: pass (the work does the task) or VERDICT: fail (it does not), after your reasons.',
  ].join('\n\n');
  const prepared = await context.runner.prepare(
    { task: `review: ${subtask.task}`, agent: reviewer, files: work.changed_files, prompt, id: `${subtask.id}.review-${revision}` },
    context.index,
  );
  if (!prepared.ok)
    return { review: { reviewer, verdict: 'not-run', summary: `the review could not run: ${prepared.diagnostic.message}`, revision } };
  const result = await context.runner.submit(prepared.task);
  context.results.push(result);
  const summary = result.ok ? result.text.slice(0, REVIEW_CHARS) : `the review could not run: ${result.error ?? result.stop_reason}`;
  const usage: SubtaskOutcome = { ...work, usage: { ...result.usage }, cost_usd: result.cost_usd, ms: result.ms, steps: result.steps };
  return { review: { reviewer, verdict: result.ok ? verdictOf(result.text) : 'not-run', summary, revision }, result: usage };
}

/** Sums what an attempt or review cost into the subtask's totals. */
function add(total: SubtaskOutcome, part: Pick<SubtaskOutcome, 'usage' | 'cost_usd' | 'ms' | 'steps'>): SubtaskOutcome {
  return {
    ...total,
    usage: {
      input: total.usage.input + part.usage.input,
      output: total.usage.output + part.usage.output,
      cached: total.usage.cached + part.usage.cached,
    },
    cost_usd: total.cost_usd === null && part.cost_usd === null ? null : (total.cost_usd ?? 0) + (part.cost_usd ?? 0),
    ms: total.ms + part.ms,
    steps: total.steps + part.steps,
  };
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line !== '' && !VERDICT.test(line))
      ?.slice(0, 200) ?? 'no reason given'
  );
}
