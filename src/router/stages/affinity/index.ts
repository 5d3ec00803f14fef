/**
 * The affinity stage: γ·affinity. The topics in play are the languages and frameworks the
 * request names (the keyword stage reports them) and those its changed paths imply
 * (file-topics.ts); for each topic in play, the agents already found that name it gain
 * 1 / (topics in play). It finds no agent of its own.
 */
import { topicsOfPath } from './file-topics.js';
import { TERM_AFFINITY, TERM_TOTAL } from '../../score.js';
import { term, type RouteCall, type Stage, type StageContext } from '../stage.js';
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import type { RoutingTable } from '../../../fleet/routing-image.js';
import type { ScoreTerm } from '../../types.js';

/** The topics a request brings into play during one call. */
export interface TopicsInPlay {
  /** Number of a topic some agent names, or undefined. */
  numberOf(topic: string): number | undefined;
  /** Starts a call: no topic in play. */
  clear(): void;
  mention(topic: number): void;
}

export class AffinityStage implements Stage, TopicsInPlay {
  readonly name = '';
  readonly termRank = 40;
  /** Topic numbers by (lower-case) name, in the order agents name them. */
  readonly topicNumber = new Map<string, number>();
  private readonly topicNames: string[] = [];
  /** Agents naming each topic, by topic number. */
  private readonly topicAgents: number[][] = [];
  /** Topics each agent names: agentTopics[agentTopicStart[a] … agentTopicStart[a + 1] - 1]. */
  private readonly agentTopicStart: Int32Array;
  private readonly agentTopics: Int32Array;
  private topicStamp = new Uint32Array(0);
  private generation = 0;
  private readonly mentioned: number[] = [];
  private readonly pathTopicNumbers = new Map<readonly string[], Int32Array>();
  private weight = 0;
  private detailFor = -1;
  private detail = '';

  constructor(agents: readonly string[], table: RoutingTable) {
    this.agentTopicStart = new Int32Array(agents.length + 1);
    const agentTopics: number[] = [];
    agents.forEach((id, agent) => {
      for (const topic of new Set((table.agents?.[id]?.topics ?? []).map((t) => t.toLowerCase()))) {
        const number = this.topic(topic);
        this.topicAgents[number]!.push(agent);
        agentTopics.push(number);
      }
      this.agentTopicStart[agent + 1] = agentTopics.length;
    });
    this.agentTopics = Int32Array.from(agentTopics);
  }

  build(context: StageContext): Diagnostic[] {
    this.topicStamp = new Uint32Array(this.topicNumber.size);
    this.weight = context.options.weights.affinity;
    return [];
  }

  numberOf(topic: string): number | undefined {
    return this.topicNumber.get(topic);
  }

  clear(): void {
    this.generation = (this.generation + 1) >>> 0 || (this.topicStamp.fill(0), 1);
    this.mentioned.length = 0;
  }

  mention(topic: number): void {
    if (topic < 0 || this.topicStamp[topic] === this.generation) return;
    this.topicStamp[topic] = this.generation;
    this.mentioned.push(topic);
  }

  score(call: RouteCall): void {
    if (this.topicNames.length === 0) return;
    for (const path of call.paths) {
      const numbers = this.topicNumbersOf(topicsOfPath(path));
      for (let i = 0; i < numbers.length; i++) this.mention(numbers[i]!);
    }
    if (this.mentioned.length === 0) return;
    const board = call.board;
    const stride = board.stride;
    const values = board.values;
    const share = 1 / this.mentioned.length;
    const gain = this.weight * share;
    // Walk whichever is shorter: the owners of the topics in play ("typescript" has hundreds), or
    // the touched agents with their topics. Every addition is the same `share` and `gain`, so
    // both orders give each agent bit-identical sums.
    let owners = 0;
    for (const topic of this.mentioned) owners += this.topicAgents[topic]!.length;
    if (owners > board.touchedCount) {
      const { agentTopicStart, agentTopics, topicStamp, generation } = this;
      for (let i = 0; i < board.touchedCount; i++) {
        const agent = board.touched[i]!;
        for (let t = agentTopicStart[agent]!, end = agentTopicStart[agent + 1]!; t < end; t++) {
          if (topicStamp[agentTopics[t]!] !== generation) continue;
          values[agent * stride + TERM_AFFINITY]! += share;
          values[agent * stride + TERM_TOTAL]! += gain;
        }
      }
      return;
    }
    for (const topic of this.mentioned) {
      const owners = this.topicAgents[topic]!;
      for (let j = 0; j < owners.length; j++) {
        if (!board.isTouched(owners[j]!)) continue;
        values[owners[j]! * stride + TERM_AFFINITY]! += share;
        values[owners[j]! * stride + TERM_TOTAL]! += gain;
      }
    }
  }

  evidence(): void {}

  terms(call: RouteCall, agent: number, out: ScoreTerm[]): void {
    // The same detail for every candidate of a call: written once per call.
    if (this.detailFor !== this.generation) {
      this.detailFor = this.generation;
      this.detail =
        this.mentioned.length === 0
          ? 'no language or framework in play'
          : `share of the topics in play it names: ${this.mentioned.map((t) => this.topicNames[t]!).join(', ')}`;
    }
    out.push(term('affinity', this.weight, call.board.get(agent, TERM_AFFINITY), this.detail));
  }

  /** Topic numbers (-1: no agent names it) of one of topicsOfPath's arrays, memoized by array: a handful exist. */
  private topicNumbersOf(topics: readonly string[]): Int32Array {
    let numbers = this.pathTopicNumbers.get(topics);
    if (numbers === undefined) {
      numbers = Int32Array.from(topics, (topic) => this.topicNumber.get(topic) ?? -1);
      this.pathTopicNumbers.set(topics, numbers);
    }
    return numbers;
  }

  private topic(name: string): number {
    let number = this.topicNumber.get(name);
    if (number === undefined) {
      this.topicNumber.set(name, (number = this.topicNumber.size));
      this.topicNames.push(name);
      this.topicAgents.push([]);
    }
    return number;
  }
}
