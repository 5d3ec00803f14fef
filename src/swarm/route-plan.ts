/**
 * Gives every subtask its agent: the plan's `agent` when the fleet knows it (an agent id or a
 * configured alias), else the router's top candidate for the subtask's task and files, the same
 * router `codex-flow route` and `run` use (with the learned model; outside `--dry-run` each
 * decision is recorded, so the subtask's outcome teaches it). An unknown hint is a CF8105 warning
 * and the subtask is routed; a subtask nothing matches is a CF8108 error.
 *
 * Delegation priors (learn/delegation.ts: the briefs' `prefers` / `complements`, reinforced by
 * hand-offs that saved retries or time) break near-ties: when a routed subtask's candidates within
 * DELEGATION_MARGIN of the router's top score include one the agents of its dependencies prefer
 * more than they prefer the top, that one gets the subtask and its `why` says so. A prior never
 * overrides a clear winner: outside the margin the router's top stands whatever the priors say.
 * Subtasks are visited in dependency order, so a dependency's final agent is the one that hands off.
 *
 * @example
 * const { plan: routed, diagnostics } = await routePlan(plan, { router, knows: (name) => resolver.resolve(name).ok });
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { closest } from '../util/closest.js';
import { explainLines } from '../router/format.js';
import type { RouterLike } from '../runner/prepare.js';
import type { Assignment, PlanLocator, RoutedPlan, RoutedSubtask, SwarmPlan } from './plan.js';
import type { DelegationPriors } from '../learn/delegation.js';
import { GOAL_WEIGHT, goalContextLine, goalScores, withGoalContext, type GoalContext } from './goal-context.js';

/** Runner-up agents kept per subtask: enough to see how close the choice was. */
const ALTERNATIVES_SHOWN = 2;
/** Evidence lines kept per routed subtask in the plan: the strongest reasons, not the whole score. */
const WHY_LINES_SHOWN = 3;
/** Evidence lines only: the score arithmetic (`+ semantic …`, `= score …`) is `route --explain`'s business. */
const SCORE_LINE = /^[+=-] /;
/**
 * Candidates within a tenth of the top score are a near-tie: the lexical stages' scores move by
 * about that much with a word more or less in the task, so the router cannot tell them apart.
 */
export const DELEGATION_MARGIN = 0.1;
/** Candidates looked at for a near-tie: the router's own top few. */
const DELEGATION_CANDIDATES = 5;

export interface Candidate {
  id: string;
  score: number;
  stages: string[];
  why: string[];
}

export interface RouteContext {
  /** Absent: only subtasks with a known `agent` get one. */
  router?: RouterLike;
  /** Whether an agent id or alias can run (AliasResolver.resolve(name).ok). */
  knows: (name: string) => boolean;
  /** Names offered in "did you mean" hints. */
  names?: readonly string[];
  locate?: PlanLocator;
  /** The fleet's delegation priors: they break near-ties between a subtask's candidates. */
  delegation?: Pick<DelegationPriors, 'prior'>;
}

export async function routePlan(plan: SwarmPlan, context: RouteContext): Promise<{ plan: RoutedPlan; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const subtasks: RoutedSubtask[] = [];
  const close = new Map<string, Candidate[]>();
  let goal: GoalContext | undefined;
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
    goal ??= goalScores(plan.goal, context.router);
    const { assignment, candidates } = await routeOne(
      subtask.task,
      subtask.files,
      `subtask:${plan.goal}:${subtask.id}`,
      context.router,
      goal,
    );
    if (candidates.length > 1) close.set(subtask.id, candidates);
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
  if (context.delegation && close.size > 0) applyDelegation(subtasks, close, context.delegation);
  return { plan: { goal: plan.goal, source: plan.source, subtasks }, diagnostics };
}

/** Near-ties go to the candidate the dependencies' agents prefer, in dependency order (the plan is a DAG). */
function applyDelegation(
  subtasks: RoutedSubtask[],
  close: ReadonlyMap<string, Candidate[]>,
  delegation: Pick<DelegationPriors, 'prior'>,
): void {
  const byId = new Map(subtasks.map((subtask, index) => [subtask.id, index]));
  const visited = new Set<string>();
  const visit = (id: string): void => {
    if (visited.has(id)) return;
    visited.add(id);
    const index = byId.get(id);
    if (index === undefined) return;
    const subtask = subtasks[index]!;
    for (const dependency of subtask.depends_on) visit(dependency);
    const candidates = close.get(id);
    if (!candidates) return;
    const from = subtask.depends_on.flatMap((dependency) => {
      const agent = subtasks[byId.get(dependency) ?? -1]?.assignment.agent;
      return agent ? [agent] : [];
    });
    const chosen = delegatedChoice(candidates, [...new Set(from)], delegation);
    if (chosen) subtasks[index] = { ...subtask, assignment: delegatedAssignment(subtask.assignment, candidates, chosen) };
  };
  for (const subtask of subtasks) visit(subtask.id);
}

