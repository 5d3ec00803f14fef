/**
 * Delegation priors choose a subtask's agent among near-tied candidates: when the router's top
 * candidates for a subtask are within DELEGATION_MARGIN, the one the dependency's agent prefers
 * gets it and the plan says why; a clear winner is never overridden.
 */
import { describe, expect, it } from 'vitest';
import { delegationPriors } from '../../src/learn/delegation.js';
import { formatPlanTree } from '../../src/swarm/format-plan.js';
import { planToData } from '../../src/swarm/plan.js';
import { buildPlan } from '../../src/swarm/planner.js';
import { DELEGATION_MARGIN } from '../../src/swarm/route-plan.js';
import type { RouterLike } from '../../src/runner/prepare.js';

/** A router that answers each task from a table of (agent, score), best first. */
function tableRouter(table: Record<string, Array<[string, number]>>): RouterLike {
  return {
    route: (request) =>
      ({
        routeId: `route:${request.task}`,
        candidates: (table[request.task ?? ''] ?? []).map(([id, score]) => ({ id, score, stages: ['keyword'], evidence: [], terms: [] })),
        diagnostics: [],
      }) as never,
  };
}

const plan = (second: string) =>
  [
    'subtasks:',
    '  - id: design',
    '    task: design the rate limit API',
    `  - id: build`,
    `    task: ${second}`,
    '    depends_on: [design]',
    '',
  ].join('\n');

const priors = delegationPriors([
  { agent: { id: 'api-designer' }, triggers: { delegations: { prefers: ['api-builder'], complements: [] } } },
  { agent: { id: 'backend-developer' }, triggers: { delegations: { prefers: [], complements: [] } } },
]);

const router = tableRouter({
  'design the rate limit API': [['api-designer', 5]],
  // api-builder is 5 % below the top: a near-tie.
  'implement the limiter': [
    ['backend-developer', 3],
    ['api-builder', 2.85],
    ['generalist', 2],
  ],
  // api-builder is 20 % below the top: a clear winner.
  'implement the limiter cleanly': [
    ['backend-developer', 3],
    ['api-builder', 2.4],
  ],
});

async function agentOf(second: string, delegation: Pick<typeof priors, 'prior'> | null = priors) {
  const built = await buildPlan(
    { file: 'plan.yaml', text: plan(second) },
    { maxSubtasks: 10, route: { router, knows: () => true, ...(delegation ? { delegation } : {}) } },
  );
  expect(built.diagnostics).toEqual([]);
  return built.plan!;
}

describe('delegation priors choose among near-tied candidates', () => {
  it("a near-tie goes to the agent the dependency's agent prefers, and the plan explains it", async () => {
    const routed = await agentOf('implement the limiter');
    const build = routed.subtasks[1]!;
    expect(build.assignment.agent).toBe('api-builder');
    expect(build.assignment.why[0]).toBe(
      `chosen by delegation prior from api-designer (0.60): within ${DELEGATION_MARGIN * 100} % of the router's top backend-developer (score 2.850 vs 3.000)`,
    );
    expect(build.assignment).toMatchObject({
      score: 2.85,
      delegation: { from: 'api-designer', prior: 0.6, router_top: 'backend-developer', margin: 0.1 },
      alternatives: [
        { id: 'backend-developer', score: 3 },
        { id: 'generalist', score: 2 },
      ],
    });
    expect(formatPlanTree(routed)).toContain('chosen by delegation prior from api-designer');
    // --plan-only pins the agent and keeps why in the subtask's reason.
    expect(planToData(routed).subtasks).toMatchObject([
      { id: 'design', agent: 'api-designer' },
      { id: 'build', agent: 'api-builder', reason: expect.stringMatching(/^chosen by delegation prior from api-designer \(0\.60\)/) },
    ]);
  });

  it('without priors the router top stands', async () => {
    expect((await agentOf('implement the limiter', null)).subtasks[1]!.assignment.agent).toBe('backend-developer');
  });

  it('a clear router winner is never overridden by a prior', async () => {
    const build = (await agentOf('implement the limiter cleanly')).subtasks[1]!;
    expect(build.assignment.agent).toBe('backend-developer');
    expect(build.assignment.delegation).toBeUndefined();
  });

  it('a subtask with no dependency has no one handing off: the router top stands', async () => {
    const built = await buildPlan(
      { file: 'plan.yaml', text: 'subtasks:\n  - id: build\n    task: implement the limiter\n' },
      { maxSubtasks: 10, route: { router, knows: () => true, delegation: priors } },
    );
    expect(built.plan!.subtasks[0]!.assignment.agent).toBe('backend-developer');
  });

  it('reinforcement from recorded hand-offs can tip a near-tie the briefs leave open', async () => {
    const neutral = delegationPriors([{ agent: { id: 'api-designer' }, triggers: { delegations: { prefers: [], complements: [] } } }], {
      'api-designer → api-builder': { handoffs: 6, better: 6, equal: 0, worse: 0, saved_ms: 2400 },
    });
    const build = (await agentOf('implement the limiter', neutral)).subtasks[1]!;
    expect(build.assignment.agent).toBe('api-builder');
    expect(build.assignment.why[0]).toMatch(/^chosen by delegation prior from api-designer \(0\.15\)/);
  });
});
