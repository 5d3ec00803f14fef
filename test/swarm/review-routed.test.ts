/**
 * `--review`: a subtask that names no reviewer gets one chosen by the router among the fleet's
 * reviewer agents (never its own agent; follow-ups get none), shown in the plan with how it was
 * chosen, and the review step runs as for a named reviewer (a `fail` sends the work back once).
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { chooseReviewers, reviewerAgents } from '../../src/swarm/choose-reviewer.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { fixtureEnv } from '../support/provider-env.js';
import type { RecordedRequest, Script } from '../support/provider-server.js';

const server = useProviderServer();
let project: string;
beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'cf-swarm-review-'));
  await cp(new URL('../../codex/agents', import.meta.url), join(project, 'codex/agents'), { recursive: true });
  await writeFile(
    join(project, 'work.yaml'),
    'subtasks:\n  - id: w1\n    task: add rate limiting to the public API\n    agent: api-designer\n  - id: w2\n    task: review the pull request for the login fix\n    agent: code-reviewer\n',
  );
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

async function cli(argv: string[]) {
  const io = memoryIO(project, { ...fixtureEnv(server), CODEX_FLOW_PROVIDER: 'openai', CI: 'true' });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}
const subtaskOf = (request: RecordedRequest) => /Swarm subtask (\S+) of swarm/.exec(JSON.stringify(request.body.messages))?.[1] ?? '?';

describe('--review: reviewers chosen by the router', () => {
  it("reviewer_not_chosen_when_the_plan_names_none: a subtask gets the router's best fleet reviewer other than its own agent, shown with how; none ranked is CF8132", async () => {
    const planned = await cli(['swarm', '--plan', 'work.yaml', '--review', '--dry-run', '--json']);
    expect(planned.code, planned.err).toBe(0);
    const subtasks = JSON.parse(planned.out).plan.subtasks;
    expect(subtasks[0].reviewer).toBe('code-reviewer');
    expect(subtasks[0].reviewer_why).toMatch(/^routed: the best reviewer for "review: add rate limiting to the public API"/);
    // The router ranks no reviewer but its own agent for w2: no reviewer rather than one that does not know the work.
    expect(subtasks[1].reviewer).toBeUndefined();
    expect(JSON.parse(planned.out).diagnostics.map((entry: any) => [entry.code, entry.message])).toContainEqual([
      'CF8132',
      expect.stringContaining('for w2; they run without a review'),
    ]);
    const text = await cli(['swarm', '--plan', 'work.yaml', '--review', '--dry-run']);
    expect(text.out).toMatch(/review {2}code-reviewer \(routed: the best reviewer/);
    const without = JSON.parse((await cli(['swarm', '--plan', 'work.yaml', '--dry-run', '--json'])).out).plan.subtasks;
    expect(without.map((subtask: any) => subtask.reviewer)).toEqual([undefined, undefined]);
  });

  it("the routed reviewer's fail sends the work back once (--max-revisions 1), then its pass completes it", async () => {
    let reviews = 0;
    server.setDefault('openai', (request): Script => {
      const id = subtaskOf(request);
      if (id === 'w1.review') return { text: ++reviews === 1 ? 'missing 429\nVERDICT: fail' : 'good\nVERDICT: pass' };
      if (id.endsWith('.review')) return { text: 'VERDICT: pass' };
      return { text: `answer of ${id}` };
    });
    const ran = await cli(['swarm', '--plan', 'work.yaml', '--review', '--json']);
    expect(ran.code, ran.err).toBe(0);
    const w1 = JSON.parse(ran.out).subtasks.find((subtask: any) => subtask.id === 'w1');
    expect(w1.reviews.map((review: any) => [review.reviewer, review.verdict])).toEqual([
      ['code-reviewer', 'fail'],
      ['code-reviewer', 'pass'],
    ]);
    expect(server.requests.filter((request) => subtaskOf(request) === 'w1')).toHaveLength(2);
  });

  it('a fleet without reviewer agents is CF8131 and the plan runs unreviewed', async () => {
    const plan = {
      goal: 'g',
      source: 'file' as const,
      subtasks: [
        { id: 'a', task: 't', depends_on: [], files: [], acceptance: [], assignment: { agent: 'x', source: 'plan' as const, why: [] } },
      ],
    };
    expect(
      reviewerAgents([
        { id: 'x', description: 'Writes code.' },
        { id: 'y', description: 'Use this agent to review a diff.' },
      ]),
    ).toEqual(['y']);
    const none = await chooseReviewers(plan, { reviewers: [] });
    expect([none.plan, none.diagnostics.map((entry) => entry.code)]).toEqual([plan, ['CF8131']]);
  });
});
