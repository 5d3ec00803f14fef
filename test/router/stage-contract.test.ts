/**
 * One case suite every stage meets, built-in or registered from outside (stage-plugin.test.ts's
 * TicketStage is the model): an agent a stage found carries that stage's evidence and a positive
 * term of its own; the terms of all stages add up to the score; an empty request finds nothing;
 * the same request twice gives the same answer.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createRouter, type RouteCall, type Stage, type StageContext } from '../../src/router/staged-router.js';
import { loadFleet } from '../../src/fleet/load.js';
import { TERM_TOTAL } from '../../src/router/score.js';
import type { Evidence, RouteCandidate, ScoreTerm } from '../../src/router/types.js';

const { fleet } = loadFleet(join(import.meta.dirname, '../fixtures/fleets/small'));

/** Finds the agent whose id the task spells backwards: a stage no built-in one resembles. */
class MirrorStage implements Stage {
  readonly name = 'mirror';
  readonly termRank = 95;
  private bit = 0;
  private slot = 0;
  private agents: readonly string[] = [];

  build(context: StageContext) {
    this.bit = context.bit;
    this.slot = context.slot();
    this.agents = context.agents;
    return [];
  }

  score(call: RouteCall): void {
    const reversed = [...call.task].reverse().join('');
    this.agents.forEach((id, agent) => {
      if (!reversed.includes(id)) return;
      const row = call.board.touch(agent, this.bit);
      call.board.values[row + this.slot] = 1;
      call.board.values[row + TERM_TOTAL]! += 2;
    });
  }

  evidence(call: RouteCall, agents: readonly number[], lists: Evidence[][]): void {
    agents.forEach((agent, k) => {
      if (call.board.stages[agent]! & this.bit)
        lists[k]!.push({ stage: 'semantic', term: this.agents[agent]!, field: 'mirror', contribution: 2 });
    });
  }

  terms(call: RouteCall, agent: number, out: ScoreTerm[]): void {
    const value = call.board.get(agent, this.slot);
    out.push({ name: 'mirror', weight: 2, value, contribution: 2 * value, detail: 'the task spells its id backwards' });
  }
}

/** The evidence kinds and term names a stage answers for. */
const OWNS: Record<string, { evidence: string[]; terms: string[] }> = {
  files: { evidence: ['files'], terms: ['files'] },
  keyword: { evidence: ['keyword', 'mention'], terms: ['keyword', 'mention'] },
  regex: { evidence: ['regex'], terms: ['regex'] },
  semantic: { evidence: ['semantic'], terms: ['semantic'] },
  mirror: { evidence: ['semantic'], terms: ['mirror'] },
};

const REQUESTS = [
  { task: 'Add a GraphQL resolver; fix CVE-2021-44228', files: ['infra/main.tf', 'src/App.tsx'] },
  { task: 'ask the graphql-architect about the schema' },
  { task: 'review the deployment of our login page for injection risks' },
  { task: 'rotate the keys', files: ['modules/vpc/main.tf', 'web/Button.tsx'] },
  { task: `please help ${[...'security-auditor'].reverse().join('')}` },
];

describe.each(Object.keys(OWNS))('the %s stage meets the stage contract', (name) => {
  const router = createRouter(fleet!, { stages: [new MirrorStage()] });
  const found = (candidates: RouteCandidate[]) => candidates.filter((c) => c.stages.includes(name));
  const answers = REQUESTS.map((request) => router.route(request, { top: 10 }));

  it('is exercised by the cases', () => {
    expect(answers.some((result) => found(result.candidates).length > 0)).toBe(true);
  });

  it('gives every agent it found its evidence and a positive term of its own', () => {
    for (const candidate of answers.flatMap((result) => found(result.candidates))) {
      expect(candidate.evidence.some((e) => OWNS[name]!.evidence.includes(e.stage))).toBe(true);
      expect(candidate.terms.some((t) => OWNS[name]!.terms.includes(t.name) && t.value > 0)).toBe(true);
    }
  });

  it('adds its term into the score with the others', () => {
    for (const candidate of answers.flatMap((result) => result.candidates)) {
      expect(candidate.terms.reduce((sum, t) => sum + t.contribution, 0)).toBeCloseTo(candidate.score, 3);
    }
  });

  it('finds nothing in an empty request and answers the same request the same way', () => {
    expect(router.route({ task: '' }).stagesFired).not.toContain(name);
    REQUESTS.forEach((request, i) => expect(JSON.stringify(router.route(request, { top: 10 }))).toBe(JSON.stringify(answers[i])));
  });
});
