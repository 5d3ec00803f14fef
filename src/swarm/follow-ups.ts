/**
 * Scheduling follow-up agents into a routed plan: for each subtask, every follow-up rule of the
 * fleet (`src/fleet/follow-ups.ts`: "use proactively after …" in a brief) whose clause matches the
 * subtask's work adds a subtask for the rule's agent after it, with the reason in the plan. A rule
 * never follows its own agent's work, a subtask already followed by that agent gets no second one
 * (so a written plan read back does not grow), and follow-ups do not get follow-ups (a written
 * plan marks them `follow_up: true`, so they stay follow-ups when it is read back). At most
 * MAX_FOLLOW_UPS_PER_SUBTASK per subtask, and never past --max-subtasks (CF8118 says what was left out).
 *
 * While the swarm runs, a completed subtask's outcome is matched too (`followUpsAfterOutcome`:
 * its task and the files it changed), and a rule that matches now but had no follow-up in the plan
 * schedules one after it, with the same limits; the executor logs it (`follow-up-scheduled`) before
 * it joins the plan, so --resume keeps it and it runs once.
 *
 * Delegation priors (src/learn/delegation.ts: the briefs' `prefers` / `complements`) order the
 * rules for each subtask: a follow-up agent the subtask's agent prefers (0.6) or complements (0.3)
 * is considered first, so it wins when MAX_FOLLOW_UPS_PER_SUBTASK leaves room for fewer, and the
 * plan's reason says so. The rule list carries them (`withDelegation`), so every caller that passes
 * the fleet's rules passes its priors too.
 *
 * @example
 * const { plan: withFollowUps, diagnostics } = addFollowUps(routed, withDelegation(rules, delegationPriors(definitions)), 50);
 * followUpsAfterOutcome(subtask, outcome, plan, rules, 50); // [{ event: 'follow-up-scheduled', … }]
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { matchFollowUp, matchFollowUpWork, type FollowUpRule } from '../fleet/follow-ups.js';
import type { SubtaskOutcome } from './outcome.js';
import type { FollowUpScheduled } from './plan-changes.js';
import type { RoutedPlan, RoutedSubtask } from './plan.js';
import type { DelegationPriors } from '../learn/delegation.js';

/** Follow-up rules, with the fleet's delegation priors when known. */
export type FollowUpRules = readonly FollowUpRule[] & { readonly delegation?: Pick<DelegationPriors, 'prior'> };

/** The rules with the priors attached (a copy; the input is unchanged). */
export function withDelegation(
  rules: readonly FollowUpRule[],
  delegation: Pick<DelegationPriors, 'prior'>,
): FollowUpRule[] & { readonly delegation: Pick<DelegationPriors, 'prior'> } {
  return Object.assign([...rules], { delegation });
}

/** The rules to consider after `from`'s work, highest prior first (the fleet's order among equals). */
function rulesAfter(rules: FollowUpRules, from: string): Array<{ rule: FollowUpRule; prior: number }> {
  const prior = (to: string) => rules.delegation?.prior(from, to) ?? 0;
  return rules.map((rule) => ({ rule, prior: prior(rule.agent) })).sort((a, b) => b.prior - a.prior);
}

function priorNote(from: string, prior: number): string {
  return prior > 0 ? `; delegation prior ${prior.toFixed(2)} from ${from} (its brief prefers or complements it)` : '';
}

/** A subtask rarely needs more than a reviewer and a tester after it; more is a brief's wording, not a plan. */
export const MAX_FOLLOW_UPS_PER_SUBTASK = 2;

