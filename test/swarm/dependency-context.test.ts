/**
 * The dependency context cap is a cap: the dependencies' results (heads, changed-file lists and
 * summaries) never take more than `contextChars`, whatever the number of dependencies, the length
 * of their answers or of their file lists; room one dependency leaves goes to the others.
 */
import { describe, expect, it } from 'vitest';
import { subtaskContext } from '../../src/swarm/dependency-context.js';
import { idleOutcome, type SubtaskOutcome } from '../../src/swarm/outcome.js';
import type { RoutedPlan, RoutedSubtask } from '../../src/swarm/plan.js';

const routed = (id: string, depends_on: string[] = []): RoutedSubtask => ({
  id,
  task: `task of ${id}`,
  depends_on,
  files: [],
  acceptance: [],
  assignment: { agent: 'alpha', source: 'plan', why: [] },
});

function setup(count: number, summary: (i: number) => string, files: (i: number) => string[] = () => []) {
  const ids = Array.from({ length: count }, (_, i) => `d${i + 1}`);
  const subtask = routed('last', ids);
  const plan: RoutedPlan = { goal: 'g', source: 'file', subtasks: [...ids.map((id) => routed(id)), subtask] };
  const outcomes = new Map<string, SubtaskOutcome>(
    ids.map((id, i) => [
      id,
      { ...idleOutcome(routed(id), 'failed', ''), state: 'completed', summary: summary(i), changed_files: files(i) },
    ]),
  );
  return { subtask, plan, outcomes };
}

/** The part of the prompt after the swarm's own lines: the dependencies' results. */
const resultsOf = (prompt: string) => prompt.slice(prompt.indexOf('Results of the subtasks'));

describe('subtaskContext: the dependency cap', () => {
  it('dependency_context_cap_is_not_a_cap: 50 dependencies with long answers stay within 1,000 characters', () => {
    const { subtask, plan, outcomes } = setup(50, () => 'x'.repeat(3000));
    const { prompt, shortened } = subtaskContext(subtask, plan, 'sw', outcomes, 1000);
    expect(shortened).toBe(true);
    expect(resultsOf(prompt).length).toBeLessThanOrEqual(1000);
  });

  it('a changed-file list of 500 paths is capped with "…and N more" and the total stays within the cap', () => {
    const { subtask, plan, outcomes } = setup(
      2,
      () => 'answer',
      (i) => Array.from({ length: 500 }, (_, n) => `src/module-${i}/file-${n}.ts`),
    );
    const { prompt, shortened } = subtaskContext(subtask, plan, 'sw', outcomes, 2000);
    const results = resultsOf(prompt);
    expect(results.length).toBeLessThanOrEqual(2000);
    expect(results).toMatch(/…and \d+ more/);
    expect(results).toContain('src/module-0/file-0.ts');
    expect(results).toContain('src/module-1/file-0.ts');
    expect(shortened).toBe(true);
  });

  it('short answers are kept whole and leave their room to a long one', () => {
    const { subtask, plan, outcomes } = setup(3, (i) => (i === 2 ? 'y'.repeat(4000) : 'short answer'));
    const { prompt, shortened } = subtaskContext(subtask, plan, 'sw', outcomes, 3000);
    const results = resultsOf(prompt);
    expect(results.length).toBeLessThanOrEqual(3000);
    expect(results.split('short answer')).toHaveLength(3);
    // An even split would give the long one 1,000; it gets nearly all the room the short ones left.
    expect(results.match(/y+/)![0].length).toBeGreaterThan(2000);
    expect(shortened).toBe(true);
  });

  it('everything that fits is passed whole, unshortened', () => {
    const { subtask, plan, outcomes } = setup(
      2,
      (i) => `answer ${i}`,
      () => ['a.ts'],
    );
    const { prompt, shortened } = subtaskContext(subtask, plan, 'sw', outcomes, 6000);
    expect(shortened).toBe(false);
    expect(prompt).toContain('## d1 (alpha): task of d1\nchanged files: a.ts\nanswer 0');
  });
});
