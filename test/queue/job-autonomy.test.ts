/**
 * A lowered autonomy from `learning.autotune: apply` was not applied on queue workers: a job
 * carried only the alias, and the worker resolved it with the tuning it read when it started. The
 * job now carries the dispatcher's resolved `autonomy_level`, and the worker runs the task at the
 * lower of that and its own.
 */
import { describe, expect, it } from 'vitest';
import { jobOf, withJobAutonomy } from '../../src/queue/job.js';
import type { PreparedTask } from '../../src/runner/execute-task.js';
import { agent } from '../support/runner-fixtures.js';

function preparedAt(level: number): PreparedTask {
  const definition = agent('fixer', { runtime: { autonomy_level: level } });
  return {
    index: 0,
    task: 'fix the flaky test',
    files: [],
    target: { alias: 'fixer', definition, overridden: false, lane: { limit: 1, strategy: 'fifo', maxQueued: 10 } },
    tools: { offered: [] } as unknown as PreparedTask['tools'],
  };
}
const run = { runId: 'r1', fleetHash: 'f'.repeat(64), events: 'codex-flow:events:r1' };

describe('the autonomy a queued task runs at', () => {
  it('is carried in the job as the dispatcher resolved it (tuned down to 2 from a compiled 3)', () => {
    expect(jobOf(preparedAt(2), run).autonomy_level).toBe(2);
  });

  it('is the lower of the job’s and the worker’s: a worker started before the autotune runs at the tuned level', () => {
    const stale = preparedAt(3);
    const clamped = withJobAutonomy(stale, jobOf(preparedAt(2), run));
    expect(clamped.target.definition.runtime.autonomy_level).toBe(2);
    // The worker's own definition is shared by its tasks: it is not changed in place.
    expect(stale.target.definition.runtime.autonomy_level).toBe(3);
    expect(withJobAutonomy(preparedAt(1), jobOf(preparedAt(3), run)).target.definition.runtime.autonomy_level).toBe(1);
    // A job from a dispatcher that did not carry the level: the worker's own holds.
    const older = jobOf(preparedAt(1), run);
    delete older.autonomy_level;
    expect(withJobAutonomy(preparedAt(3), older).target.definition.runtime.autonomy_level).toBe(3);
  });
});
