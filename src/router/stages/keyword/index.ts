/**
 * The keyword stage: the fleet's keyword phrases, the agents' names and the topic words, found in
 * the task by one Aho–Corasick automaton (keyword-stage.ts). Two terms: α·keyword, the sum over
 * matched phrases of specificity × phrase bonus, and μ·mention, the best specificity of an alias
 * naming the agent. Topic words it finds go to the affinity stage.
 */
import { KeywordStage } from './keyword-stage.js';
import { TERM_KEYWORD, TERM_MENTION, TERM_TOTAL } from '../../score.js';
import { countOwned, isOwner, SortedLists } from '../owners.js';
import { round, term, type RouteCall, type Stage, type StageContext, type StageTriggers } from '../stage.js';
import type { TopicsInPlay } from '../affinity/index.js';
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import type { Evidence, ScoreTerm } from '../../types.js';

const DETAILS = {
  mention: 'specificity of the alias when the request names the agent (id, name or brief file name)',
  keyword: 'sum over matched keywords of specificity × phrase bonus',
};

/** Each phrase's keyword specificity × phrase bonus (0 for a phrase no agent owns), and mention specificity. */
export interface PhraseSpecificities {
  keyword: Float64Array;
  mention: Float64Array;
}

export class KeywordsStage implements Stage {
  readonly name = 'keyword';
  readonly termRank = 10;
  private bit = 0;
  private keywordWeight = 0;
  private mentionWeight = 0;
  // Owner lists sorted by agent number: scoring iterates them per hit, evidence searches them.
  private readonly keywordOwners: SortedLists;
  private readonly mentionOwners: SortedLists;

  constructor(
    /** Built, or restored from an image, by the router. */
    readonly automaton: KeywordStage,
    private readonly specificity: PhraseSpecificities,
    private readonly topics: TopicsInPlay,
  ) {
    this.keywordOwners = new SortedLists(automaton.agentsOf);
    this.mentionOwners = new SortedLists(automaton.mentionsOf);
  }

  build(context: StageContext): Diagnostic[] {
    this.bit = context.bit;
    this.keywordWeight = context.options.weights.keyword;
    this.mentionWeight = context.options.weights.mention;
    return [];
  }

  score(call: RouteCall): void {
    const { hits, board } = call;
    this.automaton.match(call.task, hits);
    const values = board.values;
    const { keywordWeight, mentionWeight, bit } = this;
    const { keyword: keywordSpecificity, mention: mentionSpecificity } = this.specificity;
    const topicOf = this.automaton.topicOf;
    this.topics.clear();
    for (let i = 0; i < hits.keywordCount; i++) {
      const phrase = hits.keywordHits[i * 4]!;
      const owners = this.keywordOwners.at(phrase)!;
      const spec = keywordSpecificity[phrase]!;
      const gain = keywordWeight * spec;
      for (let j = 0; j < owners.length; j++) {
        const row = board.touch(owners[j]!, bit);
        values[row + TERM_KEYWORD]! += spec;
        values[row + TERM_TOTAL]! += gain;
      }
      const named = this.mentionOwners.at(phrase)!;
      const mentionSpec = mentionSpecificity[phrase]!;
      for (let j = 0; j < named.length; j++) {
        const row = board.touch(named[j]!, bit);
        const before = values[row + TERM_MENTION]!;
        if (mentionSpec <= before) continue;
        values[row + TERM_MENTION] = mentionSpec;
        values[row + TERM_TOTAL]! += mentionWeight * (mentionSpec - before);
      }
      this.topics.mention(topicOf[phrase]!);
    }
  }

  evidence(call: RouteCall, agents: readonly number[], lists: Evidence[][]): void {
    const { hits, board, task } = call;
    const automaton = this.automaton;
    for (let i = 0; i < hits.keywordCount; i++) {
      const phrase = hits.keywordHits[i * 4]!;
      const start = hits.keywordHits[i * 4 + 1]!;
      const end = hits.keywordHits[i * 4 + 2]!;
      const named = this.mentionOwners.at(phrase)!;
      const owners = this.keywordOwners.at(phrase)!;
      for (let k = 0; k < agents.length; k++) {
        const agent = agents[k]!;
        if ((board.stages[agent]! & this.bit) === 0) continue;
        if (isOwner(named, agent)) {
          const specificity = round(this.specificity.mention[phrase]!);
          lists[k]!.push({ stage: 'mention', alias: automaton.phrase(phrase)!, text: task.slice(start, end), start, end, specificity });
        }
        if (isOwner(owners, agent)) {
          lists[k]!.push({
            stage: 'keyword',
            keyword: automaton.phrase(phrase)!,
            text: task.slice(start, end),
            start,
            end,
            occurrences: hits.keywordHits[i * 4 + 3]!,
            weight: round(this.specificity.keyword[phrase]!),
          });
        }
      }
    }
  }

  terms(call: RouteCall, agent: number, out: ScoreTerm[]): void {
    const board = call.board;
    out.push(
      term('mention', this.mentionWeight, board.get(agent, TERM_MENTION), DETAILS.mention),
      term('keyword', this.keywordWeight, board.get(agent, TERM_KEYWORD), DETAILS.keyword),
    );
  }

  readonly triggers: StageTriggers = {
    count: () => this.automaton.phraseCount,
    key: (phrase) => `kw:${this.automaton.phrase(phrase)!}`,
    // One keyword hit per phrase.
    fired: (call, ids, count, base) => {
      const { hits } = call;
      for (let i = 0; i < hits.keywordCount; i++) ids[count++] = base + hits.keywordHits[i * 4]!;
      return count;
    },
    describe: (agent) => `${countOwned(this.automaton.agentsOf, agent)} keyword(s)`,
  };
}
