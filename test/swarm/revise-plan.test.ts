/**
 * `--revise-plan`: after a subtask fails, the planner revises the part of the plan that has not
 * started. Heuristic: the failed subtask again with the router's next agent, its waiting
 * dependents rewired to the retry. llm: the model's new not-started part, checked like any plan
 * (one repair try), else the heuristic revision, said. The revision is logged before it takes
 * effect, shown in the report, and kept by --resume.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { readSwarmState } from '../../src/swarm/resume.js';
import { planReviser } from '../../src/swarm/revise-plan.js';
import type { RoutedPlan } from '../../src/swarm/plan.js';
import type { SubtaskOutcome } from '../../src/swarm/outcome.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { fixtureEnv } from '../support/provider-env.js';
import type { RecordedRequest, Script } from '../support/provider-server.js';

const server = useProviderServer();
let project: string;
beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'cf-swarm-revise-'));
  await cp(new URL('../../codex/agents', import.meta.url), join(project, 'codex/agents'), { recursive: true });
  await writeFile(
    join(project, 'fails.yaml'),
    'goal: speed up the slow report query and document it\nsubtasks:\n  - id: f1\n    task: speed up the slow report query\n  - id: f2\n    task: document the faster query\n    agent: api-docs-writer\n    depends_on: [f1]\n',
  );
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

const subtaskOf = (request: RecordedRequest) => /Swarm subtask (\S+) of swarm/.exec(JSON.stringify(request.body.messages))?.[1] ?? '?';

async function cli(argv: string[]) {
  const io = memoryIO(project, { ...fixtureEnv(server), CODEX_FLOW_PROVIDER: 'openai', CI: 'true' });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('--revise-plan', () => {
  it("a_failure_skips_its_dependents_with_no_revision: the heuristic retries f1 with the router's next agent and f2 waits on the retry", async () => {
    server.setDefault('openai', (request): Script =>
      subtaskOf(request) === 'f1' ? { status: 400, errorMessage: 'f1 is broken' } : { text: `answer of ${subtaskOf(request)}` },
    );
    const plain = await cli(['swarm', '--plan', 'fails.yaml', '--json']);
    expect(JSON.parse(plain.out).subtasks.map((subtask: any) => [subtask.id, subtask.state])).toEqual([
      ['f1', 'failed'],
      ['f2', 'skipped'],
    ]);
    const ran = await cli(['swarm', '--plan', 'fails.yaml', '--revise-plan', '--json']);
    const report = JSON.parse(ran.out);
    const byId = Object.fromEntries(report.subtasks.map((subtask: any) => [subtask.id, subtask]));
    expect(Object.keys(byId)).toEqual(['f1', 'f1-r1', 'f2']);
    expect([byId.f1.state, byId['f1-r1'].state, byId.f2.state]).toEqual(['failed', 'completed', 'completed']);
    expect(byId['f1-r1'].agent).not.toBe(byId.f1.agent);
    expect(byId['f1-r1'].why).toMatch(/^revision: f1 failed \(.*f1 is broken.*\); tried again with \S+, the router's next choice$/);
    expect(byId.f2.depends_on).toEqual(['f1-r1']);
    const events = readFileSync(join(project, report.dir, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const revised = events.findIndex((event) => event.event === 'plan-revised');
    expect(events[revised]).toMatchObject({ after: 'f1', source: 'heuristic', replaced: ['f2'] });
    expect(revised).toBeLessThan(events.findIndex((event) => event.event === 'subtask-started' && event.id === 'f1-r1'));
    expect(readFileSync(join(project, report.dir, 'report.md'), 'utf8')).toContain('_revision: f1 failed');
    const state = readSwarmState(join(project, '.runs'), report.swarm_id);
    expect(new Map(state.plan!.subtasks.map((subtask) => [subtask.id, subtask.depends_on]))).toEqual(
      new Map([
        ['f1', []],
        ['f1-r1', []],
        ['f2', ['f1-r1']],
      ]),
    );
    expect([...state.completed.keys()].sort()).toEqual(['f1-r1', 'f2']);
  });

  it('an llm revision is checked like a plan: a bad answer gets one repair, a second bad one gives the heuristic revision, said', async () => {
    const plan: RoutedPlan = {
      goal: 'g',
      source: 'llm',
      subtasks: [
        {
          id: 'a',
          task: 'do a',
          depends_on: [],
          files: [],
          acceptance: [],
          assignment: { agent: 'x', source: 'routed', why: [], alternatives: [{ id: 'y', score: 1 }] },
        },
        { id: 'b', task: 'do b', depends_on: ['a'], files: [], acceptance: [], assignment: { agent: 'x', source: 'routed', why: [] } },
      ],
    };
    const failed: SubtaskOutcome = {
      id: 'a',
      state: 'failed',
      agent: 'x',
      alias: 'x',
      reason: 'timeout',
      summary: '',
      changed_files: [],
      usage: { input: 0, output: 0, cached: 0 },
      cost_usd: null,
      ms: 0,
      steps: 0,
      provider: null,
      model: null,
    };
    const answers = [
      '{"subtasks": [{"id": "a", "task": "again"}]}',
      '{"subtasks": [{"id": "c", "task": "do c", "agent": "y"}, {"id": "d", "task": "do b", "agent": "y", "depends_on": ["c"]}]}',
    ];
    const prompts: string[] = [];
    const model = {
      generate: async (request: any) => {
        prompts.push(request.messages.at(-1).content);
        return { text: answers.shift() ?? '' } as any;
      },
      stream: () => {
        throw new Error('unused');
      },
    } as any;
    const revise = planReviser({
      route: { knows: (name) => name === 'x' || name === 'y' },
      maxSubtasks: 10,
      llm: {
        model,
        agents: [
          { id: 'x', description: 'X' },
          { id: 'y', description: 'Y' },
        ],
      },
    });
    const good = await revise(plan.subtasks[0]!, failed, plan, ['b'], new Map([['a', failed]]));
    expect(prompts[1]).toContain('subtask id "a" is taken by a subtask that already ran');
    expect(good).toMatchObject({
      source: 'llm',
      replaced: ['b'],
      subtasks: [
        { id: 'c', assignment: { agent: 'y' } },
        { id: 'd', depends_on: ['c'] },
      ],
    });
    answers.push('nonsense', '{"subtasks": [{"id": "e", "task": "t", "depends_on": ["a"]}]}');
    const fallback = await revise(plan.subtasks[0]!, failed, plan, ['b'], new Map([['a', failed]]));
    expect(fallback).toMatchObject({
      source: 'heuristic',
      replaced: ['b'],
      subtasks: [
        { id: 'a-r1', assignment: { agent: 'y' } },
        { id: 'b', depends_on: ['a-r1'] },
      ],
    });
    expect(fallback!.notes![0]).toContain('depends on "a", which did not complete');
  });
});
