/**
 * The briefs' `prefers` / `complements` as priors of follow-up scheduling: with room for two
 * follow-ups and three that match, the one the subtask's agent prefers is among them, and the
 * plan says why (`swarm --plan-only` prints the reason).
 */
import { describe, expect, it } from 'vitest';
import { followUpRules } from '../../src/fleet/follow-ups.js';
import { delegationPriors } from '../../src/learn/delegation.js';
import { addFollowUps, followUpsAfterOutcome, withDelegation } from '../../src/swarm/follow-ups.js';
import { buildPlan } from '../../src/swarm/planner.js';

const rules = followUpRules([
  { agent: { id: 'code-reviewer', description: 'Expert code review. Use proactively after writing or modifying code.' } },
  { agent: { id: 'sre', description: 'Site reliability. MUST BE USED after any deploy.' } },
  { agent: { id: 'qa-expert', description: 'Quality. Use proactively after writing or modifying code.' } },
]);
const delegating = (prefers: string[], complements: string[] = []) =>
  delegationPriors([{ agent: { id: 'api-designer' }, triggers: { delegations: { prefers, complements } } }]);
const text = 'subtasks:\n  - id: limit\n    task: add rate limiting to the public API and deploy it\n    agent: api-designer\n';
const route = { knows: () => true };

async function followUpsOf(followUps: Parameters<typeof addFollowUps>[1]) {
  const { plan } = await buildPlan({ file: 'p.yaml', text }, { maxSubtasks: 10, route, followUps });
  return plan!.subtasks.filter((subtask) => subtask.assignment.source === 'follow-up');
}

describe('delegation priors in follow-up scheduling', () => {
  it('without priors the fleet order decides: the first two matching rules', async () => {
    expect((await followUpsOf(rules)).map((s) => s.assignment.agent)).toEqual(['code-reviewer', 'sre']);
  });

  it('a follow-up the subtask agent prefers goes first, and the plan says why', async () => {
    const added = await followUpsOf(withDelegation(rules, delegating(['qa-expert'])));
    expect(added.map((s) => s.assignment.agent)).toEqual(['qa-expert', 'code-reviewer']);
    expect(added[0]!.reason).toContain('delegation prior 0.60 from api-designer');
    expect(added[1]!.reason).not.toContain('delegation prior');
  });

  it('complements rank below prefers, above nothing', async () => {
    const added = await followUpsOf(withDelegation(rules, delegating(['sre'], ['qa-expert'])));
    expect(added.map((s) => s.assignment.agent)).toEqual(['sre', 'qa-expert']);
    expect(added[1]!.reason).toContain('delegation prior 0.30');
  });

  it('outcome-time follow-ups use the same order', async () => {
    const { plan } = await buildPlan({ file: 'p.yaml', text }, { maxSubtasks: 10, route });
    const subtask = plan!.subtasks[0]!;
    const scheduled = followUpsAfterOutcome(
      subtask,
      { state: 'completed', changed_files: ['src/api/limit.ts'] } as never,
      plan!,
      withDelegation(rules, delegating(['qa-expert'])),
      10,
    );
    expect(scheduled.map((event) => event.subtask.assignment.agent)[0]).toBe('qa-expert');
  });
});
