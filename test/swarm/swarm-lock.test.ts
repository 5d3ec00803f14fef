/**
 * No two processes in one swarm folder: two resumes of the same swarm at once would both run
 * every unfinished subtask and interleave the log. The second is refused (CF8120) and runs
 * nothing; a lock left by a dead process is taken over; the lock is gone once the swarm ends.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { continueSwarm, runSwarm, runsDirOf, SwarmBusyError } from '../../src/swarm/swarm.js';
import { readSwarmState } from '../../src/swarm/resume.js';
import { resolveSwarmOptions } from '../../src/swarm/options.js';
import type { RoutedPlan } from '../../src/swarm/plan.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { agent, fleetOf, runnerInit, useTempProject } from '../support/runner-fixtures.js';

const server = useProviderServer();
const project = useTempProject('cf-swarm-lock-');
const fleet = fleetOf(agent('alpha'));

const plan: RoutedPlan = {
  goal: 'two things',
  source: 'file',
  subtasks: ['t1', 't2'].map((id) => ({
    id,
    task: `thing ${id}`,
    files: [],
    acceptance: [],
    depends_on: [],
    assignment: { agent: 'alpha', source: 'plan' as const, why: [] },
  })),
};

describe('the swarm folder lock', () => {
  it('two resumes of one swarm at once: the second is refused with CF8120 and nothing runs twice', async () => {
    server.setDefault('openai', { status: 400, errorMessage: 'broken' });
    const init = runnerInit(server, project.root, fleet);
    const first = await runSwarm(plan, { init, options: resolveSwarmOptions({}) });
    expect(first.report.counts.failed).toBe(2);
    const id = first.report.swarm_id;
    expect(existsSync(join(runsDirOf(init), id, 'lock'))).toBe(false);
    server.reset();
    server.setDefault('openai', { text: 'done', latencyMs: 40 });
    const state = readSwarmState(runsDirOf(init), id);
    const input = () => ({ init: runnerInit(server, project.root, fleet), options: resolveSwarmOptions({}) });
    const results = await Promise.allSettled([
      continueSwarm(state.plan!, id, state.completed, 2, input()),
      continueSwarm(state.plan!, id, state.completed, 2, input()),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(SwarmBusyError);
    expect(refused.reason.diagnostic).toMatchObject({
      code: 'CF8120',
      message: `swarm ${id} is being run by another codex-flow process (pid ${process.pid})`,
    });
    expect(server.requests).toHaveLength(2);
  });

  it('a lock left by a process that is gone is taken over', async () => {
    server.setDefault('openai', { text: 'done' });
    const init = runnerInit(server, project.root, fleet);
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(runsDirOf(init), 'sw-stale'), { recursive: true });
    writeFileSync(join(runsDirOf(init), 'sw-stale', 'lock'), gone);
    const result = await runSwarm(plan, { init, options: resolveSwarmOptions({}), swarmId: 'sw-stale' });
    expect(result.report.ok).toBe(true);
    expect(existsSync(join(runsDirOf(init), 'sw-stale', 'lock'))).toBe(false);
  });
});
