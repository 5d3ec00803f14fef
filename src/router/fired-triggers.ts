/**
 * The learning layer's view of one route: the task, the paths and the triggers that fired, by
 * trigger number; their `kw:`/`re:`/`glob:` keys are built only when read.
 *
 * Building the key list on every route (it is `result.fired` and the model's context) costs a
 * scattered read per trigger and an allocation, while the model reads rows by number and the
 * keys are wanted only when a decision is recorded or explained. So the numbers are kept (one
 * small array) and the keys built on first read, once.
 * Invariants: `fired` is the same list, in the same order, that eager building gave (unique keys
 * in match order: keywords, regexes, globs); the numbers are a copy, valid after later routes.
 */
import type { RewardContext } from './types.js';

export class FiredTriggers implements RewardContext {
  #keys: string[] | undefined;

  constructor(
    readonly task: string,
    readonly paths: readonly string[],
    readonly firedIds: readonly number[],
    private readonly keyOf: (trigger: number) => string,
  ) {}

  get fired(): string[] {
    return (this.#keys ??= Array.from(this.firedIds, (trigger) => this.keyOf(trigger)));
  }
}
