/**
 * Planning, the first half of a swarm: a goal through the heuristic decomposer, or a user's plan
 * file read as is (no model at all), then validated as a DAG and routed. The result is a plan
 * every subtask of which has an agent, or the diagnostics that say why not; nothing runs here.
 *
 * Order matters for the messages: shape problems first (a plan that cannot be read is not
 * validated), then the DAG (a plan with a cycle is not routed: routing records decisions).
 *
 * @example
 * const { plan, diagnostics } = await buildPlan({ goal: 'add rate limiting and document it' }, { maxSubtasks: 50, route });
 */
import { diagnostic, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { decomposeGoal } from './decompose.js';
import { parsePlanFile } from './plan-file.js';
import type { PlanLocator, RoutedPlan, SwarmPlan } from './plan.js';
import { routePlan, type RouteContext } from './route-plan.js';
import { validatePlan } from './validate-plan.js';

export type PlanInput = { goal: string } | { file: string; text: string };

export interface PlanContext {
  maxSubtasks: number;
  route: Omit<RouteContext, 'locate'>;
}

export interface BuiltPlan {
  plan?: RoutedPlan;
  diagnostics: Diagnostic[];
}

export async function buildPlan(input: PlanInput, context: PlanContext): Promise<BuiltPlan> {
  const read = readPlan(input);
  const diagnostics = [...read.diagnostics];
  if (!read.plan || hasErrors(diagnostics)) return { diagnostics };
  diagnostics.push(...validatePlan(read.plan, { maxSubtasks: context.maxSubtasks, ...(read.locate ? { locate: read.locate } : {}) }));
  if (hasErrors(diagnostics)) return { diagnostics };
  const routed = await routePlan(read.plan, { ...context.route, ...(read.locate ? { locate: read.locate } : {}) });
  diagnostics.push(...routed.diagnostics);
  return hasErrors(diagnostics) ? { diagnostics } : { plan: routed.plan, diagnostics };
}

function readPlan(input: PlanInput): { plan?: SwarmPlan; locate?: PlanLocator; diagnostics: Diagnostic[] } {
  if ('file' in input) return parsePlanFile(input.text, input.file);
  if (input.goal.trim() === '') return { diagnostics: [diagnostic('CF8107', 'the goal is empty')] };
  return { plan: decomposeGoal(input.goal), diagnostics: [] };
}
