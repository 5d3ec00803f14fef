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
import { decomposeWithModel, type LlmDecomposeInput } from './llm-decomposer.js';
import { parsePlanFile } from './plan-file.js';
import type { PlanLocator, RoutedPlan, SwarmPlan } from './plan.js';
import { routePlan, type RouteContext } from './route-plan.js';
import { addFollowUps } from './follow-ups.js';
import { chooseReviewers } from './choose-reviewer.js';
import type { FollowUpRule } from '../fleet/follow-ups.js';
import { validatePlan } from './validate-plan.js';

export type PlanInput = { goal: string; decomposer?: 'heuristic' | 'llm' } | { file: string; text: string };

export interface PlanContext {
  maxSubtasks: number;
  route: Omit<RouteContext, 'locate'>;
  /** What the llm decomposer needs (the provider chain and the fleet's agents); required for `decomposer: 'llm'`. */
  llm?: Omit<LlmDecomposeInput, 'maxSubtasks' | 'knows'>;
  /** The fleet's follow-up rules ("use proactively after …"); absent or empty: no follow-ups. */
  followUps?: readonly FollowUpRule[];
  /** `--review`: the fleet's reviewer agents, one chosen by the router for each subtask that names none. */
  review?: { reviewers: readonly string[] };
}

export interface BuiltPlan {
  plan?: RoutedPlan;
  diagnostics: Diagnostic[];
}

export async function buildPlan(input: PlanInput, context: PlanContext): Promise<BuiltPlan> {
  const read = await readPlan(input, context);
  const diagnostics = [...read.diagnostics];
  if (!read.plan || hasErrors(diagnostics)) return { diagnostics };
  diagnostics.push(...validatePlan(read.plan, { maxSubtasks: context.maxSubtasks, ...(read.locate ? { locate: read.locate } : {}) }));
  if (hasErrors(diagnostics)) return { diagnostics: 'file' in input ? withSourceLines(diagnostics, input.file, input.text) : diagnostics };
  const routed = await routePlan(read.plan, { ...context.route, ...(read.locate ? { locate: read.locate } : {}) });
  diagnostics.push(...routed.diagnostics);
  const withFollowUps =
    context.followUps && context.followUps.length > 0
      ? addFollowUps(routed.plan, context.followUps, context.maxSubtasks)
      : { plan: routed.plan, diagnostics: [] };
  diagnostics.push(...withFollowUps.diagnostics);
  const reviewed = context.review
    ? await chooseReviewers(withFollowUps.plan, {
        reviewers: context.review.reviewers,
        ...(context.route.router ? { router: context.route.router } : {}),
      })
    : { plan: withFollowUps.plan, diagnostics: [] };
  diagnostics.push(...reviewed.diagnostics);
  const framed = 'file' in input ? withSourceLines(diagnostics, input.file, input.text) : diagnostics;
  return hasErrors(framed) ? { diagnostics: framed } : { plan: reviewed.plan, diagnostics: framed };
}

/** The DAG and routing checks know positions, not text: give their diagnostics the line for the code frame. */
function withSourceLines(diagnostics: Diagnostic[], file: string, text: string): Diagnostic[] {
  const lines = text.split(/\r?\n/);
  return diagnostics.map((entry) =>
    entry.location?.file === file && entry.sourceLine === undefined
      ? { ...entry, sourceLine: lines[entry.location.line - 1] ?? '' }
      : entry,
  );
}

async function readPlan(
  input: PlanInput,
  context: PlanContext,
): Promise<{ plan?: SwarmPlan; locate?: PlanLocator; diagnostics: Diagnostic[] }> {
  if ('file' in input) return parsePlanFile(input.text, input.file);
  if (input.goal.trim() === '') return { diagnostics: [diagnostic('CF8107', 'the goal is empty')] };
  if (input.decomposer === 'llm') {
    if (!context.llm) throw new Error('buildPlan: the llm decomposer needs context.llm');
    return decomposeWithModel(input.goal, { ...context.llm, maxSubtasks: context.maxSubtasks, knows: context.route.knows });
  }
  return { plan: decomposeGoal(input.goal), diagnostics: [] };
}
