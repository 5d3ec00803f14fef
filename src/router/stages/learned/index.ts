/**
 * The learned stage: agents the team's outcomes tie to this request's features (learn/model.ts)
 * join the candidates with λ·L, L ∈ [0, 1], also those no trigger found, which reordering by R
 * alone can never reach. It runs after the matching stages, so it never changes what they found.
 * It also hands the learning layer the triggers that fired (keywords, regexes, globs, numbered in
 * that order), from the stages before it that have triggers.
 */
import { FiredTriggers } from '../../fired-triggers.js';
import { TERM_LEARNED, TERM_TOTAL } from '../../score.js';
import { term, type RouteCall, type Stage, type StageContext, type StageTriggers } from '../stage.js';
import { ModelTerm } from './model-term.js';
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import type { BoundLearnedModel, LearnedModel, ScoreTerm } from '../../types.js';

export class LearnedStage implements Stage {
  readonly name = 'learned';
  readonly termRank = 70;
  private bit = 0;
  private weight = 0;
  private bound: BoundLearnedModel | undefined;
  /** Stages with triggers, in trigger-number order, and the first number of each. */
  private sources: StageTriggers[] = [];
  private bases: number[] = [];
  /** Key of each trigger by number ('' until it first fires). Sized once: filled out of order, a growing array goes to dictionary mode. */
  private keys: string[] = [];

  constructor(private readonly model: LearnedModel | undefined) {}

  private readonly keyOf = (trigger: number): string => {
    if (this.keys.length === 0) this.keys = new Array<string>(this.triggerCount()).fill('');
    const known = this.keys[trigger]!;
    if (known !== '') return known;
    let source = this.sources.length - 1;
    while (source > 0 && trigger < this.bases[source]!) source--;
    return (this.keys[trigger] = this.sources[source]!.key(trigger - this.bases[source]!));
  };

  build(context: StageContext): Diagnostic[] {
    this.bit = context.bit;
    this.weight = context.options.weights.learned;
    const withTriggers = context.before.filter((stage) => stage.triggers).sort((a, b) => a.termRank - b.termRank);
    this.sources = withTriggers.map((stage) => stage.triggers!);
    this.bound = this.model?.bind(context.agents, this.keyOf);
    return [];
  }

  private triggerCount(): number {
    let base = 0;
    this.bases = this.sources.map((source) => {
      const first = base;
      base += source.count();
      return first;
    });
    return base;
  }

  score(call: RouteCall): void {
    // Learning off: no context is built and nothing is allocated here.
    if (!this.bound) return;
    if (this.bases.length !== this.sources.length) this.triggerCount();
    const ids: number[] = [];
    let count = 0;
    for (let s = 0; s < this.sources.length; s++) count = this.sources[s]!.fired(call, ids, count, this.bases[s]!);
    ids.length = count;
    const fired = new FiredTriggers(call.task, call.paths, ids, this.keyOf);
    call.fired = fired;
    const learned = this.bound.forRequest(fired);
    call.learned = learned;
    if (!learned?.learnedCount) return;
    const { board } = call;
    const agents = learned.learnedAgents;
    const scores = learned.learnedScores;
    for (let i = 0; i < learned.learnedCount; i++) {
      const row = board.touch(agents[i]!, this.bit);
      board.values[row + TERM_LEARNED] = scores[i]!;
      board.values[row + TERM_TOTAL]! += this.weight * scores[i]!;
    }
  }

  evidence(): void {}

  /** Shown only when a learned model answered with a learned stage, so routes without learning keep their exact terms. */
  terms(call: RouteCall, agent: number, out: ScoreTerm[]): void {
    const learned = call.learned;
    if (!learned) return;
    const value = call.board.stages[agent]! & this.bit ? call.board.get(agent, TERM_LEARNED) : 0;
    out.push(
      value > 0
        ? new ModelTerm('learned', this.weight, value, learned, agent)
        : term('learned', this.weight, 0, 'learned: no outcome ties this request to the agent'),
    );
  }
}
