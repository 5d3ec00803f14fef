/**
 * The reward term δ·R and the penalties: R(agent | request) − prior from the learning layer's
 * model (or R(agent) from a plain reward model) and each penalty subtracted, for the agents the
 * stages found. With a top-n cut and a learned model, R is drawn only for the agents that can
 * still make the cut (near-top.ts), and the router ranks among those.
 */
import { clamp01 } from '../../request.js';
import { TERM_PENALTY, TERM_REWARD, TERM_TOTAL } from '../../score.js';
import { nearTop, type NearTopBuffers } from './near-top.js';
import { round, term, type RouteCall, type Stage, type StageContext } from '../stage.js';
import { ModelTerm } from './model-term.js';
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import type { RequestReward, ScoreTerm } from '../../types.js';

/** R(agent) in [0, 1]: the learning layer's estimate of an agent's quality. */
export type RewardModel = (id: string) => number;
/** Penalties for an agent (policy conflicts, saturation): each a positive amount subtracted. */
export type PenaltyModel = (id: string) => Array<{ name: string; value: number; detail: string }>;

const DETAILS = { reward: 'R(agent) from the reward model', neutral: 'R(agent): neutral, no reward model' };

/** The learned term R − prior lies in [−1, 1]; a NaN from a broken model counts as nothing learned. */
function clampSigned(value: number): number {
  return value > 1 ? 1 : value < -1 ? -1 : value === value ? value : 0;
}

export class RewardStage implements Stage {
  readonly name = '';
  readonly termRank = 50;
  private weight = 0;
  private agents: readonly string[] = [];
  private readonly buffers: NearTopBuffers = { kth: new Float64Array(16), near: new Int32Array(64) };

  constructor(
    private readonly reward: RewardModel | undefined,
    readonly penalties: PenaltyModel | undefined,
  ) {}

  build(context: StageContext): Diagnostic[] {
    this.weight = context.options.weights.reward;
    this.agents = context.agents;
    return [];
  }

  score(): void {}

  adjust(call: RouteCall): void {
    const learned = call.learned;
    const reward = learned ? undefined : this.reward;
    const penalties = this.penalties;
    call.hasReward = learned !== undefined || reward !== undefined;
    // With a top-n cut, R is asked only for agents that can still make the cut (applyLearned);
    // touch() left TERM_REWARD at 0, so without penalties this pass has nothing to add.
    const prune = learned !== undefined && call.limit !== undefined;
    const adjusted = (learned !== undefined && !prune) || reward !== undefined || penalties !== undefined;
    const { board } = call;
    if (adjusted) {
      const values = board.values;
      const stride = board.stride;
      for (let i = 0; i < board.touchedCount; i++) {
        const agent = board.touched[i]!;
        const row = agent * stride;
        if (learned) values[row + TERM_REWARD] = prune ? 0 : clampSigned(learned.value(agent));
        else if (reward) values[row + TERM_REWARD] = clamp01(reward(this.agents[agent]!));
        if (penalties) values[row + TERM_PENALTY] = penalties(this.agents[agent]!).reduce((sum, p) => sum + p.value, 0);
        // Every other term was added to the total as it was accumulated.
        values[row + TERM_TOTAL]! += this.weight * values[row + TERM_REWARD]! - values[row + TERM_PENALTY]!;
      }
    }
    // Exploring, applyLearned draws R only for the agents near the top (nearTop), and the top n
    // is among them: the router ranks that list instead of every candidate.
    if (prune) this.applyLearned(call, learned, call.limit!);
  }

  /**
   * Adds δ·(R − prior) to the agents that can still reach the top `limit`. Explore off, the term
   * is 0 but for the agents with evidence in this context, which the model lists: only those are
   * read. Exploring, every candidate has a draw; the term moves two totals apart by at most
   * δ·span, so an agent more than that below the limit-th best score without R can never enter
   * the top n, and its two gamma draws are never made. Sets `call.near` to the agents that hold
   * the top n (exploring): the n best without R are among them, and each still beats every agent
   * left out once its R is added.
   */
  private applyLearned(call: RouteCall, learned: RequestReward, limit: number): void {
    const { board } = call;
    const values = board.values;
    const stride = board.stride;
    const weight = this.weight;
    if (!learned.exploring) {
      const agents = learned.evidenceAgents;
      const terms = learned.evidenceValues;
      for (let i = 0; i < learned.evidenceCount; i++) {
        const agent = agents[i]!;
        if (!board.isTouched(agent)) continue;
        const row = agent * stride;
        values[row + TERM_REWARD] = terms[i]!;
        values[row + TERM_TOTAL]! += weight * terms[i]!;
      }
      return;
    }
    if (limit <= 0) return;
    const slack = weight * learned.span;
    const near = nearTop(board, limit, slack, this.buffers);
    const cut = this.buffers.kth[limit - 1]! - slack;
    const agents = this.buffers.near;
    // The listed agents at or above the final cut, kept in order: the ones ranked.
    let kept = 0;
    for (let i = 0; i < near; i++) {
      const agent = agents[i]!;
      const row = agent * stride;
      if (values[row + TERM_TOTAL]! < cut) continue;
      agents[kept++] = agent;
      const r = clampSigned(learned.value(agent));
      values[row + TERM_REWARD] = r;
      values[row + TERM_TOTAL]! += weight * r;
    }
    call.near = agents;
    call.nearCount = kept;
  }

  evidence(): void {}

  terms(call: RouteCall, agent: number, out: ScoreTerm[]): void {
    const reward = call.board.get(agent, TERM_REWARD);
    const learned = call.learned;
    out.push(
      learned
        ? new ModelTerm('reward', this.weight, reward, learned, agent)
        : term('reward', this.weight, reward, call.hasReward ? DETAILS.reward : DETAILS.neutral),
    );
  }
}

/** The penalties' terms, after every other term. */
export class PenaltyTerms implements Stage {
  readonly name = '';
  readonly termRank = 80;

  constructor(
    private readonly penalties: PenaltyModel | undefined,
    private readonly agents: readonly string[],
  ) {}

  build(): Diagnostic[] {
    return [];
  }

  score(): void {}

  evidence(): void {}

  terms(call: RouteCall, agent: number, out: ScoreTerm[]): void {
    for (const penalty of this.penalties?.(this.agents[agent]!) ?? []) {
      const value = round(penalty.value);
      out.push({ name: `penalty:${penalty.name}`, weight: 1, value, contribution: -value, detail: penalty.detail });
    }
  }
}
