/**
 * Follow-ups in the route answer: agents whose briefs ask to run after some kind of work ("Use
 * after any deploy", "MUST BE USED after writing code") are listed apart from the primary agents
 * when the request is that kind of work, each with the clause and what matched. The rules and the
 * matching are the swarm's (fleet/follow-ups.ts), so `route` says what a swarm would schedule.
 * Rules are derived on the first route that has text, from the index's descriptions. A rule
 * matches by the kind of work its clause names; by its words only when the request uses two of
 * them (one word alone — "model", "load", "project" — named follow-ups for a quarter of the
 * wshobson dev requests, none of them right).
 */
import { followUpRules, followUpWords, matchFollowUp, type FollowUpRule } from '../fleet/follow-ups.js';
import type { FleetIndex } from '../fleet/types.js';

/** A follow-up of the request: the agent, its brief's clause, and what in the request matched it. */
export interface RouteFollowUp {
  id: string;
  after: string;
  reason: string;
}

/** Follow-ups listed per answer: more than a few is a fleet whose clauses are too broad to act on. */
export const MAX_FOLLOW_UPS = 3;

/** Words of a rule's clause a request must use when it does not name the clause's kind of work. */
const MIN_CLAUSE_WORDS = 2;

export class FollowUps {
  #rules: FollowUpRule[] | undefined;

  constructor(private readonly source: () => FollowUpRule[]) {}

  /** Rules from the index rows' descriptions (whole, as the briefs say them). */
  static fromIndex(index: () => FleetIndex | undefined): FollowUps {
    return new FollowUps(() =>
      followUpRules((index()?.agents ?? []).map((entry) => ({ agent: { id: entry.id, description: entry.description ?? '' } }))),
    );
  }

  /** The follow-ups of `task`, by agent id, never `exclude`d ones (the first primary, disabled agents). */
  match(task: string, exclude: (id: string) => boolean): RouteFollowUp[] {
    if (task.trim().length === 0) return [];
    this.#rules ??= this.source();
    const out: RouteFollowUp[] = [];
    for (const rule of this.#rules) {
      if (out.length === MAX_FOLLOW_UPS) break;
      if (exclude(rule.agent) || out.some((f) => f.id === rule.agent)) continue;
      const kind = matchFollowUp(rule, task);
      const words = kind === undefined || kind.startsWith('"') ? followUpWords(rule, task) : [];
      const reason =
        kind !== undefined && !kind.startsWith('"')
          ? kind
          : words.length >= MIN_CLAUSE_WORDS
            ? words.map((w) => `"${w}"`).join(', ')
            : undefined;
      if (reason !== undefined) out.push({ id: rule.agent, after: rule.after, reason });
    }
    return out;
  }
}
