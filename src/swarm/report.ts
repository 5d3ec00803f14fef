/**
 * The end of a swarm: one report, as JSON for machines and as Markdown for people (a pull-request
 * comment). Both hold the same data: the goal, each subtask's agent, state, reason, changed files,
 * tokens, cost and time, and the totals. Totals are sums over the subtasks and nothing else, so
 * the report adds up; cost is null when no subtask's price was known. `elapsed_ms` is the wall
 * time of this attempt (subtasks overlap, so it is less than the sum of their times).
 *
 * @example
 * const report = swarmReport(swarmId, plan, outcomes, elapsedMs);
 * writeFileAtomic('report.md', formatReportMarkdown(report));
 */
import type { SubtaskOutcome, SubtaskState } from './outcome.js';
import type { RoutedPlan } from './plan.js';

export interface SwarmReport {
  swarm_id: string;
  goal: string;
  /** Every subtask completed. */
  ok: boolean;
  counts: Record<SubtaskState, number>;
  totals: { usage: { input: number; output: number; cached: number }; cost_usd: number | null; subtask_ms: number; steps: number };
  elapsed_ms: number;
  /** Each subtask with its task, dependencies and why the plan has it (`why`: the decomposer's, a follow-up's or a revision's reason). */
  subtasks: Array<SubtaskOutcome & { task: string; depends_on: string[]; why?: string; follow_up?: boolean }>;
  changed_files: string[];
}

export function swarmReport(
  swarmId: string,
  plan: RoutedPlan,
  outcomes: ReadonlyMap<string, SubtaskOutcome>,
  elapsedMs: number,
): SwarmReport {
  const counts: Record<SubtaskState, number> = { completed: 0, failed: 0, skipped: 0, 'not-run': 0 };
  const totals: SwarmReport['totals'] = { usage: { input: 0, output: 0, cached: 0 }, cost_usd: null, subtask_ms: 0, steps: 0 };
  const subtasks: SwarmReport['subtasks'] = [];
  const files = new Set<string>();
  for (const subtask of plan.subtasks) {
    const outcome = outcomes.get(subtask.id);
    if (!outcome) continue;
    counts[outcome.state]++;
    totals.usage.input += outcome.usage.input;
    totals.usage.output += outcome.usage.output;
    totals.usage.cached += outcome.usage.cached;
    if (outcome.cost_usd !== null) totals.cost_usd = (totals.cost_usd ?? 0) + outcome.cost_usd;
    totals.subtask_ms += outcome.ms;
    totals.steps += outcome.steps;
    for (const file of outcome.changed_files) files.add(file);
    subtasks.push({
      ...outcome,
      task: subtask.task,
      depends_on: subtask.depends_on,
      ...(subtask.reason ? { why: subtask.reason } : {}),
      ...(subtask.assignment.source === 'follow-up' ? { follow_up: true } : {}),
    });
  }
  return {
    swarm_id: swarmId,
    goal: plan.goal,
    ok: counts.completed === plan.subtasks.length,
    counts,
    totals,
    elapsed_ms: elapsedMs,
    subtasks,
    changed_files: [...files].sort(),
  };
}

const STATE_MARK: Record<SubtaskState, string> = { completed: '✅', failed: '❌', skipped: '⏭️', 'not-run': '⏸️' };

const usd = (value: number | null) => (value === null ? 'n/a' : `$${value.toFixed(4)}`);
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();

export function formatReportMarkdown(report: SwarmReport): string {
  const { counts, totals } = report;
  const lines = [
    `## codex-flow swarm ${report.ok ? 'completed' : 'did not complete'}`,
    '',
    `**Goal:** ${cell(report.goal) || '(from a plan file)'}  `,
    `**Swarm:** \`${report.swarm_id}\` · ${counts.completed} completed, ${counts.failed} failed, ${counts.skipped} skipped${counts['not-run'] > 0 ? `, ${counts['not-run']} not run` : ''} · ${totals.usage.input + totals.usage.output} tokens (${totals.usage.input} in, ${totals.usage.output} out) · ${usd(totals.cost_usd)} · ${(report.elapsed_ms / 1000).toFixed(1)} s`,
    '',
    '| | subtask | agent | result | tokens | cost | time |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const subtask of report.subtasks) {
    const reviewed =
      subtask.reviews && subtask.reviews.length > 0 ? ` (review: ${subtask.reviews.map((review) => review.verdict).join(' → ')})` : '';
    const result = `${subtask.state === 'completed' ? 'completed' : `${subtask.state}: ${subtask.reason ?? subtask.stop_reason ?? ''}`}${reviewed}`;
    // Work the plan did not start with says why it is there: a follow-up's or a revision's reason.
    const added = subtask.why && (subtask.follow_up || subtask.why.startsWith('revision')) ? ` — _${cell(subtask.why)}_` : '';
    lines.push(
      `| ${STATE_MARK[subtask.state]} | **${subtask.id}** ${cell(subtask.task)}${subtask.depends_on.length > 0 ? ` _(after ${subtask.depends_on.join(', ')})_` : ''}${added} | ${subtask.agent ?? '—'} | ${cell(result)} | ${subtask.usage.input + subtask.usage.output} | ${usd(subtask.cost_usd)} | ${(subtask.ms / 1000).toFixed(1)} s |`,
    );
  }
  if (report.changed_files.length > 0) lines.push('', `**Files changed:** ${report.changed_files.map((file) => `\`${file}\``).join(', ')}`);
  const answered = report.subtasks.filter((subtask) => subtask.summary.trim() !== '');
  if (answered.length > 0) {
    lines.push('', '<details><summary>Answers</summary>', '');
    for (const subtask of answered) lines.push(`### ${subtask.id} · ${subtask.agent ?? ''}`, '', subtask.summary.trim(), '');
    lines.push('</details>');
  }
  return `${lines.join('\n')}\n`;
}
