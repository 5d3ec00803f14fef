import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFleet } from '../../src/fleet/load.js';
import { createRouter } from '../../src/router/staged-router.js';
import { openLearning, routeLearned } from '../../src/learn/open.js';
import { LearnedRouter } from '../../src/runner/learned-router.js';
import { routePlan } from '../../src/swarm/route-plan.js';

const fixture = join(import.meta.dirname, '../fixtures/fleets/small');
const TASK = 'add a GraphQL resolver for the orders API backend';

function project() {
  const root = mkdtempSync(join(tmpdir(), 'cf-salt-'));
  cpSync(fixture, join(root, 'codex/agents'), { recursive: true });
  const { fleet } = loadFleet(join(root, 'codex/agents'));
  const opened = openLearning(root, undefined, { CI: 'true' }, fleet!);
  const router = createRouter(fleet!, { learned: opened.model! });
  return { opened, router, plain: () => createRouter(fleet!) };
}

describe('decisionSalt keeps the request salt (feedback on one route id counted every call)', () => {
  it('two requests with the same task and files but different salts get different route ids', () => {
    const { opened, router, plain } = project();
    const one = routeLearned(opened, router, plain, { task: TASK, idSalt: 'subtask:a' }, 5, false).result;
    const two = routeLearned(opened, router, plain, { task: TASK, idSalt: 'subtask:b' }, 5, false).result;
    expect(one.routeId).not.toBe(two.routeId);
    const again = routeLearned(opened, router, plain, { task: TASK, idSalt: 'subtask:a' }, 5, false).result;
    expect(again.routeId).toBe(one.routeId);
  });

  it('two swarm subtasks with the same task and files get their own route ids', async () => {
    const { opened, router, plain } = project();
    const learned = new LearnedRouter(opened, router, plain, false);
    const plan = {
      goal: 'orders API',
      source: 'file' as const,
      subtasks: [
        { id: 'first', task: TASK, files: ['api/orders.graphql'], depends_on: [] },
        { id: 'second', task: TASK, files: ['api/orders.graphql'], depends_on: [] },
      ],
    };
    const { plan: routed } = await routePlan(plan as never, { router: learned, knows: () => false });
    const ids = routed.subtasks.map((s) => s.assignment.route_id);
    expect(ids[0]).toBeDefined();
    expect(ids[0]).not.toBe(ids[1]);
  });
});
