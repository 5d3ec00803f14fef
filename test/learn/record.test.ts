import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFleet } from '../../src/fleet/load.js';
import { createRouter } from '../../src/router/staged-router.js';
import { openLearning, routeLearned } from '../../src/learn/open.js';
import { LearningOutcomeSink } from '../../src/learn/record.js';

const fixture = join(import.meta.dirname, '../fixtures/fleets/small');
const TASK = 'add a GraphQL resolver for the orders API backend';

describe('LearningOutcomeSink with the live learned state', () => {
  it('lets a long run learn from its own outcomes: the next route of the same task moves, as after a reload', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cf-sink-'));
    cpSync(fixture, join(root, 'codex/agents'), { recursive: true });
    const { fleet } = loadFleet(join(root, 'codex/agents'));
    const env = { CI: 'true' };
    const opened = openLearning(root, undefined, env, fleet!);
    const router = createRouter(fleet!, { learned: opened.model!, options: { weights: { reward: 1 } } });
    const plain = () => createRouter(fleet!);
    const first = routeLearned(opened, router, plain, { task: TASK }, 5, true).result;
    const [winner, runnerUp] = first.candidates.map((c) => c.id) as [string, string];
    const sink = new LearningOutcomeSink(root, opened.options, opened.state);
    const outcome = (agent: string, ok: boolean) => ({
      route_id: first.routeId,
      agent,
      alias: agent,
      ok,
      latency_ms: 900,
      retries: 0,
      tool_errors: 0,
      stop_reason: 'completed',
      task_hash: '',
      at: '2026-01-01T00:00:00.000Z',
    });
    for (let i = 0; i < 3; i++) {
      await sink.record(outcome(winner, false));
      await sink.record(outcome(runnerUp, true));
    }
    expect(opened.state.outcomes).toBe(6);
    const again = routeLearned(opened, router, plain, { task: TASK }, 5, true).result;
    expect(again.candidates[0]!.id).toBe(runnerUp);
    expect(again.routeId).not.toBe(first.routeId);
    // The same answer a fresh process gets from the log.
    const reopened = openLearning(root, undefined, env, fleet!);
    const fresh = routeLearned(
      reopened,
      createRouter(fleet!, { learned: reopened.model!, options: { weights: { reward: 1 } } }),
      plain,
      { task: TASK },
      5,
      false,
    ).result;
    expect(JSON.stringify(fresh.candidates)).toBe(JSON.stringify(again.candidates));
  });
});
