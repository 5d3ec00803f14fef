/**
 * Regression: a hot reload opened the new fleet (routing image, learned state, the whole index,
 * the router build, a warm-up route) as one synchronous stretch on the server's event loop, so
 * every request that arrived meanwhile waited for the whole open. The served open now yields to
 * the event loop between its phases: requests wait for one phase at most.
 */
import { describe, expect, it } from 'vitest';
import { openRouter } from '../../src/project/open-router.js';
import { openServedFleet } from '../../src/project/served-fleet.js';
import { makeProject } from '../server/support.js';

describe('opening a served fleet in phases', () => {
  it('openRouter pauses between the fleet, learning, the index and the router build', async () => {
    const root = await makeProject();
    const phases: string[] = [];
    const opened = await openRouter({
      root,
      pause: async () => {
        phases.push('pause');
      },
      learn: () => {
        phases.push('learn');
        return { rewardWeight: 0 };
      },
    });
    expect(opened.router).toBeDefined();
    expect(phases).toEqual(['pause', 'pause', 'learn', 'pause']);
  }, 60_000);

  it('a reload-style open lets timers and I/O callbacks run before it returns', async () => {
    const root = await makeProject();
    let turns = 0;
    let running = true;
    const spin = () => {
      turns++;
      if (running) setImmediate(spin);
    };
    setImmediate(spin);
    const before = turns;
    const opened = await openServedFleet({ root, env: {} }, { yieldBetweenPhases: true, staleCheck: false });
    running = false;
    expect(opened.fleet).toBeDefined();
    // One turn per phase boundary at least: fleet, learning, index, build, hash check, warm-up.
    expect(turns - before).toBeGreaterThanOrEqual(5);
  }, 60_000);
});
