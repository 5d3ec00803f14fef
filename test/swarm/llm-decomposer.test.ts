/**
 * `swarm --decomposer llm` against a scripted planner on the local wire-format server: a good
 * answer is the plan; garbage, a cycle or an unknown agent get one repair try with the problems
 * listed; a second bad answer or a failed call gives the heuristic plan, said (CF8115).
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { fixtureEnv } from '../support/provider-env.js';

const server = useProviderServer();
let project: string;
beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'cf-swarm-llm-'));
  await cp(new URL('../../codex/agents', import.meta.url), join(project, 'codex/agents'), { recursive: true });
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

const GOAL = 'add rate limiting to the public API and document it';
const GOOD = JSON.stringify({
  goal: GOAL,
  subtasks: [
    { id: 'limit', task: 'add a token bucket to the API gateway', agent: 'api-designer' },
    { id: 'docs', task: 'document the limits', agent: 'api-docs-writer', depends_on: ['limit'] },
  ],
});
const CYCLE = JSON.stringify({
  subtasks: [
    { id: 'a', task: 'x', depends_on: ['b'] },
    { id: 'b', task: 'y', depends_on: ['a'] },
  ],
});

async function plan(...answers: Array<{ text?: string; status?: number }>) {
  server.enqueue('openai', ...answers);
  const io = memoryIO(project, { ...fixtureEnv(server), CODEX_FLOW_PROVIDER: 'openai', CI: 'true' });
  const code = await main(['swarm', GOAL, '--decomposer', 'llm', '--dry-run', '--json'], io);
  const out = JSON.parse(io.out());
  return {
    code,
    plan: out.plan,
    codes: out.diagnostics.map((d: { code: string }) => d.code),
    messages: out.diagnostics.map((d: { message: string }) => d.message).join('\n'),
  };
}

const shape = (plan: any) => plan.subtasks.map((s: any) => [s.id, s.assignment.agent, s.depends_on]);

describe('--decomposer llm', () => {
  it('uses a good answer as the plan, agents checked against the fleet; the prompt lists the agents and the limits', async () => {
    const { code, plan: result, codes } = await plan({ text: GOOD });
    expect(code).toBe(0);
    expect(result.source).toBe('llm');
    expect(shape(result)).toEqual([
      ['limit', 'api-designer', []],
      ['docs', 'api-docs-writer', ['limit']],
    ]);
    expect(codes).toEqual([]);
    const prompt = JSON.stringify(server.requests[0]!.body.messages);
    expect(prompt).toContain('- api-docs-writer: ');
    expect(prompt).toContain('at most 50 subtasks');
  });

  it('repairs garbage once: the second request carries the problem, and the repaired plan is used', async () => {
    const { plan: result, codes } = await plan(
      { text: 'Sure! Here is the plan: first add limits' },
      { text: `\`\`\`json\n${GOOD}\n\`\`\`` },
    );
    expect(result.source).toBe('llm');
    expect(codes).toEqual(['CF8116']);
    expect(server.requests).toHaveLength(2);
    expect(JSON.stringify(server.requests[1]!.body.messages)).toContain('the answer is not a JSON object');
  });

  it('a cycle twice gives the heuristic plan, said with the reasons', async () => {
    const { plan: result, codes, messages } = await plan({ text: CYCLE }, { text: CYCLE });
    expect(result.source).toBe('heuristic');
    expect(shape(result)).toEqual([
      ['s1', expect.any(String), []],
      ['s2', 'api-docs-writer', ['s1']],
    ]);
    expect(codes).toEqual(['CF8115']);
    expect(messages).toContain('answer 2: dependency cycle: a → b → a');
  });

  it('an unknown agent is sent back for repair; a failed call falls back to the heuristic at once', async () => {
    const unknown = JSON.stringify({ subtasks: [{ id: 'a', task: 'add limits', agent: 'rate-limit-wizard' }] });
    const repaired = await plan({ text: unknown }, { text: GOOD });
    expect(JSON.stringify(server.requests[1]!.body.messages)).toContain('names agent \\"rate-limit-wizard\\", which is not in the list');
    expect(repaired.plan.source).toBe('llm');
    server.reset();
    const failed = await plan({ status: 400, errorMessage: 'bad request' } as never);
    expect(failed.plan.source).toBe('heuristic');
    expect(failed.messages).toMatch(/the planner call failed: .*; the heuristic plan is used/);
    expect(server.requests).toHaveLength(1);
  });
});

describe('decomposeWithModel and our own bugs', () => {
  const agents = [{ id: 'api-designer', description: 'designs APIs' }];
  const input = (generate: () => Promise<never>) => ({
    model: { generate, stream: generate } as any,
    agents,
    maxSubtasks: 10,
    knows: () => true,
  });

  it('llm_decomposer_hides_our_bugs_as_fallback: a TypeError in the call is rethrown (exit 70), not a CF8115 heuristic plan', async () => {
    const { decomposeWithModel } = await import('../../src/swarm/llm-decomposer.js');
    const bug = new TypeError("Cannot read properties of undefined (reading 'text')");
    await expect(
      decomposeWithModel(
        GOAL,
        input(async () => {
          throw bug;
        }),
      ),
    ).rejects.toBe(bug);
  });

  it('a provider failure (an I/O error with a cause) still falls back to the heuristic plan, said', async () => {
    const { decomposeWithModel } = await import('../../src/swarm/llm-decomposer.js');
    const down = new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:1') });
    const result = await decomposeWithModel(
      GOAL,
      input(async () => {
        throw down;
      }),
    );
    expect(result.diagnostics.map((d) => d.code)).toEqual(['CF8115']);
    expect(result.plan.source).toBe('heuristic');
  });
});
