/**
 * Reading a plan file (`swarm --plan plan.yaml`; JSON is YAML, so `.json` plans read the same
 * way). Parsing goes through the compiler's YAML pass (`parseFrontMatter`: size, depth and alias
 * limits first, never throws, every key mapped back to `file:line:col`); this file checks the
 * shape and keeps the locator, so the DAG checks point at the line of the bad `depends_on` too.
 *
 * Every problem is a diagnostic with a location; one bad subtask does not hide the others' problems.
 *
 * @example
 * const { plan, locate, diagnostics } = parsePlanFile(text, 'plan.yaml');
 * if (plan) validatePlan(plan, { maxSubtasks: 50, locate });
 */
import { diagnostic, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';
import { parseFrontMatter } from '../compiler/parse.js';
import { closest } from '../util/closest.js';
import { PLAN_VERSION, type PlanLocator, type Subtask, type SwarmPlan } from './plan.js';

/** Largest plan file read: the YAML pass's own limit, and far more than any hand-written plan. */
export const MAX_PLAN_BYTES = 64 * 1024;

const PLAN_KEYS = ['version', 'goal', 'subtasks'];
const SUBTASK_KEYS = ['id', 'task', 'agent', 'depends_on', 'files', 'acceptance', 'reason', 'reviewer', 'follow_up'];

export interface ParsedPlanFile {
  plan?: SwarmPlan;
  locate?: PlanLocator;
  diagnostics: Diagnostic[];
}

export function parsePlanFile(text: string, file: string): ParsedPlanFile {
  const lines = text.split(/\r?\n/);
  if (text.length > MAX_PLAN_BYTES)
    return {
      diagnostics: [diagnostic('CF8100', `the plan is ${text.length} bytes; the limit is ${MAX_PLAN_BYTES}`, { file, line: 1, column: 1 })],
    };
  const parsed = parseFrontMatter(
    { yaml: text.replace(/\r\n/g, '\n'), yamlStartLine: 1, indent: 0, body: '', bodyStartLine: lines.length + 1 },
    file,
    lines,
  );
  const frame = (location: SourceLocation | undefined) => (location ? { sourceLine: lines[location.line - 1] ?? '' } : {});
  // The YAML pass speaks of front-matter; a plan's parse errors get the plan's code, same place and text.
  const diagnostics = parsed.diagnostics.map((entry) =>
    entry.severity === 'error'
      ? {
          ...entry,
          code: 'CF8100' as const,
          message: entry.message.replace(/front-matter/g, 'the plan'),
          hint: 'fix the YAML/JSON at the position shown',
        }
      : entry,
  );
  if (diagnostics.some((entry) => entry.severity === 'error')) return { diagnostics };
  const locate: PlanLocator = (path) => parsed.locate(path, 'value');
  const problem = (message: string, path: Array<string | number>) => {
    const where = locate(path);
    diagnostics.push(diagnostic('CF8101', message, where, frame(where)));
  };
  const data = parsed.data;
  for (const key of Object.keys(data)) {
    if (!PLAN_KEYS.includes(key)) problem(unknownKey(key, PLAN_KEYS, 'plan'), [key]);
  }
  if (data.version !== undefined && data.version !== PLAN_VERSION)
    problem(`plan version ${String(data.version)} is not supported; this codex-flow reads version ${PLAN_VERSION}`, ['version']);
  const goal = typeof data.goal === 'string' ? data.goal.trim() : '';
  if (data.goal !== undefined && typeof data.goal !== 'string') problem('`goal` must be a string', ['goal']);
  if (!Array.isArray(data.subtasks)) {
    problem(
      data.subtasks === undefined ? 'the plan has no `subtasks:` list' : '`subtasks` must be a list',
      data.subtasks === undefined ? [] : ['subtasks'],
    );
    return { diagnostics, locate };
  }
  const subtasks: Subtask[] = [];
  for (const [index, raw] of data.subtasks.entries()) {
    const subtask = readSubtask(raw, index, problem);
    if (subtask) subtasks.push(subtask);
  }
  if (diagnostics.some((entry) => entry.severity === 'error')) return { diagnostics, locate };
  return { plan: { goal, source: 'file', subtasks }, locate, diagnostics };
}

export type Problem = (message: string, path: Array<string | number>) => void;

/** One subtask's shape, as a plan file states it; `extraKeys` are keys a caller's own plan form adds (the log's `assignment`). */
export function readSubtask(raw: unknown, index: number, problem: Problem, extraKeys: readonly string[] = []): Subtask | undefined {
  const path = ['subtasks', index];
  const label = `subtask ${index + 1}`;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    problem(`${label} must be a mapping ({id, task, …})`, path);
    return undefined;
  }
  const entry = raw as Record<string, unknown>;
  let ok = true;
  const fail = (message: string, key: string) => {
    ok = false;
    problem(`${label}: ${message}`, [...path, key]);
  };
  for (const key of Object.keys(entry))
    if (!SUBTASK_KEYS.includes(key) && !extraKeys.includes(key)) fail(unknownKey(key, SUBTASK_KEYS, 'subtask'), key);
  const id = typeof entry.id === 'number' ? String(entry.id) : entry.id;
  if (typeof id !== 'string' || id.trim() === '') fail('needs an `id` (a short name other subtasks can depend on)', 'id');
  if (typeof entry.task !== 'string' || entry.task.trim() === '') fail('needs a `task` (what to do, in words)', 'task');
  if (entry.agent !== undefined && typeof entry.agent !== 'string') fail('`agent` must be an agent id or alias', 'agent');
  if (entry.reason !== undefined && typeof entry.reason !== 'string') fail('`reason` must be a string', 'reason');
  if (entry.reviewer !== undefined && typeof entry.reviewer !== 'string') fail('`reviewer` must be an agent id or alias', 'reviewer');
  if (entry.follow_up !== undefined && typeof entry.follow_up !== 'boolean') fail('`follow_up` must be true or false', 'follow_up');
  const lists: Record<string, string[]> = {};
  for (const key of ['depends_on', 'files', 'acceptance']) {
    const value = entry[key];
    const list =
      value === undefined || value === null ? [] : typeof value === 'string' || typeof value === 'number' ? [String(value)] : value;
    if (!Array.isArray(list) || !list.every((item) => typeof item === 'string' || typeof item === 'number'))
      fail(`\`${key}\` must be a list of strings`, key);
    else lists[key] = list.map(String);
  }
  if (!ok) return undefined;
  const subtask: Subtask = {
    id: (id as string).trim(),
    task: (entry.task as string).trim(),
    depends_on: lists.depends_on!,
    files: lists.files!,
    acceptance: lists.acceptance!,
  };
  if (typeof entry.agent === 'string' && entry.agent.trim() !== '') subtask.agent = entry.agent.trim();
  if (typeof entry.reason === 'string') subtask.reason = entry.reason;
  if (typeof entry.reviewer === 'string' && entry.reviewer.trim() !== '') subtask.reviewer = entry.reviewer.trim();
  if (entry.follow_up === true) subtask.follow_up = true;
  return subtask;
}

function unknownKey(key: string, known: readonly string[], what: string): string {
  const guess = closest(key, known);
  return `unknown ${what} key \`${key}\`${guess ? ` (did you mean \`${guess}\`?)` : ''}; known: ${known.join(', ')}`;
}
