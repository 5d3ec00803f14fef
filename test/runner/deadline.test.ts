/**
 * `timeout_ms` is a hard cap on the whole task: pre_task and post_task hooks run under the task's
 * deadline, a task that is past its deadline once its post_task hooks are done reports `timeout`
 * (never `completed`), and a hook's `setsid` child neither holds the task open nor outlives it
 * (the red-team case: `setsid sleep 40 &` in a hook held a 10 s task 41.5 s).
 */
import { describe, expect, it } from 'vitest';
import { runTasks } from '../../src/runner/runner.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { agent, commandGone, fleetOf, processesWith, runnerInit, useTempProject } from '../support/runner-fixtures.js';

const server = useProviderServer();
const project = useTempProject();

const hook = (run: string, timeout_ms = 10_000) => ({ run, timeout_ms });
const quick = (id: string, hooks: Record<string, unknown>) =>
  agent(id, { runtime: { timeout_ms: 800 }, hooks: { pre_task: [], post_task: [], failure: [], ...hooks } });

describe('timeout_ms bounds the hooks of a task', () => {
  it("a pre_task hook longer than the task is cut at the task's deadline", async () => {
    const fleet = fleetOf(quick('slow-pre', { pre_task: [hook('sleep 6')] }));
    const result = await runTasks([{ agent: 'slow-pre', task: 'x' }], runnerInit(server, project.root, fleet, { record: false }));
    expect(result.tasks[0]).toMatchObject({ ok: false, stop_reason: 'timeout' });
    expect(result.tasks[0]!.ms).toBeLessThan(3_000);
    expect(server.requests).toHaveLength(0);
  });

  it('a post_task hook that runs past the deadline makes the task timeout, not completed', async () => {
    server.enqueue('openai', { text: 'done' });
    const fleet = fleetOf(
      agent('slow-post', { runtime: { timeout_ms: 2_500 }, hooks: { pre_task: [], post_task: [hook('sleep 8')], failure: [] } }),
    );
    const result = await runTasks([{ agent: 'slow-post', task: 'x' }], runnerInit(server, project.root, fleet, { record: false }));
    expect(result.tasks[0]).toMatchObject({
      ok: false,
      stop_reason: 'timeout',
      steps: 1,
      error: expect.stringContaining('after the model answered'),
    });
    expect(result.tasks[0]!.ms).toBeLessThan(5_000);
  });

  it("a hook's setsid child neither holds the task nor outlives it", async () => {
    const marker = `9.${process.pid}5`;
    server.enqueue('openai', { text: 'done' });
    const fleet = fleetOf(
      agent('detacher', {
        runtime: { timeout_ms: 5_000 },
        hooks: { pre_task: [hook(`setsid sleep ${marker} & sleep 0.3`)], post_task: [], failure: [] },
      }),
    );
    try {
      const result = await runTasks([{ agent: 'detacher', task: 'x' }], runnerInit(server, project.root, fleet, { record: false }));
      expect(result.tasks[0]).toMatchObject({ ok: true, stop_reason: 'completed' });
      expect(result.tasks[0]!.ms).toBeLessThan(4_000);
      expect(await commandGone(marker)).toBe(true);
    } finally {
      for (const pid of processesWith(marker)) process.kill(pid, 'SIGKILL');
    }
  });
});
