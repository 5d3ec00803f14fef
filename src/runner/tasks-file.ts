/**
 * `codex-flow run --tasks tasks.jsonl`: one task per line,
 * `{"task": "...", "agent"?: "id", "alias"?: "name", "files"?: ["..."], "prompt"?: "...", "priority"?: 0, "id"?: "..."}`.
 * Blank lines and lines starting with `#` are skipped; a bad line is a CF8005 error at its line
 * and the other lines still run.
 *
 * @example
 * const { tasks, diagnostics } = parseTasksFile(text, 'tasks.jsonl');
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { TaskSpec } from './prepare.js';

/** A tasks file longer than this is a job for a queue, not for one command line. */
export const MAX_TASKS_PER_FILE = 100_000;

const KEYS = new Set(['task', 'agent', 'alias', 'files', 'prompt', 'priority', 'id']);

export function parseTasksFile(text: string, file: string): { tasks: TaskSpec[]; diagnostics: Diagnostic[] } {
  const tasks: TaskSpec[] = [];
  const diagnostics: Diagnostic[] = [];
  const lines = text.split(/\r?\n/);
  for (const [at, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const where = { file, line: at + 1, column: 1 };
    if (tasks.length >= MAX_TASKS_PER_FILE) {
      diagnostics.push(diagnostic('CF8005', `more than ${MAX_TASKS_PER_FILE} tasks; the rest are ignored`, where));
      break;
    }
    const problem = (message: string) => diagnostics.push(diagnostic('CF8005', message, where, { sourceLine: raw }));
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      problem(`not JSON: ${(error as Error).message}`);
      continue;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      problem('each line must be a JSON object');
      continue;
    }
    const spec = value as Record<string, unknown>;
    const unknown = Object.keys(spec).filter((key) => !KEYS.has(key));
    if (unknown.length > 0) {
      problem(`unknown key(s): ${unknown.join(', ')}`);
      continue;
    }
    if (typeof spec.task !== 'string') {
      problem('"task" must be a string');
      continue;
    }
    if (spec.files !== undefined && !(Array.isArray(spec.files) && spec.files.every((f) => typeof f === 'string'))) {
      problem('"files" must be a list of strings');
      continue;
    }
    if (spec.priority !== undefined && typeof spec.priority !== 'number') {
      problem('"priority" must be a number');
      continue;
    }
    for (const key of ['agent', 'alias', 'prompt', 'id'] as const) {
      if (spec[key] !== undefined && typeof spec[key] !== 'string') {
        problem(`"${key}" must be a string`);
        spec.task = undefined;
        break;
      }
    }
    if (spec.task === undefined) continue;
    tasks.push({ ...(spec as unknown as TaskSpec), source: where });
  }
  return { tasks, diagnostics };
}
