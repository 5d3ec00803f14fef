/**
 * δ·R or λ·L with the learned model's detail (`detail`: prior vs learned evidence;
 * `learnedDetail`: the evidence behind the learned score) written when first read, then kept:
 * finding which learned feature weighed most costs more than the route, and most routes are
 * never explained. `toJSON` keeps the keys and their order of a plain term, so JSON output is
 * the same as for any other term.
 */
import { round } from '../stage.js';
import type { RequestReward, ScoreTerm } from '../../types.js';

export class ModelTerm implements ScoreTerm {
  readonly contribution: number;
  readonly value: number;
  #text: string | undefined;
  // Private fields, so own keys are those of a plain term (deep equality, Object.keys).
  readonly #raw: number;
  readonly #learned: RequestReward;
  readonly #agent: number;

  constructor(
    readonly name: 'reward' | 'learned',
    readonly weight: number,
    raw: number,
    learned: RequestReward,
    agent: number,
  ) {
    this.value = round(raw);
    this.contribution = round(weight * raw);
    this.#raw = raw;
    this.#learned = learned;
    this.#agent = agent;
  }

  get detail(): string {
    return (this.#text ??=
      this.name === 'reward' ? this.#learned.detail(this.#agent, this.#raw) : this.#learned.learnedDetail(this.#agent, this.#raw));
  }

  toJSON(): ScoreTerm {
    return { name: this.name, weight: this.weight, value: this.value, contribution: this.contribution, detail: this.detail };
  }
}
