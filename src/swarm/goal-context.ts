/**
 * The goal as a subtask's context: a subtask such as "write the tests" routed on its own words
 * alone loses what the goal says it is for ("… for the payments service"). The goal is routed once
 * per plan (no decision recorded), and each candidate the subtask's own words found gets the goal's
 * score for it times GOAL_WEIGHT added to its own. The weight is below one, so the subtask's words
 * lead: the goal reorders candidates whose own scores are close, and never brings in an agent the
 * subtask's words did not match (its own score is the evidence that the agent does this kind of work).
 *
 * @example
 * const goal = goalScores(plan.goal, router);
 * const blended = withGoalContext(routed.candidates, goal); // re-ranked, each with its own and goal scores
 */
import type { RouterLike } from '../runner/prepare.js';

/** A quarter: a goal term counts for a quarter of the same term in the subtask's own words. */
export const GOAL_WEIGHT = 0.25;

export interface GoalContext {
  goal: string;
  /** Agent → the router's score for the goal alone (agents the goal matched by a trigger). */
  scores: ReadonlyMap<string, number>;
}

export interface Blended<C> {
  candidate: C;
  own: number;
  goal: number;
  score: number;
}

/** The goal's own routing, unrecorded; a fallback answer (nothing in the goal matched) is no context. */
export function goalScores(goal: string, router: RouterLike | undefined): GoalContext {
  if (!router || goal.trim() === '') return { goal, scores: new Map() };
  const routed = router.routeUnrecorded ? router.routeUnrecorded({ task: goal }) : router.route({ task: goal });
  if (routed.fallback) return { goal, scores: new Map() };
  return { goal, scores: new Map(routed.candidates.map((candidate) => [candidate.id, candidate.score])) };
}

/** The candidates re-ranked by own score + GOAL_WEIGHT × goal score; ties keep the router's order. */
export function withGoalContext<C extends { id: string; score: number }>(candidates: readonly C[], context: GoalContext): Blended<C>[] {
  return candidates
    .map((candidate, index) => {
      const goal = context.scores.get(candidate.id) ?? 0;
      return { candidate, own: candidate.score, goal, score: candidate.score + GOAL_WEIGHT * goal, index };
    })
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map(({ index: _index, ...blended }) => blended);
}

/**
 * The plan's line when the goal re-ranked: what it added to the chosen agent and whom it ranked
 * above. When the subtask's own top stands, the scores are in the assignment's `goal_context` only.
 */
export function goalContextLine(chosen: Blended<{ id: string }>, ownTop: Blended<{ id: string }> | undefined): string | undefined {
  if (chosen.goal <= 0 || !ownTop || ownTop.candidate.id === chosen.candidate.id) return undefined;
  return (
    `goal context (× ${GOAL_WEIGHT}): +${(GOAL_WEIGHT * chosen.goal).toFixed(3)} to its own ${chosen.own.toFixed(3)}; ` +
    `ranked above ${ownTop.candidate.id} (own words ${ownTop.own.toFixed(3)}, with the goal ${ownTop.score.toFixed(3)})`
  );
}
