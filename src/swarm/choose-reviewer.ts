/**
 * `--review`: every subtask that names no `reviewer:` gets one, chosen by the router among the
 * fleet's reviewer agents: the router routes "review: <the subtask's task>" (with its files), and
 * the best candidate that is a reviewer, and not the subtask's own agent, reviews it. A reviewer
 * agent is one whose id says so (`review`, `audit`) or whose description opens with the job
 * ("Use this agent to review …", "Reviews …"). A subtask for which the router ranks no reviewer
 * runs without one (CF8132, a note): a reviewer that does not know the work is noise. Follow-ups get none (they are the review step of
 * someone else's work already). A fleet without reviewers is a CF8131 warning; the plan runs unreviewed.
 *
 * @example
 * const { plan: reviewed } = await chooseReviewers(plan, { router, reviewers: reviewerAgents(agents) });
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { RouterLike } from '../runner/prepare.js';
import type { RoutedPlan, RoutedSubtask } from './plan.js';

const REVIEWER_ID = /review|audit/i;
const REVIEWER_DESCRIPTION = /^\s*(?:use (?:this agent )?(?:proactively )?to review\b|reviews?\b|expert (?:code )?review)/i;

/** The fleet's reviewer agents, in the fleet's order. */
export function reviewerAgents(agents: ReadonlyArray<{ id: string; description: string }>): string[] {
  return agents.filter((agent) => REVIEWER_ID.test(agent.id) || REVIEWER_DESCRIPTION.test(agent.description)).map((agent) => agent.id);
}

export async function chooseReviewers(
  plan: RoutedPlan,
  context: { router?: RouterLike; reviewers: readonly string[] },
): Promise<{ plan: RoutedPlan; diagnostics: Diagnostic[] }> {
  if (context.reviewers.length === 0) {
    return {
      plan,
      diagnostics: [
        diagnostic(
          'CF8131',
          '--review: the fleet has no reviewer agent (an id with "review" or "audit", or a description that opens "Use this agent to review"); the subtasks run without a review',
        ),
      ],
    };
  }
  const reviewers = new Set(context.reviewers);
  const subtasks: RoutedSubtask[] = [];
  const unreviewed: string[] = [];
  for (const subtask of plan.subtasks) {
    if (
      subtask.reviewer !== undefined ||
      subtask.assignment.source === 'follow-up' ||
      subtask.follow_up ||
      subtask.assignment.agent === null
    ) {
      subtasks.push(subtask);
      continue;
    }
    const chosen = await chooseOne(subtask, reviewers, context.router);
    if (!chosen) unreviewed.push(subtask.id);
    subtasks.push(chosen ? { ...subtask, ...chosen } : subtask);
  }
  const diagnostics =
    unreviewed.length > 0
      ? [
          diagnostic(
            'CF8132',
            `--review: the router ranked no reviewer (other than the subtask's own agent) for ${unreviewed.join(', ')}; they run without a review`,
          ),
        ]
      : [];
  return { plan: { ...plan, subtasks }, diagnostics };
}

async function chooseOne(
  subtask: RoutedSubtask,
  reviewers: ReadonlySet<string>,
  router: RouterLike | undefined,
): Promise<{ reviewer: string; reviewer_why: string } | undefined> {
  if (!router) return undefined;
  const request = { task: `review: ${subtask.task}`, files: subtask.files };
  const routed = router.routeAsync ? await router.routeAsync(request) : router.route(request);
  // Only an agent a stage found: the depth candidates after them match nothing of the request.
  const best = routed.candidates.find(
    (candidate) => candidate.stages.length > 0 && reviewers.has(candidate.id) && candidate.id !== subtask.assignment.agent,
  );
  return best
    ? { reviewer: best.id, reviewer_why: `routed: the best reviewer for "review: ${subtask.task}" (score ${best.score.toFixed(2)})` }
    : undefined;
}