export function addFollowUps(plan: RoutedPlan, rules: FollowUpRules, maxSubtasks: number): { plan: RoutedPlan; diagnostics: Diagnostic[] } {
  const subtasks = [...plan.subtasks];
  const ids = new Set(subtasks.map((subtask) => subtask.id));
  const left: string[] = [];
  for (const subtask of plan.subtasks) {
    if (subtask.assignment.source === 'follow-up' || subtask.follow_up || subtask.assignment.agent === null) continue;
    let added = 0;
    const from = subtask.assignment.agent;
    for (const { rule, prior } of rulesAfter(rules, from)) {
      if (rule.agent === from || added >= MAX_FOLLOW_UPS_PER_SUBTASK) continue;
      if (subtasks.some((other) => other.assignment.agent === rule.agent && other.depends_on.includes(subtask.id))) continue;
      const matched = matchFollowUp(rule, subtask.task);
      if (!matched) continue;
      if (subtasks.length >= maxSubtasks) {
        left.push(`${rule.agent} after ${subtask.id}`);
        continue;
      }
      added++;
      subtasks.push(followUpSubtask(subtask, rule, `${subtask.id} matches (${matched})${priorNote(from, prior)}`, subtask.files, ids));
    }
  }
  const diagnostics =
    left.length > 0 ? [diagnostic('CF8118', `follow-ups left out to stay within --max-subtasks ${maxSubtasks}: ${left.join(', ')}`)] : [];
  return { plan: { ...plan, subtasks }, diagnostics };
}

/** Follow-ups a completed subtask's outcome calls for that the plan does not have yet; `left` collects those over --max-subtasks. */
export function followUpsAfterOutcome(
  subtask: RoutedSubtask,
  outcome: SubtaskOutcome,
  plan: RoutedPlan,
  rules: FollowUpRules,
  maxSubtasks: number,
  left: string[] = [],
): FollowUpScheduled[] {
  if (outcome.state !== 'completed' || subtask.assignment.source === 'follow-up' || subtask.follow_up || subtask.assignment.agent === null)
    return [];
  const ids = new Set(plan.subtasks.map((other) => other.id));
  let count = plan.subtasks.length;
  let existing = plan.subtasks.filter((other) => other.assignment.source === 'follow-up' && other.depends_on[0] === subtask.id).length;
  const scheduled: FollowUpScheduled[] = [];
  const from = subtask.assignment.agent;
  for (const { rule, prior } of rulesAfter(rules, from)) {
    if (rule.agent === from || existing >= MAX_FOLLOW_UPS_PER_SUBTASK) continue;
    if (plan.subtasks.some((other) => other.assignment.agent === rule.agent && other.depends_on.includes(subtask.id))) continue;
    const matched = matchFollowUpWork(rule, { task: subtask.task, files: outcome.changed_files });
    if (!matched) continue;
    if (count >= maxSubtasks) {
      left.push(`${rule.agent} after ${subtask.id}`);
      continue;
    }
    const followUp = followUpSubtask(
      subtask,
      rule,
      `${subtask.id}'s outcome matches (${matched})${priorNote(from, prior)}`,
      [...new Set([...subtask.files, ...outcome.changed_files])],
      ids,
    );
    scheduled.push({ event: 'follow-up-scheduled', id: followUp.id, after: subtask.id, reason: followUp.reason!, subtask: followUp });
    count++;
    existing++;
  }
  return scheduled;
}

function followUpSubtask(
  subtask: RoutedSubtask,
  rule: FollowUpRule,
  matches: string,
  files: readonly string[],
  ids: Set<string>,
): RoutedSubtask {
  let id = `${subtask.id}-${rule.agent}`;
  for (let n = 2; ids.has(id); n++) id = `${subtask.id}-${rule.agent}-${n}`;
  ids.add(id);
  return {
    id,
    task: `follow up on ${subtask.id} (${subtask.task}) as your brief asks: after ${rule.after}`,
    depends_on: [subtask.id],
    files: [...files],
    acceptance: [],
    reason: `follow-up: ${rule.agent}'s brief asks to be used after ${rule.after}; ${matches}`,
    assignment: { agent: rule.agent, source: 'follow-up', why: [`its brief: use after ${rule.after}`] },
  };
}
