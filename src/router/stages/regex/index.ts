/**
 * The regex stage: the fleet's `regex` triggers against the task (regex-stage.ts matches). Its
 * term β·regex is the sum over matched patterns of priority / 10.
 */
import { RegexStage, type RegexTriggerInput } from './regex-stage.js';
import { TERM_REGEX, TERM_TOTAL } from '../../score.js';
import { countOwned } from '../owners.js';
import { term, type RouteCall, type Stage, type StageContext, type StageTriggers } from '../stage.js';
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import type { Evidence, ScoreTerm } from '../../types.js';

const DETAIL = 'sum over matched regexes of priority / 10';

export class RegexesStage implements Stage {
  readonly name = 'regex';
  readonly termRank = 20;
  readonly patterns = new RegexStage();
  private bit = 0;
  private weight = 0;

  constructor(triggers: ReadonlyArray<RegexTriggerInput & { agents: readonly string[] }>, numbers: (ids: readonly string[]) => number[]) {
    for (const entry of triggers) this.patterns.add(entry, numbers(entry.agents));
  }

  build(context: StageContext): Diagnostic[] {
    this.bit = context.bit;
    this.weight = context.options.weights.regex;
    return this.patterns.build();
  }

  score(call: RouteCall): void {
    const { hits, board } = call;
    this.patterns.match(call.task, hits);
    const { priorities, agentsOf } = this.patterns;
    for (const pattern of hits.regexHits) {
      const value = priorities[pattern]! / 10;
      for (const agent of agentsOf[pattern]!) {
        const row = board.touch(agent, this.bit);
        board.values[row + TERM_REGEX]! += value;
        board.values[row + TERM_TOTAL]! += this.weight * value;
      }
    }
  }

  evidence(call: RouteCall, agents: readonly number[], lists: Evidence[][]): void {
    const { board } = call;
    const { patterns, priorities, agentsOf } = this.patterns;
    for (const pattern of call.hits.regexHits) {
      const owners = agentsOf[pattern]!;
      for (let k = 0; k < agents.length; k++) {
        const agent = agents[k]!;
        if ((board.stages[agent]! & this.bit) === 0 || !owners.includes(agent)) continue;
        const where = this.patterns.locate(pattern, call.task);
        lists[k]!.push({ stage: 'regex', pattern: patterns[pattern]!, priority: priorities[pattern]!, ...where });
      }
    }
  }

  terms(call: RouteCall, agent: number, out: ScoreTerm[]): void {
    out.push(term('regex', this.weight, call.board.get(agent, TERM_REGEX), DETAIL));
  }

  readonly triggers: StageTriggers = {
    count: () => this.patterns.patterns.length,
    key: (pattern) => `re:${this.patterns.patterns[pattern]!}`,
    // A pattern repeated by several agents hits once per copy: it counts once, as the number of
    // its first copy (the copies share a key).
    fired: (call, ids, count, base) => {
      const firstOf = this.patterns.firstOf;
      const start = count;
      for (const pattern of call.hits.regexHits) {
        const trigger = base + firstOf[pattern]!;
        let seen = false;
        for (let j = start; j < count; j++) if (ids[j] === trigger) seen = true;
        if (!seen) ids[count++] = trigger;
      }
      return count;
    },
    describe: (agent) => `${countOwned(this.patterns.agentsOf, agent)} regex(es)`,
  };
}
