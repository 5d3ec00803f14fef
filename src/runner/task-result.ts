/**
 * Results of tasks that never reached the agent loop (rejected by backpressure, invalid), and the
 * diagnostics a finished task earns on stderr (CF8001 rejected, CF8006 failed, CF8007 hook
 * warning, CF8008 blocked, CF8012 tool denied, CF8022 memory write lost, CF8023 memory read failed).
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { TaskResult } from './execute-task.js';
import { emptyLoopResult } from './agent-loop.js';
import type { Outcome } from '../learn/outcome.js';

/**
 * What people should hear about a task on stderr: rejections, blocks, hook warnings, failures.
 * `recordDir` is where the run record is (none when the run keeps no record).
 */
export function taskDiagnostics(task: TaskResult, recordDir?: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const who = `task ${task.index + 1} (${task.alias || 'no agent'})`;
  for (const hook of task.hooks)
    if (hook.verdict === 'warn')
      out.push(
        diagnostic('CF8007', `${who}: ${hook.phase} hook "${hook.run}" ${hook.timed_out ? 'timed out' : `exited ${hook.exit_code}`}`),
      );
  for (const problem of task.memory_errors ?? [])
    out.push(diagnostic(problem.op === 'write' ? 'CF8022' : 'CF8023', `${who}: ${problem.error}`));
  if (task.stop_reason === 'rejected') out.push(diagnostic('CF8001', `${who}: ${task.error}`));
  else if (task.stop_reason === 'blocked') out.push(diagnostic('CF8008', `${who}: a pre_task hook exited 2`));
  else if (task.stop_reason === 'tool-denied') out.push(diagnostic('CF8012', `${who}: ${task.error}`));
  else if (!task.ok && task.stop_reason !== 'invalid')
    out.push(
      diagnostic(
        'CF8006',
        `${who}: ${task.stop_reason}${task.error ? `: ${oneLine(task.error)}` : ''}`,
        undefined,
        recordDir ? { hint: `see the stop reason and the run record under ${recordDir}` } : {},
      ),
    );
  return out;
}

export function failedResult(
  index: number,
  agent: string,
  alias: string,
  hash: string,
  stop: 'rejected' | 'invalid',
  error: string,
  id?: string,
): TaskResult {
  return {
    index,
    ...(id !== undefined ? { id } : {}),
    agent,
    alias,
    task_hash: hash,
    ...emptyLoopResult(stop, error),
    ms: 0,
    hooks: [],
  };
}

/** Whether a task lost a memory write: its answer stands, but the run is not a clean success. */
export function lostMemoryWrite(task: TaskResult): boolean {
  return task.memory_errors?.some((problem) => problem.op === 'write') ?? false;
}

/**
 * The learning outcome of a task, as the runner records it; none for our own bug (it says nothing
 * about the agent). A task no model ever answered (every provider failed first) is recorded as
 * `unavailable`, which learning keeps apart from the agent's own record (learn/state.ts).
 */
export function outcomeOfTask(result: TaskResult, at: string): Outcome | undefined {
  if (result.stop_reason === 'internal-error') return undefined;
  return {
    ...(result.route ? { route_id: result.route.route_id } : {}),
    agent: result.agent,
    alias: result.alias,
    ok: result.ok,
    latency_ms: result.ms,
    retries: result.retries,
    tool_errors: result.tool_errors,
    stop_reason: learningStopReason(result),
    ...(result.provider ? { provider: result.provider } : {}),
    tokens: result.usage,
    ...(result.cost_usd !== null ? { cost_usd: result.cost_usd } : {}),
    task_hash: result.task_hash,
    at,
  };
}

/** The stop reason learning sees: `unavailable` for a failed task no model ever answered, else the task's own. */
export function learningStopReason(result: Pick<TaskResult, 'ok' | 'stop_reason' | 'never_reached_model'>): string {
  return !result.ok && result.never_reached_model ? 'unavailable' : result.stop_reason;
}

/** A multi-line error (a provider chain lists one cause per line) as one line: `first: a; b`. */
function oneLine(error: string): string {
  const [first = '', ...rest] = error.split('\n').map((line) => line.trim().replace(/^- /, ''));
  const causes = rest.filter((line) => line !== '');
  return causes.length === 0 ? first : `${first.replace(/:$/, '')}: ${causes.join('; ')}`;
}
