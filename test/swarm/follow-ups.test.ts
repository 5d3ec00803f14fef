/**
 * Follow-up rules from briefs ("use proactively after …", "MUST BE USED after …") and their
 * scheduling into a plan: after matching work, with the reason; never after the agent's own work,
 * never twice (a plan read back does not grow), within --max-subtasks.
 */
import { describe, expect, it } from 'vitest';
import { followUpRules, matchFollowUp } from '../../src/fleet/follow-ups.js';
import { addFollowUps } from '../../src/swarm/follow-ups.js';
import { buildPlan } from '../../src/swarm/planner.js';

const definitions = [
  { agent: { id: 'code-reviewer', description: 'Expert code review specialist. Use proactively after writing or modifying code.' } },
  {
    agent: {
      id: 'sre',
      description: 'Site reliability. MUST BE USED after any deploy, after a load test, or any time you suspect something is going wrong.',
    },
  },
  { agent: { id: 'analyst', description: 'Use after **research-analyst** designs the experiment.' } },
  { agent: { id: 'api-designer', description: 'Designs REST APIs. Use PROACTIVELY when creating new backend services or APIs.' } },
];
const rules = followUpRules(definitions);

describe('followUpRules', () => {
  it('reads the "after" clauses of briefs, with the kinds of work they name; "when …" is a trigger, not a follow-up', () => {
    expect(rules.map((rule) => [rule.agent, rule.after, rule.kinds])).toEqual([
      ['code-reviewer', 'writing or modifying code', ['code changes']],
      ['sre', 'any deploy, after a load test, or any time you suspect something is going wrong', ['deploys', 'tests']],
      ['analyst', 'research-analyst designs the experiment', []],
    ]);
    expect(matchFollowUp(rules[0]!, 'add rate limiting to the public API')).toBe('code changes');
    expect(matchFollowUp(rules[0]!, 'document it')).toBeUndefined();
    expect(matchFollowUp(rules[1]!, 'deploy the gateway to staging')).toBe('deploys');
    expect(matchFollowUp(rules[2]!, 'design the experiments for the pricing page')).toBe('"designs"');
  });
});

describe('follow-ups in a plan', () => {
  const text =
    'subtasks:\n  - id: limit\n    task: add rate limiting to the public API\n    agent: api-designer\n  - id: docs\n    task: document it\n    agent: api-docs-writer\n    depends_on: [limit]\n  - id: review\n    task: fix the review comments\n    agent: code-reviewer\n';
  const route = { knows: () => true };

  it("schedules the follow-up after matching work, with the reason, and not after its own agent's work", async () => {
    const { plan, diagnostics } = await buildPlan({ file: 'p.yaml', text }, { maxSubtasks: 10, route, followUps: rules });
    expect(diagnostics).toEqual([]);
    const added = plan!.subtasks.filter((subtask) => subtask.assignment.source === 'follow-up');
    expect(added.map((subtask) => [subtask.id, subtask.assignment.agent, subtask.depends_on])).toEqual([
      ['limit-code-reviewer', 'code-reviewer', ['limit']],
    ]);
    expect(added[0]!.reason).toBe(
      "follow-up: code-reviewer's brief asks to be used after writing or modifying code; limit matches (code changes)",
    );
    // Read back (a --plan-only file), the plan does not grow.
    expect(addFollowUps(plan!, rules, 10).plan.subtasks).toHaveLength(plan!.subtasks.length);
  });

  it('plan_only_file_grows_when_read_back: a written plan keeps its follow-ups as follow-ups, so reading it back adds none after them', async () => {
    const { planToData } = await import('../../src/swarm/plan.js');
    const { writeYaml } = await import('../../src/compiler/yaml-writer.js');
    const two = followUpRules([
      ...definitions,
      { agent: { id: 'test-automator', description: 'Writes tests. Use proactively after writing or modifying code.' } },
    ]);
    const first = (await buildPlan({ file: 'p.yaml', text }, { maxSubtasks: 20, route, followUps: two })).plan!;
    const written = writeYaml(planToData(first));
    expect(written).toContain('follow_up: true');
    const again = await buildPlan({ file: 'plan.yaml', text: written }, { maxSubtasks: 20, route, followUps: two });
    expect(again.diagnostics).toEqual([]);
    expect(again.plan!.subtasks.map((subtask) => subtask.id)).toEqual(first.subtasks.map((subtask) => subtask.id));
    expect(again.plan!.subtasks.filter((subtask) => subtask.assignment.source === 'follow-up').map((subtask) => subtask.id)).toEqual([
      'limit-code-reviewer',
      'limit-test-automator',
      'review-test-automator',
    ]);
  });

  it('stays within --max-subtasks and says what it left out (CF8118)', async () => {
    const { plan, diagnostics } = await buildPlan({ file: 'p.yaml', text }, { maxSubtasks: 3, route, followUps: rules });
    expect(plan!.subtasks).toHaveLength(3);
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['CF8118', 'follow-ups left out to stay within --max-subtasks 3: code-reviewer after limit'],
    ]);
  });
});

describe('follow-ups through the CLI', () => {
  it('a brief that asks to follow code changes is scheduled after them in --dry-run; --no-follow-ups leaves it out', async () => {
    const { cp, mkdtemp, readFile, rm, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { main } = await import('../../src/cli/main.js');
    const { memoryIO } = await import('../../src/cli/io.js');
    const root = await mkdtemp(join(tmpdir(), 'cf-swarm-follow-'));
    try {
      await cp(new URL('../../codex/agents', import.meta.url), join(root, 'codex/agents'), { recursive: true });
      const file = join(root, 'codex/agents/quality/code-reviewer.codex.yaml');
      await writeFile(
        file,
        (await readFile(file, 'utf8')).replace(/^( {2}description: .*)$/m, '$1 Use proactively after writing or modifying code.'),
      );
      const plan = async (...extra: string[]) => {
        const io = memoryIO(root, { CI: 'true' });
        expect(await main(['swarm', 'fix the flaky login test and document it', '--dry-run', '--json', ...extra], io)).toBe(0);
        return JSON.parse(io.out()).plan.subtasks.map((s: any) => [s.id, s.assignment.agent, s.assignment.source]);
      };
      expect(await plan()).toEqual([
        ['s1', 'flaky-test-hunter', 'routed'],
        ['s2', 'api-docs-writer', 'routed'],
        ['s1-code-reviewer', 'code-reviewer', 'follow-up'],
      ]);
      expect(await plan('--no-follow-ups')).toHaveLength(2);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
