/**
 * A run as text for people: one line per task (status, agent, stop reason, time, provider, tokens,
 * cost, tool refusals), the answer when it was not streamed, and a summary with the record's path.
 * `--json` prints the same RunResult as data.
 *
 * @example io.stdout(formatRun(result, { streamed: false }));
 */
import type { RunResult } from './runner.js';
import type { TaskResult } from './execute-task.js';

function taskLine(task: TaskResult, many: boolean): string {
  const who = !task.agent
    ? task.alias || '(no agent)'
    : task.alias && task.alias !== task.agent
      ? `${task.agent} (alias ${task.alias})`
      : task.agent;
  const parts = [`${task.ok ? 'ok ' : 'FAIL'} ${many ? `#${task.index + 1} ` : ''}${who}: ${task.stop_reason}`];
  if (task.steps > 0) parts.push(`${task.ms} ms`, `${task.steps} step(s)`);
  if (task.provider) parts.push(`${task.provider}/${task.model}`, `${task.usage.input}→${task.usage.output} tokens`);
  if (task.cost_usd !== null) parts.push(`$${task.cost_usd.toFixed(4)}`);
  if (task.tool_calls > 0) parts.push(`${task.tool_calls} tool call(s)`);
  if (task.tool_refusals > 0) parts.push(`${task.tool_refusals} refused`);
  if (task.tool_errors > 0) parts.push(`${task.tool_errors} tool error(s)`);
  const lines = [parts.join(' · ')];
  if (task.error) lines.push(`     ${task.error.split('\n').join('\n     ')}`);
  for (const problem of task.memory_errors ?? []) lines.push(`     memory ${problem.op} failed: ${problem.error}`);
  for (const hook of task.hooks)
    if (hook.verdict !== 'allow')
      lines.push(
        `     hook ${hook.phase} "${hook.run}": ${hook.verdict} (exit ${hook.exit_code ?? 'killed'}${hook.timed_out ? ', timed out' : ''})`,
      );
  return lines.join('\n');
}

export function formatRun(result: RunResult, options: { streamed: boolean }): string {
  const many = result.tasks.length > 1;
  const lines: string[] = [];
  for (const task of result.tasks) {
    if (!options.streamed && !many && task.text) lines.push(task.text.trimEnd(), '');
    lines.push(taskLine(task, many));
  }
  const { ok, failed, rejected } = result.counts;
  lines.push(
    `run ${result.run_id}: ${ok} ok, ${failed} failed, ${rejected} rejected${result.record ? ` — record in ${result.record}/` : ''}`,
  );
  return `${options.streamed ? '\n' : ''}${lines.join('\n')}\n`;
}
