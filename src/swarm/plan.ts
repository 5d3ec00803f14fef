/**
 * The swarm's plan: a goal split into subtasks that form a DAG. A plan comes from a decomposer
 * (heuristic, offline) or from a file the user wrote (`swarm --plan plan.yaml`); either way it is
 * validated by `validatePlan` and routed by `routePlan` before anything runs.
 *
 * A subtask's `agent` is a hint: the router checks it against the fleet; an unknown id is a
 * CF8105 warning and the subtask is routed instead.
 *
 * @example
 * const plan: SwarmPlan = { goal: 'add rate limiting and document it', source: 'heuristic', subtasks: [
 *   { id: 's1', task: 'add rate limiting', depends_on: [], files: [], acceptance: [] },
 *   { id: 's2', task: 'document it', depends_on: ['s1'], files: [], acceptance: [] },
 * ] };
 */
import type { SourceLocation } from '../diagnostics/diagnostic.js';

/** Version of the plan file format; a file without `version:` is read as this one. */
export const PLAN_VERSION = 1;

export interface Subtask {
  id: string;
  task: string;
  /** An agent id or alias the author asks for; checked against the fleet. */
  agent?: string;
  depends_on: string[];
  files: string[];
  acceptance: string[];
  /** Why the decomposer made this subtask (and its dependencies); absent in user plans. */
  reason?: string;
  /** An agent that reviews the work once it completes; its `fail` sends the work back (`--max-revisions`). */
  reviewer?: string;
  /** A follow-up the swarm scheduled (written by `--plan-only`): it gets no follow-ups of its own when the plan is read back. */
  follow_up?: boolean;
}

export type PlanSource = 'heuristic' | 'llm' | 'file';

export interface SwarmPlan {
  goal: string;
  source: PlanSource;
  subtasks: Subtask[];
}

/** Where each part of a plan file sits: `locate(['subtasks', 2, 'depends_on', 0])`. */
export type PlanLocator = (path: ReadonlyArray<string | number>) => SourceLocation | undefined;

/** How a subtask got its agent: the plan named it, the router picked it, or nothing matched. */
export interface Assignment {
  agent: string | null;
  source: 'plan' | 'routed' | 'follow-up' | 'none';
  /** Lines for people: the plan's hint, or the router's evidence for the top candidate. */
  why: string[];
  /** The router's decision id (learning links the subtask's outcome to it). */
  route_id?: string;
  score?: number;
  stages?: string[];
  alternatives?: Array<{ id: string; score: number }>;
  /** Set when a delegation prior broke a near-tie (route-plan.ts): who handed off, how strongly, and the router's own top. */
  delegation?: { from: string; prior: number; router_top: string; margin: number };
  /** Set when the goal's context added to the chosen agent's score or re-ranked (goal-context.ts): its own and goal scores, the own words' top. */
  goal_context?: { weight: number; own_score: number; goal_score: number; router_top: string };
}

export interface RoutedSubtask extends Subtask {
  assignment: Assignment;
  /** How `--review` chose the reviewer (absent when the plan named it). */
  reviewer_why?: string;
}

export interface RoutedPlan {
  goal: string;
  source: PlanSource;
  subtasks: RoutedSubtask[];
}

/** The plan as a file (`--plan-only`): plain data, keys in a fixed order, empty lists left out. */
export function planToData(plan: SwarmPlan | RoutedPlan): Record<string, unknown> {
  return {
    version: PLAN_VERSION,
    goal: plan.goal,
    subtasks: plan.subtasks.map((subtask) => {
      const assignment = 'assignment' in subtask ? (subtask as RoutedSubtask).assignment : undefined;
      const agent = assignment ? (assignment.agent ?? subtask.agent) : subtask.agent;
      // A near-tie the priors decided is said in the reason: the written plan pins the agent, so the file keeps why.
      const reason = [subtask.reason, assignment?.delegation ? assignment.why[0] : undefined].filter(Boolean).join('; ');
      return {
        id: subtask.id,
        task: subtask.task,
        ...(agent ? { agent } : {}),
        ...(subtask.depends_on.length > 0 ? { depends_on: subtask.depends_on } : {}),
        ...(subtask.files.length > 0 ? { files: subtask.files } : {}),
        ...(subtask.acceptance.length > 0 ? { acceptance: subtask.acceptance } : {}),
        ...(reason ? { reason } : {}),
        ...(subtask.reviewer ? { reviewer: subtask.reviewer } : {}),
        ...(subtask.follow_up || ('assignment' in subtask && (subtask as RoutedSubtask).assignment.source === 'follow-up')
          ? { follow_up: true }
          : {}),
      };
    }),
  };
}
