/**
 * Hooks: exit 0 allows, exit 2 from pre_task blocks (the model is never called), anything else is
 * a warning; timeouts kill the hook; the documented environment variables reach it; output is
 * captured in the run record; failure hooks run after a failed task, post_task after a good one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runHooks } from '../../src/runner/hooks.js';
import { runTasks } from '../../src/runner/runner.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { agent, fleetOf, readEvents, runnerInit, useTempProject } from '../support/runner-fixtures.js';

const server = useProviderServer();
const project = useTempProject();

const hook = (run: string, timeout_ms = 5_000) => ({ run, timeout_ms });
const context = () => ({
  cwd: project.root,
  env: { PATH: process.env.PATH },
  vars: { CF_AGENT_ID: 'x' },
  maxTimeoutMs: 10_000,
  maxOutputBytes: 1024,
});

describe('runHooks', () => {
  it('exit 0 allows, exit 2 blocks pre_task and stops later hooks, other codes warn', async () => {
    const result = await runHooks(
      'pre_task',
      [hook('echo first; exit 0'), hook('exit 7'), hook('echo no >&2; exit 2'), hook('touch later.txt')],
      context(),
    );
    expect(result.blocked).toBe(true);
    expect(result.runs.map((run) => [run.verdict, run.exit_code])).toEqual([
      ['allow', 0],
      ['warn', 7],
      ['block', 2],
    ]);
    expect(result.runs[0]!.stdout).toBe('first\n');
    expect(result.runs[2]!.stderr).toBe('no\n');
  });

  it('exit 2 outside pre_task is only a warning', async () => {
    const result = await runHooks('post_task', [hook('exit 2')], context());
    expect(result).toMatchObject({ blocked: false, runs: [{ verdict: 'warn', exit_code: 2 }] });
  });

  it('a hook that overruns its timeout is killed and warned about, even if it would exit 2', async () => {
    const result = await runHooks('pre_task', [hook('sleep 20; exit 2', 100)], context());
    expect(result).toMatchObject({ blocked: false, runs: [{ verdict: 'warn', timed_out: true }] });
  });

  it('the runner caps a hook timeout at runner.hooks.timeout_ms', async () => {
    const result = await runHooks('pre_task', [hook('sleep 20', 60_000)], { ...context(), maxTimeoutMs: 100 });
    expect(result.runs[0]).toMatchObject({ timed_out: true });
  });
});

describe('hooks in a task', () => {
  const env = 'echo "$CF_HOOK $CF_AGENT_ID $CF_ALIAS $CF_TASK_HASH $CF_RUN_ID $CF_OK $CF_STOP_REASON" >> hooks.log';
  const fleet = fleetOf(
    agent('guarded', { hooks: { pre_task: [hook('exit 2')], post_task: [], failure: [] } }),
    agent('observed', { hooks: { pre_task: [hook(env), hook('exit 1')], post_task: [hook(env)], failure: [hook(env)] } }),
  );

  it('a blocking pre_task hook stops the task before any model call', async () => {
    const result = await runTasks([{ agent: 'guarded', task: 'x' }], runnerInit(server, project.root, fleet));
    expect(result.tasks[0]).toMatchObject({ ok: false, stop_reason: 'blocked', steps: 0 });
    expect(server.requests).toHaveLength(0);
  });

  it('a warning hook does not stop the task; post_task gets the outcome; output lands in the record', async () => {
    server.enqueue('openai', { text: 'fine' });
    const result = await runTasks([{ agent: 'observed', task: 'x' }], runnerInit(server, project.root, fleet));
    const [task] = result.tasks;
    expect(task).toMatchObject({ ok: true, stop_reason: 'completed' });
    expect(task!.hooks.map((h) => `${h.phase}:${h.verdict}`)).toEqual(['pre_task:allow', 'pre_task:warn', 'post_task:allow']);
    const lines = readFileSync(join(project.root, 'hooks.log'), 'utf8').trim().split('\n');
    expect(lines.at(-2)).toBe(`pre_task observed observed ${task!.task_hash} ${result.run_id}  `);
    expect(lines.at(-1)).toBe(`post_task observed observed ${task!.task_hash} ${result.run_id} 1 completed`);
    const hookEvents = readEvents(join(project.root, result.record!)).filter((event) => event.event === 'hook-result');
    expect(hookEvents.map((event) => event.verdict)).toEqual(['allow', 'warn', 'allow']);
  });

  it('failure hooks run after a failed task', async () => {
    server.enqueue('openai', { status: 400, errorMessage: 'bad request' });
    const result = await runTasks([{ agent: 'observed', task: 'y' }], runnerInit(server, project.root, fleet));
    expect(result.tasks[0]!.hooks.map((h) => h.phase)).toEqual(['pre_task', 'pre_task', 'failure']);
    expect(readFileSync(join(project.root, 'hooks.log'), 'utf8').trim().split('\n').at(-1)).toMatch(/^failure observed .* 0 error$/);
  });
});
