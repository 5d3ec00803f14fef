/**
 * The heuristic decomposer: splits on clauses and conjunctions only before a verb, orders a part
 * after the previous one when it refers back, says "then", or is about earlier work; deterministic.
 */
import { describe, expect, it } from 'vitest';
import { decomposeGoal } from '../../src/swarm/decompose.js';

const shape = (goal: string) => decomposeGoal(goal).subtasks.map((s) => ({ id: s.id, task: s.task, depends_on: s.depends_on }));

describe('decomposeGoal', () => {
  it("splits the issue's example into two subtasks, the second after the first, and says why", () => {
    const plan = decomposeGoal('add rate limiting to the public API and document it');
    expect(shape(plan.goal)).toEqual([
      { id: 's1', task: 'add rate limiting to the public API', depends_on: [] },
      { id: 's2', task: 'document it', depends_on: ['s1'] },
    ]);
    expect(plan.subtasks[1]!.reason).toBe('part 2 of the goal, split at "and"; after s1: "it" refers back');
    expect(plan.source).toBe('heuristic');
  });

  it('keeps "and" between nouns inside one subtask', () => {
    expect(shape('add tests and docs for the parser')).toEqual([{ id: 's1', task: 'add tests and docs for the parser', depends_on: [] }]);
  });

  it('runs independent parts in parallel and orders "then" and follow-up work', () => {
    expect(shape('fix the flaky login test, tune the slow SQL query and then deploy to kubernetes')).toEqual([
      { id: 's1', task: 'fix the flaky login test', depends_on: [] },
      { id: 's2', task: 'tune the slow SQL query', depends_on: [] },
      { id: 's3', task: 'deploy to kubernetes', depends_on: ['s2'] },
    ]);
    expect(shape('refactor the parser. Write tests for the parser')).toEqual([
      { id: 's1', task: 'refactor the parser', depends_on: [] },
      { id: 's2', task: 'Write tests for the parser', depends_on: ['s1'] },
    ]);
    expect(shape('- optimize the Dockerfile\n- review the Terraform module')).toEqual([
      { id: 's1', task: 'optimize the Dockerfile', depends_on: [] },
      { id: 's2', task: 'review the Terraform module', depends_on: ['s1'] },
    ]);
  });

  it('is deterministic: the same goal gives the same plan', () => {
    const goal = 'migrate the orders table, then update the API and document the change';
    expect(JSON.stringify(decomposeGoal(goal))).toBe(JSON.stringify(decomposeGoal(goal)));
  });
});
