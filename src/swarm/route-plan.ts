/**
 * Gives every subtask its agent: the plan's `agent` when the fleet knows it (an agent id or a
 * configured alias), else the router's top candidate for the subtask's task and files, the same
 * router `codex-flow route` and `run` use (with the learned model; outside `--dry-run` each
 * decision is recorded, so the subtask's outcome teaches it). An unknown hint is a CF8105 warning
 * and the subtask is routed; a subtask nothing matches is a CF8108 error.
 *
 * @example
 * const { plan: routed, diagnostics } = await routePlan(plan, { router, knows: (name) => resolver.resolve(name).ok });
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { closest } from '../util/closest.js';
import { explainLines } from '../router/format.js';
import type { RouterLike } from '../runner/prepare.js';
import type { Assignment, PlanLocator, RoutedPlan, RoutedSubtask, SwarmPlan } from './plan.js';

/** Runner-up agents kept per subtask: enough to see how close the choice was. */
const ALTERNATIVES_SHOWN = 2;
/** Evidence lines kept per routed subtask in the plan: the strongest reasons, not the whole score. */
const WHY_LINES_SHOWN = 3;
/** Evidence lines only: the score arithmetic (`+ semantic …`, `= score …`) is `route --explain`'s business. */
const SCORE_LINE = /^[+=-] /;

export interface RouteContext {
  /** Absent: only subtasks with a known `agent` get one. */
  router?: RouterLike;
  /** Whether an agent id or alias can run (AliasResolver.resolve(name).ok). */
  knows: (name: string) => boolean;
  /** Names offered in "did you mean" hints. */
  names?: readonly string[];
  locate?: PlanLocator;
}

export async function routePlan(plan: SwarmPlan, context: RouteContext): Promise<{ plan: RoutedPlan; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const subtasks: RoutedSubtask[] = [];
  for (let [index, subtask] of plan.subtasks.entries()) {
    if (subtask.reviewer !== undefined && !context.knows(subtask.reviewer)) {
      diagnostics.push(
        diagnostic(
          'CF8117',
          `subtask "${subtask.id}": no agent or alias "${subtask.reviewer}" to review it; it runs without a review`,
          context.locate?.(['subtasks', index, 'reviewer']),
        ),
      );
      const { reviewer: _unknown, ...rest } = subtask;
      subtask = rest;
    }
    let hintNote: string | undefined;
    if (subtask.agent !== undefined) {
      if (context.knows(subtask.agent)) {
        subtasks.push({
          ...subtask,
          assignment: subtask.follow_up
            ? { agent: subtask.agent, source: 'follow-up', why: ['a follow-up in the plan'] }
            : { agent: subtask.agent, source: 'plan', why: ['named in the plan'] },
        });
        continue;
      }
      const guess = context.names ? closest(subtask.agent, context.names) : undefined;
      diagnostics.push(
        diagnostic(
          'CF8105',
          `subtask "${subtask.id}": no agent or alias "${subtask.agent}" in the fleet${guess ? ` (did you mean "${guess}"?)` : ''}; routing it instead`,
          context.locate?.(['subtasks', index, 'agent']),
        ),
      );
      hintNote = `the plan's agent "${subtask.agent}" is not in the fleet`;
    }
    const assignment = await routeOne(subtask.task, subtask.files, `subtask:${plan.goal}:${subtask.id}`, context.router);
    if (hintNote) assignment.why.unshift(hintNote);
    if (assignment.agent === null)
      diagnostics.push(
        diagnostic(
          'CF8108',
          `subtask "${subtask.id}": ${assignment.why.at(-1) ?? 'no agent matched'}`,
          context.locate?.(['subtasks', index, 'task']),
        ),
      );
    subtasks.push({ ...subtask, assignment });
  }
  return { plan: { goal: plan.goal, source: plan.source, subtasks }, diagnostics };
}

/** `idSalt` names the subtask, so two subtasks with the same task and files are two decisions. */
async function routeOne(task: string, files: readonly string[], idSalt: string, router: RouterLike | undefined): Promise<Assignment> {
  if (!router) return { agent: null, source: 'none', why: ['no agent named and no router to pick one'] };
  const request = { task, files, idSalt };
  const routed = router.routeAsync ? await router.routeAsync(request) : router.route(request);
  const top = routed.candidates[0];
  if (!top) return { agent: null, source: 'none', why: [routed.fallback?.reason ?? 'no agent matched'] };
  const why = explainLines(top)
    .filter((line) => !SCORE_LINE.test(line.trim()))
    .slice(0, WHY_LINES_SHOWN);
  if (routed.fallback) why.unshift(routed.fallback.reason);
  return {
    agent: top.id,
    source: 'routed',
    why,
    route_id: routed.routeId,
    score: top.score,
    stages: [...top.stages],
    alternatives: routed.candidates.slice(1, 1 + ALTERNATIVES_SHOWN).map((candidate) => ({ id: candidate.id, score: candidate.score })),
  };
}
