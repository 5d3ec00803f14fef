/**
 * Checks that a plan is a runnable DAG, as values: duplicate ids (CF8102), dependencies on ids
 * that do not exist (CF8103), cycles named edge by edge (CF8104), more subtasks than allowed
 * (CF8106), an empty plan (CF8107). Unknown agents are `routePlan`'s business (it knows the fleet).
 *
 * Cycles: a depth-first search with three colours; meeting a grey node closes a cycle, which is
 * read back off the search stack, so the message names every subtask on it (`a → b → c → a`).
 * Each cycle is reported once, from its first node in plan order.
 *
 * @example
 * const diagnostics = validatePlan(plan, { maxSubtasks: 50 });
 * if (hasErrors(diagnostics)) … // nothing runs
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { PlanLocator, Subtask } from './plan.js';

export interface ValidateOptions {
  maxSubtasks: number;
  /** Positions in a plan file, when the plan came from one. */
  locate?: PlanLocator;
}

export function validatePlan(plan: { subtasks: readonly Subtask[] }, options: ValidateOptions): Diagnostic[] {
  const at = (path: Array<string | number>) => options.locate?.(path);
  const diagnostics: Diagnostic[] = [];
  if (plan.subtasks.length === 0) return [diagnostic('CF8107', 'the plan has no subtasks', at(['subtasks']))];
  if (plan.subtasks.length > options.maxSubtasks) {
    diagnostics.push(
      diagnostic(
        'CF8106',
        `the plan has ${plan.subtasks.length} subtasks; the limit is ${options.maxSubtasks} (--max-subtasks)`,
        at(['subtasks']),
      ),
    );
  }
  const seen = new Map<string, number>();
  for (const [index, subtask] of plan.subtasks.entries()) {
    const first = seen.get(subtask.id);
    if (first === undefined) seen.set(subtask.id, index);
    else
      diagnostics.push(
        diagnostic('CF8102', `subtask id "${subtask.id}" is used by subtasks ${first + 1} and ${index + 1}`, at(['subtasks', index, 'id'])),
      );
  }
  for (const [index, subtask] of plan.subtasks.entries()) {
    for (const [position, dependency] of subtask.depends_on.entries()) {
      if (dependency === subtask.id)
        diagnostics.push(
          diagnostic('CF8104', `subtask "${subtask.id}" depends on itself`, at(['subtasks', index, 'depends_on', position])),
        );
      else if (!seen.has(dependency))
        diagnostics.push(
          diagnostic(
            'CF8103',
            `subtask "${subtask.id}" depends on "${dependency}", which is not in the plan`,
            at(['subtasks', index, 'depends_on', position]),
          ),
        );
    }
  }
  for (const cycle of findCycles(plan.subtasks)) {
    const index = seen.get(cycle[0]!)!;
    diagnostics.push(diagnostic('CF8104', `dependency cycle: ${[...cycle, cycle[0]].join(' → ')}`, at(['subtasks', index, 'depends_on'])));
  }
  return diagnostics;
}

/** Every cycle of two or more subtasks (self-loops are reported apart), each once, as ids in order. */
export function findCycles(subtasks: readonly Subtask[]): string[][] {
  const byId = new Map(subtasks.map((subtask) => [subtask.id, subtask]));
  const colour = new Map<string, 'grey' | 'black'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (id: string): void => {
    colour.set(id, 'grey');
    stack.push(id);
    for (const next of byId.get(id)?.depends_on ?? []) {
      if (next === id || !byId.has(next)) continue;
      const state = colour.get(next);
      if (state === 'grey') cycles.push(stack.slice(stack.indexOf(next)));
      else if (state === undefined) visit(next);
    }
    stack.pop();
    colour.set(id, 'black');
  };
  for (const subtask of subtasks) if (!colour.has(subtask.id)) visit(subtask.id);
  return cycles;
}

/** Subtasks in an order where each comes after its dependencies (plan order among equals); assumes a valid DAG. */
export function topologicalOrder<T extends Subtask>(subtasks: readonly T[]): T[] {
  const done = new Set<string>();
  const out: T[] = [];
  const byId = new Map(subtasks.map((subtask) => [subtask.id, subtask]));
  const place = (subtask: T): void => {
    if (done.has(subtask.id)) return;
    done.add(subtask.id);
    for (const dependency of subtask.depends_on) {
      const before = byId.get(dependency);
      if (before) place(before);
    }
    out.push(subtask);
  };
  for (const subtask of subtasks) place(subtask);
  return out;
}
