/**
 * The plan as a tree for people (`swarm --dry-run`): each subtask under the dependency it waits
 * on, with its agent, how the agent was chosen and why the subtask exists. A subtask with several
 * dependencies sits under the first and names the others; roots run in parallel at once.
 *
 * @example
 * io.stdout(formatPlanTree(plan));
 * // plan (heuristic, 2 subtasks): add rate limiting to the public API and document it
 * // ├─ s1  add rate limiting to the public API
 * // │    agent   code-reviewer (routed: semantic)
 * // └─ s2  document it
 */
import type { RoutedPlan, RoutedSubtask } from './plan.js';

export function formatPlanTree(plan: RoutedPlan): string {
  const children = new Map<string | null, RoutedSubtask[]>();
  const ids = new Set(plan.subtasks.map((subtask) => subtask.id));
  for (const subtask of plan.subtasks) {
    const parent = subtask.depends_on.find((id) => ids.has(id)) ?? null;
    const list = children.get(parent) ?? [];
    list.push(subtask);
    children.set(parent, list);
  }
  const count = plan.subtasks.length;
  const lines = [
    `plan (${plan.source === 'file' ? 'from the plan file' : plan.source === 'llm' ? 'llm decomposer' : plan.source}, ${count} subtask${count === 1 ? '' : 's'})${plan.goal ? `: ${plan.goal}` : ''}`,
  ];
  const walk = (parent: string | null, prefix: string): void => {
    const list = children.get(parent) ?? [];
    for (const [index, subtask] of list.entries()) {
      const last = index === list.length - 1;
      lines.push(`${prefix}${last ? '└─ ' : '├─ '}${subtask.id}  ${subtask.task}`);
      const inner = `${prefix}${last ? '   ' : '│  '}`;
      for (const line of detailLines(subtask)) lines.push(`${inner}${children.get(subtask.id)?.length ? '│' : ' '}    ${line}`);
      walk(subtask.id, inner);
    }
  };
  walk(null, '');
  return `${lines.join('\n')}\n`;
}

function detailLines(subtask: RoutedSubtask): string[] {
  const { assignment } = subtask;
  const how =
    assignment.source === 'plan'
      ? 'named in the plan'
      : assignment.source === 'follow-up'
        ? 'follow-up from its brief'
        : assignment.source === 'routed'
          ? `routed: ${(assignment.stages ?? []).join('+') || 'router'}`
          : 'no agent';
  const lines = [`agent   ${assignment.agent ?? '—'} (${how})`];
  if (assignment.source === 'routed') for (const why of assignment.why) lines.push(`        ${why}`);
  if (subtask.depends_on.length > 0) lines.push(`after   ${subtask.depends_on.join(', ')}`);
  if (subtask.reason) lines.push(`why     ${subtask.reason}`);
  if (subtask.reviewer) lines.push(`review  ${subtask.reviewer}${subtask.reviewer_why ? ` (${subtask.reviewer_why})` : ''}`);
  if (subtask.files.length > 0) lines.push(`files   ${subtask.files.join(', ')}`);
  for (const criterion of subtask.acceptance) lines.push(`accept  ${criterion}`);
  return lines;
}
