/**
 * The one interface every routing stage implements. A stage owns its matching, its score term
 * and its evidence; the router (staged-router.ts) only builds the stages in order, runs them per
 * request over one shared score board, and asks the stages of the chosen agents for their terms
 * and evidence. A stage registered from outside (`RouterInit.stages`) follows the same life cycle.
 * Invariants: a stage adds its weighted term to the agent's total as it scores (so totals are
 * complete after the last stage); it marks the agents it finds with `board.touch(agent, bit)`;
 * it reads per-call data only from the `RouteCall` it is given.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { RouterOptions } from '../options.js';
import type { ScoreBoard } from '../score.js';
import type { FiredTriggers } from '../fired-triggers.js';
import type { Evidence, HitBuffers, RequestReward, RouteCandidate, ScoreTerm } from '../types.js';

/** What a stage is given once, when the router is built. */
export interface StageContext {
  /** Agent ids in agent-number order. */
  readonly agents: readonly string[];
  readonly options: RouterOptions;
  /** The bit this stage marks its agents with (`board.touch(agent, bit)`). */
  readonly bit: number;
  /** A new per-agent slot of the score board, for a stage's own term (read with `board.values[row + slot]`). */
  slot(): number;
  /** The stages before this one, in run order (the learned stage reads their triggers). */
  readonly before: readonly Stage[];
}

/** One request in flight: scratch of the router, valid until its next call. */
export interface RouteCall {
  readonly task: string;
  readonly paths: readonly string[];
  readonly board: ScoreBoard;
  /** The built-in matching stages' raw hits. */
  readonly hits: HitBuffers;
  /** Whether the semantic stage compared the request (set by it). */
  semanticRan: boolean;
  /** The learned model's answer for this request, when one answered (set by the learned stage). */
  learned?: RequestReward;
  /** The triggers that fired, when a learned model is attached. */
  fired?: FiredTriggers;
  /** Whether any reward model gave R for this request. */
  hasReward: boolean;
  /**
   * Agents known to hold the top `limit` (set by a stage that pruned the ranking: the learned
   * stage's near-top list): the router ranks among the first `nearCount` of `near` only.
   */
  near?: Int32Array;
  nearCount: number;
  /** The top-n cut of this call, when there is one. */
  readonly limit: number | undefined;
}

/** A stage's learning triggers (`kw:`, `re:`, `glob:`), numbered from 0 within the stage. */
export interface StageTriggers {
  count(): number;
  key(trigger: number): string;
  /** Appends the triggers that fired in this call, unique, in match order (`base` + own number); returns the new count. */
  fired(call: RouteCall, ids: number[], count: number, base: number): number;
  /** How many of its triggers an agent owns, for "no trigger matched" (e.g. "3 keyword(s)"). */
  describe(agent: number): string;
}

export interface Stage {
  /** The name in `stages` and `stagesFired` (`files`, `keyword`, …); '' for a stage that finds no agent. */
  readonly name: string;
  /**
   * Where its terms stand among a candidate's terms (mention, keyword 10, regex 20, files 30,
   * affinity 40, reward 50, semantic 60, learned 70, penalties 80); a new stage's terms after.
   */
  readonly termRank: number;
  /** Builds once from the fleet (the stage's constructor took its triggers); returns dropped triggers. */
  build(context: StageContext): Diagnostic[];
  /** Finds agents for the request and adds its weighted term to each one's total. */
  score(call: RouteCall): void;
  /** Runs after disabled agents left the board (reward, penalties, pruning): most stages have none. */
  adjust?(call: RouteCall): void;
  /** Appends its evidence for each of `agents` (aligned lists). */
  evidence(call: RouteCall, agents: readonly number[], lists: Evidence[][]): void;
  /** Appends its score terms for one candidate. */
  terms(call: RouteCall, agent: number, out: ScoreTerm[]): void;
  /** Its learning triggers, when it has any. */
  readonly triggers?: StageTriggers;
  /** Why it did not find an agent (explanations), when it has something to say. */
  whyNot?(call: RouteCall, agent: number): string | undefined;
}

/** Tier and domain of an agent. */
export type AgentInfo = (agent: number) => { tier: RouteCandidate['tier']; domain: string };

const round = (value: number): number => Math.round(value * 1e4) / 1e4;

/** One score term, rounded as every output shows it. */
export function term(name: string, weight: number, value: number, detail: string): ScoreTerm {
  return { name, weight, value: round(value), contribution: round(weight * value), detail };
}

export { round };
