/**
 * The context a subtask's prompt carries: which swarm and goal it belongs to, its acceptance
 * criteria, and its dependencies' results (summary and changed files), within a size cap. The
 * results, with their heading and the lines between them, never take more than the cap: it is
 * shared out evenly among the dependencies, so one long answer cannot crowd out the others, and
 * the room a short one leaves goes to the rest. A changed-file list takes at most a third of a
 * dependency's share ("…and N more"); a summary cut to fit says so in the prompt (and the caller
 * reports CF8114 once).
 *
 * @example
 * const { prompt, shortened } = subtaskContext(subtask, plan, swarmId, outcomes, 6000);
 */
import { subtaskMarker } from './changed-files.js';
import type { SubtaskOutcome } from './outcome.js';
import type { RoutedPlan, RoutedSubtask } from './plan.js';

const RESULTS_HEADING = 'Results of the subtasks this one depends on:';
const SEPARATOR = '\n\n';
const CUT_NOTE = ' […shortened; the full answer is in the swarm report]';

export function subtaskContext(
  subtask: RoutedSubtask,
  plan: RoutedPlan,
  swarmId: string,
  outcomes: ReadonlyMap<string, SubtaskOutcome>,
  capChars: number,
): { prompt: string; shortened: boolean } {
  const lines = [subtaskMarker(subtask.id, swarmId)];
  if (plan.goal) lines.push(`The swarm's goal: ${plan.goal}`);
  if (subtask.acceptance.length > 0) lines.push(`Done when:\n${subtask.acceptance.map((criterion) => `- ${criterion}`).join('\n')}`);
  const dependencies = subtask.depends_on
    .map((id) => outcomes.get(id))
    .filter((outcome): outcome is SubtaskOutcome => outcome !== undefined);
  if (dependencies.length === 0) return { prompt: lines.join(SEPARATOR), shortened: false };
  const full = dependencies.map((dependency) => fullBlock(dependency, plan));
  // The heading, then each block after a separator: what is left is the blocks' to share.
  let room = capChars - RESULTS_HEADING.length - SEPARATOR.length * dependencies.length;
  const blocks = new Array<string>(dependencies.length);
  let shortened = false;
  // Smallest first: a block that needs less than its even share leaves the rest to those after it.
  const order = full.map((_, index) => index).sort((a, b) => full[a]!.length - full[b]!.length);
  for (const [position, index] of order.entries()) {
    const share = Math.max(0, Math.floor(room / (order.length - position)));
    const block = full[index]!.length <= share ? full[index]! : cutBlock(dependencies[index]!, plan, share);
    if (block !== full[index]) shortened = true;
    blocks[index] = block;
    room -= block.length;
  }
  // A cap too small for even the heading passes no results at all, and says so.
  if (capChars < RESULTS_HEADING.length + SEPARATOR.length) return { prompt: lines.join(SEPARATOR), shortened: true };
  lines.push(RESULTS_HEADING, ...blocks);
  return { prompt: lines.join(SEPARATOR), shortened };
}

function headOf(dependency: SubtaskOutcome, plan: RoutedPlan): string {
  const task = plan.subtasks.find((entry) => entry.id === dependency.id)?.task ?? '';
  return `## ${dependency.id} (${dependency.agent ?? 'no agent'}): ${task}`;
}

function summaryOf(dependency: SubtaskOutcome): string {
  return dependency.summary.trim() || '(no answer text)';
}

function fullBlock(dependency: SubtaskOutcome, plan: RoutedPlan): string {
  const files = dependency.changed_files.length > 0 ? `\nchanged files: ${dependency.changed_files.join(', ')}` : '';
  return `${headOf(dependency, plan)}${files}\n${summaryOf(dependency)}`;
}

/** The block within `share` characters: the head, as many changed files as a third of the share holds, then the summary cut with a note. */
function cutBlock(dependency: SubtaskOutcome, plan: RoutedPlan, share: number): string {
  const head = headOf(dependency, plan);
  const files = fileLine(dependency.changed_files, Math.floor(share / 3));
  const top = `${head}${files}\n`;
  const summary = summaryOf(dependency);
  const room = share - top.length;
  const body = summary.length <= room ? summary : room > CUT_NOTE.length ? `${summary.slice(0, room - CUT_NOTE.length)}${CUT_NOTE}` : '';
  return `${top}${body}`.slice(0, share);
}

/** `\nchanged files: a, b …and N more` within `limit` characters (empty when none changed or none fit). */
function fileLine(files: readonly string[], limit: number): string {
  if (files.length === 0) return '';
  const whole = `\nchanged files: ${files.join(', ')}`;
  if (whole.length <= limit) return whole;
  let kept = 0;
  let line = '\nchanged files: ';
  for (; kept < files.length; kept++) {
    const next = `${line}${kept > 0 ? ', ' : ''}${files[kept]}`;
    if (`${next} …and ${files.length - kept - 1} more`.length > limit) break;
    line = next;
  }
  const more = `${kept > 0 ? ' ' : ''}…and ${files.length - kept} more`;
  return `${line}${more}`.length <= limit ? `${line}${more}` : '';
}
