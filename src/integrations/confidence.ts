/**
 * When the Claude Code hook speaks: a route result is a confident choice when its first
 * candidate was found by a matching stage (not handed out as the generalist fallback), scores at
 * least `minScore`, and leads the second by at least `minMargin` of its own score, and not on the
 * words of its brief's body alone (a greeting that one long brief happens to contain is no
 * reason to delegate: a "hello" in a Slack agent's examples). Anything else is "unsure", and an unsure hook says nothing: a wrong hint costs the user more than none.
 * The thresholds are measured on the routing dev sets (bench/hook-confidence.ts; figures in
 * docs/integrations.md).
 */
import type { RouteCandidate, RouteResult } from '../router/types.js';

export interface ConfidenceRule {
  /** The first candidate's total score S must reach this. */
  minScore: number;
  /** (S₁ − S₂) / S₁ must reach this: the first leads the second by this share of its score. */
  minMargin: number;
}

/**
 * The margin is what separates right from wrong first answers on the dev sets: at 0.4 the hook is
 * right at least nine times in ten when it speaks, while a lower bar lets near-ties through. The
 * score bar only keeps out first candidates a single weak trigger found.
 */
export const DEFAULT_CONFIDENCE: ConfidenceRule = { minScore: 1, minMargin: 0.4 };

export interface ConfidentChoice {
  candidate: RouteCandidate;
  id: string;
  /** (S₁ − S₂) / S₁, in [0, 1]. */
  margin: number;
}

/**
 * The confident first candidate of `result`, or undefined when unsure.
 *
 * @example confidentChoice(router.route({ task: 'add a GraphQL resolver' }))?.id // 'graphql-resolver-engineer'
 */
export function confidentChoice(
  result: Pick<RouteResult, 'candidates' | 'fallback'>,
  rule: ConfidenceRule = DEFAULT_CONFIDENCE,
): ConfidentChoice | undefined {
  const [first, second] = result.candidates;
  if (!first || first.stages.length === 0) return undefined;
  if (result.fallback && result.fallback.kind !== 'semantic') return undefined;
  if (onlyBodyWords(first)) return undefined;
  const score = first.score;
  if (!(score >= rule.minScore) || score <= 0) return undefined;
  const margin = (score - Math.max(second?.score ?? 0, 0)) / score;
  if (margin < rule.minMargin) return undefined;
  return { candidate: first, id: first.id, margin };
}

/** Found by the lexical stage alone, and only by words of the brief's body (no name, description or keyword). */
function onlyBodyWords(candidate: RouteCandidate): boolean {
  if (candidate.stages.some((stage) => stage !== 'semantic')) return false;
  return (
    candidate.evidence.length > 0 && candidate.evidence.every((evidence) => evidence.stage === 'semantic' && evidence.field === 'body')
  );
}