/** The near-tie candidate with the strongest prior from any of `from`, when it beats the top's own prior. */
export function delegatedChoice(
  candidates: readonly Candidate[],
  from: readonly string[],
  delegation: Pick<DelegationPriors, 'prior'>,
): { candidate: Candidate; from: string; prior: number } | undefined {
  const top = candidates[0];
  if (!top || from.length === 0) return undefined;
  const strongest = (candidate: Candidate) =>
    from
      .filter((agent) => agent !== candidate.id)
      .map((agent) => ({ from: agent, prior: delegation.prior(agent, candidate.id) }))
      .sort((a, b) => b.prior - a.prior)[0] ?? { from: '', prior: 0 };
  const topPrior = strongest(top).prior;
  let best: { candidate: Candidate; from: string; prior: number } | undefined;
  for (const candidate of candidates.slice(1)) {
    if (top.score - candidate.score > DELEGATION_MARGIN * Math.abs(top.score)) break;
    const { from: agent, prior } = strongest(candidate);
    if (prior > (best?.prior ?? topPrior)) best = { candidate, from: agent, prior };
  }
  return best;
}

function delegatedAssignment(
  routed: Assignment,
  candidates: readonly Candidate[],
  chosen: { candidate: Candidate; from: string; prior: number },
): Assignment {
  const top = candidates[0]!;
  const { candidate } = chosen;
  // The goal's context described the router's choice, not this one: its scores are in the candidates'.
  const { goal_context: _described, ...routedRest } = routed;
  const note =
    `chosen by delegation prior from ${chosen.from} (${chosen.prior.toFixed(2)}): within ${DELEGATION_MARGIN * 100} % of the router's top ` +
    `${top.id} (score ${candidate.score.toFixed(3)} vs ${top.score.toFixed(3)})`;
  return {
    ...routedRest,
    agent: candidate.id,
    why: [note, ...candidate.why],
    score: candidate.score,
    stages: candidate.stages,
    alternatives: candidates
      .filter((other) => other.id !== candidate.id)
      .slice(0, ALTERNATIVES_SHOWN)
      .map((other) => ({ id: other.id, score: other.score })),
    delegation: { from: chosen.from, prior: chosen.prior, router_top: top.id, margin: DELEGATION_MARGIN },
  };
}

/**
 * `idSalt` names the subtask, so two subtasks with the same task and files are two decisions. The
 * decision is routed on the subtask's own words; the goal's context then re-ranks its candidates
 * (goal-context.ts), and the plan shows what the goal added.
 */
async function routeOne(
  task: string,
  files: readonly string[],
  idSalt: string,
  router: RouterLike | undefined,
  goal: GoalContext,
): Promise<{ assignment: Assignment; candidates: Candidate[] }> {
  if (!router) return { assignment: { agent: null, source: 'none', why: ['no agent named and no router to pick one'] }, candidates: [] };
  const request = { task, files, idSalt };
  const routed = router.routeAsync ? await router.routeAsync(request) : router.route(request);
  if (!routed.candidates[0])
    return { assignment: { agent: null, source: 'none', why: [routed.fallback?.reason ?? 'no agent matched'] }, candidates: [] };
  // A generalist's or empty fallback has no order worth re-ranking; the semantic fallback's lexical
  // similarity is the subtask's own evidence, and the goal's context is most needed there ("write the tests").
  const blendable = !routed.fallback || routed.fallback.kind === 'semantic';
  const blended = withGoalContext(routed.candidates, blendable ? goal : { goal: goal.goal, scores: new Map() });
  const chosen = blended[0]!;
  const top = chosen.candidate;
  const ownTop = blended.find((entry) => entry.candidate === routed.candidates[0]);
  const whyOf = (candidate: (typeof routed.candidates)[number]) =>
    explainLines(candidate)
      .filter((line) => !SCORE_LINE.test(line.trim()))
      .slice(0, WHY_LINES_SHOWN);
  const why = whyOf(top);
  if (routed.fallback) why.unshift(routed.fallback.reason);
  const contextLine = goalContextLine(chosen, ownTop);
  if (contextLine) why.push(contextLine);
  // A fallback answer (nothing matched) has no near-tie worth a prior: its order is not evidence.
  const candidates = routed.fallback
    ? []
    : blended
        .slice(0, DELEGATION_CANDIDATES)
        .map(({ candidate, score }) => ({ id: candidate.id, score, stages: [...candidate.stages], why: whyOf(candidate) }));
  return {
    assignment: {
      agent: top.id,
      source: 'routed',
      why,
      route_id: routed.routeId,
      score: chosen.score,
      stages: [...top.stages],
      alternatives: blended.slice(1, 1 + ALTERNATIVES_SHOWN).map(({ candidate, score }) => ({ id: candidate.id, score })),
      ...(chosen.goal > 0 || ownTop?.candidate !== top
        ? { goal_context: { weight: GOAL_WEIGHT, own_score: chosen.own, goal_score: chosen.goal, router_top: routed.candidates[0]!.id } }
        : {}),
    },
    candidates,
  };
}
