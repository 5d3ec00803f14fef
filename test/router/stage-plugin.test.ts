/**
 * A stage registered from outside (`RouterInit.stages`) takes part like a built-in one: it finds
 * agents, adds its own term in a slot of its own, names itself in `stages` and `stagesFired`, and
 * the root does not change.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createRouter, type RouteCall, type Stage, type StageContext } from '../../src/router/staged-router.js';
import { loadFleet } from '../../src/fleet/load.js';
import { TERM_TOTAL } from '../../src/router/score.js';
import type { Evidence, ScoreTerm } from '../../src/router/types.js';

const { fleet } = loadFleet(join(import.meta.dirname, '../fixtures/fleets/small'));

/** Ticket numbers (`OPS-123`) go to the agent that owns the ticket queue. */
class TicketStage implements Stage {
  readonly name = 'ticket';
  readonly termRank = 90;
  private bit = 0;
  private slot = 0;
  private owner = -1;
  private found: RegExpExecArray | null = null;

  constructor(
    private readonly ownerId: string,
    private readonly weight: number,
  ) {}

  build(context: StageContext) {
    this.bit = context.bit;
    this.slot = context.slot();
    this.owner = context.agents.indexOf(this.ownerId);
    return [];
  }

  score(call: RouteCall): void {
    this.found = /\bOPS-\d+\b/.exec(call.task);
    if (!this.found || this.owner < 0) return;
    const row = call.board.touch(this.owner, this.bit);
    call.board.values[row + this.slot] = 1;
    call.board.values[row + TERM_TOTAL]! += this.weight;
  }

  evidence(call: RouteCall, agents: readonly number[], lists: Evidence[][]): void {
    agents.forEach((agent, k) => {
      if (this.found && agent === this.owner)
        lists[k]!.push({ stage: 'regex', pattern: 'OPS-\\d+', priority: 0, text: this.found[0], start: this.found.index, end: 0 });
    });
  }

  terms(call: RouteCall, agent: number, out: ScoreTerm[]): void {
    const value = call.board.get(agent, this.slot);
    out.push({ name: 'ticket', weight: this.weight, value, contribution: this.weight * value, detail: 'the request cites a ticket' });
  }
}

describe('a stage registered from outside', () => {
  const task = 'compose a sonnet about autumn for OPS-4711';

  it('finds agents with its own term, named in stages and stagesFired', () => {
    const plain = createRouter(fleet!, { options: { semantic: 'off' } }).route({ task });
    expect(plain.fallback?.kind).toBe('generalist');
    const router = createRouter(fleet!, { options: { semantic: 'off' }, stages: [new TicketStage('terraform-engineer', 5)] });
    const result = router.route({ task });
    expect(result.fallback).toBeUndefined();
    expect(result.stagesFired).toEqual(['ticket']);
    const [first] = result.candidates;
    expect(first).toMatchObject({ id: 'terraform-engineer', score: 5, stages: ['ticket'] });
    expect(first!.terms.at(-1)).toMatchObject({ name: 'ticket', value: 1, contribution: 5 });
    expect(first!.evidence).toContainEqual(expect.objectContaining({ text: 'OPS-4711' }));
  });

  it('leaves every built-in term and the ranking of other requests unchanged', () => {
    const request = { task: 'Add a GraphQL resolver; fix CVE-2021-44228', files: ['infra/main.tf', 'src/App.tsx'] };
    const plain = createRouter(fleet!).route(request, { top: 10 });
    const extended = createRouter(fleet!, { stages: [new TicketStage('terraform-engineer', 5)] }).route(request, { top: 10 });
    const withoutTicket = extended.candidates.map((c) => ({ ...c, terms: c.terms.filter((t) => t.name !== 'ticket') }));
    expect(withoutTicket).toEqual(plain.candidates);
    expect(extended.stagesFired).toEqual(plain.stagesFired);
  });
});
