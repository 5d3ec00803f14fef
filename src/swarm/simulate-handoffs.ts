/**
 * The hand-off simulation: a planner hands a build subtask to one of two coding agents the router
 * cannot tell apart (scores within DELEGATION_MARGIN; `slow` is its top by a hair). Both succeed
 * alike; `fast` takes 900 ms where `slow` takes 1100 (± 20 %). Each round the planner's choice goes through the
 * delegation priors (route-plan.ts `delegatedChoice`), the hand-off is judged against the tier's
 * median (handoffs.ts `judgeHandoff`) and tallied, and the priors are rebuilt from the tallies, as
 * a swarm does between plans. Without reinforcement the router's top gets every hand-off. Figures
 * for docs/learning.md and the test: the share of hand-offs to `fast`, the time saved, the priors.
 *
 * @example simulateHandoffs({ seed: 7, rounds: 200 }).lateFastShare // ≈ 1
 */
import { delegationPriors } from '../learn/delegation.js';
import { emptyHandoffs, judgeHandoff, tallyHandoff } from '../learn/handoffs.js';
import { createRandom } from '../learn/random.js';
import { delegatedChoice, type Candidate } from './route-plan.js';

/** Mean milliseconds per build; both agents succeed 95 % of the time. */
export const SIM_AGENTS = { fast: 900, slow: 1100 } as const;
const SUCCESS = 0.95;
/** Outcomes each agent has from ordinary routing before the first hand-off: the tier's median exists from the start. */
const HISTORY = 10;

export interface HandoffSimResult {
  /** Share of hand-offs to `fast` over the first and the last quarter of the rounds. */
  earlyFastShare: number;
  lateFastShare: number;
  /** Mean milliseconds per hand-off, and the same rounds' mean had the router's top got every one. */
  meanMs: number;
  routerTopMeanMs: number;
  priors: { fast: number; slow: number };
  /** The round from which `fast` got every later hand-off (rounds count from 1); 0 if it never did. */
  settledAt: number;
}

export function simulateHandoffs(options: { seed: number; rounds: number }): HandoffSimResult {
  const random = createRandom(options.seed);
  const duration = (agent: keyof typeof SIM_AGENTS) => SIM_AGENTS[agent] * (0.8 + 0.4 * random.next());
  const history: Record<keyof typeof SIM_AGENTS, number[]> = { fast: [], slow: [] };
  for (let i = 0; i < HISTORY; i++) for (const agent of ['fast', 'slow'] as const) history[agent].push(duration(agent));
  const tallies = emptyHandoffs();
  const definitions = [{ agent: { id: 'planner' }, triggers: { delegations: { prefers: [], complements: [] } } }];
  const candidates: Candidate[] = [
    { id: 'slow', score: 3, stages: ['keyword'], why: [] },
    { id: 'fast', score: 2.9, stages: ['keyword'], why: [] },
  ];
  const chosen: string[] = [];
  let total = 0;
  let routerTopTotal = 0;
  for (let round = 0; round < options.rounds; round++) {
    const priors = delegationPriors(definitions, tallies.pairs);
    const agent = (delegatedChoice(candidates, ['planner'], priors)?.candidate.id ?? candidates[0]!.id) as keyof typeof SIM_AGENTS;
    const ms = duration(agent);
    const ok = random.next() < SUCCESS;
    routerTopTotal += duration('slow');
    const baselineMs = median([median(history.fast), median(history.slow)]);
    const verdict = judgeHandoff({ ok, retries: 0, ms }, { retries: 0, ms: baselineMs });
    tallyHandoff(tallies, { from: 'planner', to: agent, verdict, ms: Math.round(ms), baselineMs: Math.round(baselineMs) });
    history[agent].push(ms);
    chosen.push(agent);
    total += ms;
  }
  const quarter = Math.max(1, Math.floor(options.rounds / 4));
  const share = (list: string[]) => list.filter((agent) => agent === 'fast').length / list.length;
  const lastSlow = chosen.lastIndexOf('slow');
  const final = delegationPriors(definitions, tallies.pairs);
  return {
    earlyFastShare: share(chosen.slice(0, quarter)),
    lateFastShare: share(chosen.slice(-quarter)),
    meanMs: total / options.rounds,
    routerTopMeanMs: routerTopTotal / options.rounds,
    priors: { fast: final.prior('planner', 'fast'), slow: final.prior('planner', 'slow') },
    settledAt: lastSlow === chosen.length - 1 ? 0 : lastSlow + 2,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
