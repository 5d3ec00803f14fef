/**
 * Stopping a swarm (Ctrl-C: the signal) starts nothing new, lets running subtasks finish, and
 * leaves a log from which `continueSwarm` runs exactly the rest: across the stop and the resume,
 * every subtask runs once.
 */
import { describe, expect, it } from 'vitest';
import { continueSwarm, runSwarm, runsDirOf } from '../../src/swarm/swarm.js';
import { readSwarmState } from '../../src/swarm/resume.js';
import { resolveSwarmOptions } from '../../src/swarm/options.js';
import type { RoutedPlan } from '../../src/swarm/plan.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { agent, fleetOf, runnerInit, useTempProject } from '../support/runner-fixtures.js';

const server = useProviderServer();
const project = useTempProject('cf-swarm-stop-');
const fleet = fleetOf(agent('alpha', { runtime: { concurrency: { max_parallel_tasks: 2, queue_strategy: 'fifo' } } }));

const plan: RoutedPlan = {
  goal: 'six things',
  source: 'file',
  subtasks: Array.from({ length: 6 }, (_, index) => ({
    id: `t${index + 1}`,
    task: `thing ${index + 1}`,
    files: [],
    acceptance: [],
    depends_on: index === 5 ? ['t1'] : [],
    assignment: { agent: 'alpha', source: 'plan' as const, why: [] },
  })),
};

const subtaskOf = (body: any) => /Swarm subtask (\S+) of swarm/.exec(JSON.stringify(body.messages))![1]!;

describe('stop and resume', () => {
  it('a stop after the first start lets the started ones finish, leaves the rest not run; the resume runs each of them once and none twice', async () => {
    server.setDefault('openai', { text: 'done', latencyMs: 20 });
    const init = runnerInit(server, project.root, fleet);
    const stop = new AbortController();
    const first = await runSwarm(plan, {
      init,
      options: resolveSwarmOptions({ maxParallel: 2 }),
      signal: stop.signal,
      onEvent: (event) => {
        if (event.event === 'subtask-started') stop.abort();
      },
    });
    expect(first.report.ok).toBe(false);
    // Both slots were filled in the pass that started t1; they finish, nothing else starts.
    expect(first.report.counts).toEqual({ completed: 2, failed: 0, skipped: 0, 'not-run': 4 });
    const state = readSwarmState(runsDirOf(init), first.report.swarm_id);
    expect([...state.completed.keys()]).toEqual(['t1', 't2']);
    const second = await continueSwarm(state.plan!, first.report.swarm_id, state.completed, state.attempts + 1, {
      init: runnerInit(server, project.root, fleet),
      options: resolveSwarmOptions({}),
    });
    expect(second.report.counts).toEqual({ completed: 6, failed: 0, skipped: 0, 'not-run': 0 });
    const runs = server.requests.map((request) => subtaskOf(request.body)).sort();
    expect(runs).toEqual(['t1', 't2', 't3', 't4', 't5', 't6']);
    // The dependent saw its dependency's answer from the first attempt.
    const t6 = server.requests.find((request) => subtaskOf(request.body) === 't6')!;
    expect(JSON.stringify(t6.body.messages)).toContain('## t1 (alpha): thing 1');
  });
});
