/**
 * A plan changes while its swarm runs in two ways, each one event of the log written before the
 * change takes effect: a follow-up scheduled on a subtask's outcome (`follow-up-scheduled`, one
 * subtask added after it), and a revision after a failure (`plan-revised`, the subtasks that had
 * not started replaced by the planner's new ones). The executor and `--resume` apply the same
 * events with the same function, so a resumed swarm runs the plan as it stood when it stopped.
 *
 * @example
 * const change = { event: 'follow-up-scheduled', id: 's1-test-automator', after: 's1', subtask };
 * plan = applyPlanChange(plan, change);
 */
import type { SwarmEvent } from './event-log.js';
import type { RoutedPlan, RoutedSubtask } from './plan.js';

export interface FollowUpScheduled {
  event: 'follow-up-scheduled';
  id: string;
  after: string;
  reason: string;
  subtask: RoutedSubtask;
}

export interface PlanRevised {
  event: 'plan-revised';
  /** The failed subtask the revision answers. */
  after: string;
  /** Which planner revised it (`llm` fell back to `heuristic` when its answer could not be used, said in `notes`). */
  source: 'heuristic' | 'llm';
  reason: string;
  /** Ids of the not-started subtasks taken out. */
  replaced: string[];
  /** The not-started part of the plan from now on. */
  subtasks: RoutedSubtask[];
  notes?: string[];
}

export type PlanChange = FollowUpScheduled | PlanRevised;

export function isPlanChange(event: SwarmEvent): boolean {
  return event.event === 'follow-up-scheduled' || event.event === 'plan-revised';
}

/** The plan after `change`; the input plan is not modified. */
export function applyPlanChange(plan: RoutedPlan, change: PlanChange): RoutedPlan {
  if (change.event === 'follow-up-scheduled') {
    if (plan.subtasks.some((subtask) => subtask.id === change.subtask.id)) return plan;
    return { ...plan, subtasks: [...plan.subtasks, change.subtask] };
  }
  const replaced = new Set(change.replaced);
  return { ...plan, subtasks: [...plan.subtasks.filter((subtask) => !replaced.has(subtask.id)), ...change.subtasks] };
}
