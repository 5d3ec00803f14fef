/**
 * `swarm --resume <swarm-id>`: reads the swarm's event log back into its plan and the outcomes of
 * the subtasks that completed, then continues with the rest. A subtask that was started but not
 * finished (the process died), failed or skipped runs again; a completed one never does. The
 * last event about a subtask wins, so a subtask that failed and then completed on an earlier
 * resume counts as completed. A completed work result (`subtask-result`) with no finish line
 * after it is kept as `recorded`: the work is not run again, its review cycle and finish line are.
 * The plan is the logged plan with the follow-ups and revisions logged since (plan-changes.ts).
 *
 * @example
 * const state = readSwarmState(runsDir, '20261207T120000Z-a1b2c3');
 * if (state.plan) await continueSwarm(state.plan, id, state.completed, state.attempts + 1, input);
 */
import { join } from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { isSwarmId, readSwarmLog } from './event-log.js';
import { readSubtask } from './plan-file.js';
import { validatePlan } from './validate-plan.js';
import type { SubtaskOutcome } from './outcome.js';
import { applyPlanChange, isPlanChange, type PlanChange } from './plan-changes.js';
import type { RecordedResult } from './run-subtask.js';
import type { Assignment, RoutedPlan, RoutedSubtask } from './plan.js';

export interface SwarmState {
  plan?: RoutedPlan;
  completed: Map<string, SubtaskOutcome>;
  /** Completed work results without a finish line (a kill came between them): continued, not run again. */
  recorded: Map<string, RecordedResult>;
  /** Attempts so far (the first run and every resume). */
  attempts: number;
  diagnostics: Diagnostic[];
}

export function readSwarmState(runsDir: string, swarmId: string, shownRunsDir = '.runs'): SwarmState {
  const completed = new Map<string, SubtaskOutcome>();
  const recorded = new Map<string, RecordedResult>();
  if (!isSwarmId(swarmId))
    return { completed, recorded, attempts: 0, diagnostics: [diagnostic('CF8112', `"${swarmId}" is not a swarm id`)] };
  const { events, diagnostics } = readSwarmLog(join(runsDir, swarmId), `${shownRunsDir}/${swarmId}`);
  let plan: RoutedPlan | undefined;
  let attempts = 0;
  for (const event of events) {
    if (event.event === 'swarm-planned') {
      plan = event.plan as RoutedPlan;
      attempts++;
    } else if (event.event === 'swarm-resumed') attempts++;
    else if (isPlanChange(event)) {
      if (plan && Array.isArray(plan.subtasks)) plan = applyPlanChange(plan, event as unknown as PlanChange);
    } else if (event.event === 'subtask-result' && typeof event.id === 'string') {
      const outcome = event.outcome as SubtaskOutcome | undefined;
      if (outcome?.state === 'completed')
        recorded.set(event.id, { outcome, ...(event.learning ? { learning: event.learning as RecordedResult['learning'] } : {}) });
    } else if (
      typeof event.id === 'string' &&
      event.event.startsWith('subtask-') &&
      event.event !== 'subtask-started' &&
      event.event !== 'subtask-reviewed' &&
      event.event !== 'subtask-revised'
    ) {
      recorded.delete(event.id);
      const outcome = event.outcome as SubtaskOutcome | undefined;
      if (outcome?.state === 'completed') completed.set(event.id, outcome);
      else completed.delete(event.id);
    }
  }
  if (!plan || !Array.isArray(plan.subtasks)) {
    // `run` keeps its record in the same folder with the same kind of id: its log starts with run-start.
    const notASwarm = events[0]?.event === 'run-start';
    if (!diagnostics.some((entry) => entry.code === 'CF8112'))
      diagnostics.push(
        notASwarm
          ? diagnostic(
              'CF8112',
              `${swarmId} is the record of a \`codex-flow run\`, not of a swarm: there is nothing to resume`,
              undefined,
              {
                hint: 'resume a swarm by the id `codex-flow swarm` printed (`swarm <id>: started`); start the run again with `codex-flow run`',
              },
            )
          : diagnostic('CF8112', `the log of swarm ${swarmId} has no plan (its first event is missing or torn)`),
      );
    return { completed, recorded, attempts, diagnostics };
  }
  const checked = checkLoggedPlan(plan);
  if (!checked.plan) {
    diagnostics.push(
      ...checked.problems.map((problem) =>
        diagnostic('CF8112', `the plan in the log of swarm ${swarmId} is damaged: ${problem}`, {
          file: `${shownRunsDir}/${swarmId}/events.jsonl`,
          line: 1,
          column: 1,
        }),
      ),
    );
    return { completed, recorded, attempts, diagnostics };
  }
  return { plan: checked.plan, completed, recorded, attempts, diagnostics };
}

/**
 * A logged plan is used only once it has the shape of a plan file (read by the same check, so its
 * lists are lists), forms a DAG and every subtask has an assignment.
 */
function checkLoggedPlan(logged: RoutedPlan): { plan?: RoutedPlan; problems: string[] } {
  const problems: string[] = [];
  const problem = (message: string) => {
    problems.push(message);
  };
  if (typeof logged.goal !== 'string') problem('`goal` is not a string');
  const subtasks: RoutedSubtask[] = [];
  for (const [index, raw] of (logged.subtasks as unknown[]).entries()) {
    const subtask = readSubtask(raw, index, problem, ['assignment', 'reviewer_why']);
    if (!subtask) continue;
    const assignment = (raw as { assignment?: Assignment }).assignment;
    if (
      !assignment ||
      typeof assignment !== 'object' ||
      (assignment.agent !== null && typeof assignment.agent !== 'string') ||
      !Array.isArray(assignment.why)
    )
      problem(`subtask ${index + 1}: has no assignment (agent and why)`);
    else
      subtasks.push({
        ...subtask,
        assignment,
        ...(typeof (raw as { reviewer_why?: unknown }).reviewer_why === 'string'
          ? { reviewer_why: (raw as { reviewer_why: string }).reviewer_why }
          : {}),
      });
  }
  if (problems.length > 0) return { problems };
  const plan: RoutedPlan = { goal: logged.goal, source: logged.source, subtasks };
  problems.push(
    ...validatePlan(plan, { maxSubtasks: Number.POSITIVE_INFINITY })
      .filter((entry) => entry.severity === 'error')
      .map((entry) => entry.message),
  );
  return problems.length > 0 ? { problems } : { plan, problems };
}
