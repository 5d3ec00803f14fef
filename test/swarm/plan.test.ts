/**
 * The plan model: DAG validation as values (duplicates, dangling dependencies, cycles named edge
 * by edge, --max-subtasks) and plan files (YAML and JSON) with every problem at file:line:col.
 */
import { describe, expect, it } from 'vitest';
import { findCycles, topologicalOrder, validatePlan } from '../../src/swarm/validate-plan.js';
import { parsePlanFile } from '../../src/swarm/plan-file.js';
import type { Subtask } from '../../src/swarm/plan.js';

const sub = (id: string, depends_on: string[] = []): Subtask => ({ id, task: `do ${id}`, depends_on, files: [], acceptance: [] });
const codes = (list: Array<{ code: string }>) => list.map((entry) => entry.code);

describe('validatePlan', () => {
  it('accepts a DAG and orders it after its dependencies', () => {
    const subtasks = [sub('c', ['a', 'b']), sub('a'), sub('b', ['a'])];
    expect(validatePlan({ subtasks }, { maxSubtasks: 10 })).toEqual([]);
    expect(topologicalOrder(subtasks).map((s) => s.id)).toEqual(['a', 'b', 'c']);
  });

  it('names the cycle edge by edge, once', () => {
    const diagnostics = validatePlan({ subtasks: [sub('a', ['c']), sub('b', ['a']), sub('c', ['b']), sub('d')] }, { maxSubtasks: 10 });
    expect(codes(diagnostics)).toEqual(['CF8104']);
    expect(diagnostics[0]!.message).toBe('dependency cycle: a → c → b → a');
    expect(findCycles([sub('x', ['x'])])).toEqual([]);
    expect(validatePlan({ subtasks: [sub('x', ['x'])] }, { maxSubtasks: 10 })[0]!.message).toBe('subtask "x" depends on itself');
  });

  it('reports duplicate ids, dangling dependencies, too many subtasks and an empty plan', () => {
    const diagnostics = validatePlan({ subtasks: [sub('a'), sub('a'), sub('b', ['nope'])] }, { maxSubtasks: 2 });
    expect(codes(diagnostics).sort()).toEqual(['CF8102', 'CF8103', 'CF8106']);
    expect(diagnostics.find((d) => d.code === 'CF8103')!.message).toContain('"nope", which is not in the plan');
    expect(codes(validatePlan({ subtasks: [] }, { maxSubtasks: 2 }))).toEqual(['CF8107']);
  });
});

describe('parsePlanFile', () => {
  it('reads a YAML plan; a string is a one-item list', () => {
    const { plan, diagnostics } = parsePlanFile(
      'goal: ship it\nsubtasks:\n  - id: a\n    task: add the endpoint\n    agent: api-designer\n    files: [src/api.ts]\n  - id: b\n    task: document it\n    depends_on: a\n    acceptance: the README names the endpoint\n',
      'plan.yaml',
    );
    expect(diagnostics).toEqual([]);
    expect(plan).toEqual({
      goal: 'ship it',
      source: 'file',
      subtasks: [
        { id: 'a', task: 'add the endpoint', agent: 'api-designer', depends_on: [], files: ['src/api.ts'], acceptance: [] },
        { id: 'b', task: 'document it', depends_on: ['a'], files: [], acceptance: ['the README names the endpoint'] },
      ],
    });
  });

  it('reads a JSON plan, and its cycle is located at the depends_on line', () => {
    const text =
      '{\n  "goal": "g",\n  "subtasks": [\n    {"id": "a", "task": "x", "depends_on": ["b"]},\n    {"id": "b", "task": "y", "depends_on": ["a"]}\n  ]\n}\n';
    const { plan, locate, diagnostics } = parsePlanFile(text, 'plan.json');
    expect(diagnostics).toEqual([]);
    const [cycle] = validatePlan(plan!, { maxSubtasks: 10, locate });
    expect(cycle).toMatchObject({ code: 'CF8104', message: 'dependency cycle: a → b → a', location: { file: 'plan.json', line: 4 } });
  });

  it('locates shape errors (file:line:col) and reports every bad subtask', () => {
    const text = 'goal: g\nsubtasks:\n  - id: a\n    tsk: typo\n  - id: b\n    task: ok\n    depends_on: {x: 1}\n';
    const { plan, diagnostics } = parsePlanFile(text, 'p.yaml');
    expect(plan).toBeUndefined();
    expect(diagnostics.map((d) => [d.code, d.location?.line, d.message])).toEqual([
      ['CF8101', 4, expect.stringContaining('unknown subtask key `tsk` (did you mean `task`?)')],
      ['CF8101', 3, expect.stringContaining('needs a `task`')],
      ['CF8101', 7, expect.stringContaining('`depends_on` must be a list of strings')],
    ]);
  });

  it('turns broken YAML into CF8100 at its position, without a stack trace', () => {
    const { diagnostics } = parsePlanFile('goal: g\nsubtasks:\n  - id: a\n   task: [unclosed\n', 'p.yaml');
    expect(diagnostics[0]).toMatchObject({ code: 'CF8100', severity: 'error', location: { file: 'p.yaml' } });
    expect(parsePlanFile('- just\n- a list\n', 'p.yaml').diagnostics[0]!.code).toBe('CF8100');
    expect(parsePlanFile('goal: g\n', 'p.yaml').diagnostics[0]!.message).toContain('no `subtasks:` list');
  });
});
