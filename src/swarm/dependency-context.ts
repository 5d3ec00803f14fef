/**
 * The context a subtask's prompt carries: which swarm and goal it belongs to, its acceptance
 * criteria, and its dependencies' results (summary and changed files), within a size cap. The cap
 * is shared out evenly among the dependencies, so one long answer cannot crowd out the others;
 * a summary cut to fit says so in the prompt (and the caller reports CF8114 once).
 *
 * @example
 * const { prompt, shortened } = subtaskContext(subtask, plan, swarmId, outcomes, 6000);
 */
import { subtaskMarker } from './changed-files.js';
import type { SubtaskOutcome } from './outcome.js';
import type { RoutedPlan, RoutedSubtask } from './plan.js';

/** A dependency's share is never cut below this: a summary shorter than a sentence or two helps no one. */
const MIN_SHARE_CHARS = 200;
const CUT_NOTE = ' […shortened; the full answer is in the swarm report]';

export function subtaskContext(subtask: RoutedSubtask, plan: RoutedPlan, swarmId: string, outcomes: ReadonlyMap<string, SubtaskOutcome>, capChars: number): { prompt: string; shortened: boolean } {
  const lines = [subtaskMarker(subtask.id, swarmId)];
  if (plan.goal) lines.push(`The swarm's goal: ${plan.goal}`);
  if (subtask.acceptance.length > 0) lines.push(`Done when:\n${subtask.acceptance.map((criterion) => `- ${criterion}`).join('\n')}`);
  const dependencies = subtask.depends_on.map((id) => outcomes.get(id)).filter((outcome): outcome is SubtaskOutcome => outcome !== undefined);
  let shortened = false;
  if (dependencies.length > 0) {
    const share = Math.max(MIN_SHARE_CHARS, Math.floor(capChars / dependencies.length));
    lines.push('Results of the subtasks this one depends on:');
    for (const dependency of dependencies) {
      const task = plan.subtasks.find((entry) => entry.id === dependency.id)?.task ?? '';
      const files = dependency.changed_files.length > 0 ? `\nchanged files: ${dependency.changed_files.join(', ')}` : '';
      const head = `## ${dependency.id} (${dependency.agent ?? 'no agent'}): ${task}${files}\n`;
      let summary = dependency.summary.trim() || '(no answer text)';
      const room = share - head.length;
      if (summary.length > room) {
        summary = `${summary.slice(0, Math.max(0, room - CUT_NOTE.length))}${CUT_NOTE}`;
        shortened = true;
      }
      lines.push(`${head}${summary}`);
    }
  }
  return { prompt: lines.join('\n\n'), shortened };
}
