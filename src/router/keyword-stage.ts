/**
 * Stage 1: keywords. Every keyword phrase of the fleet, plus the topic phrases used for domain
 * affinity, goes into one Aho–Corasick automaton; a match counts only on word boundaries.
 *
 * Naive approach: `task.toLowerCase().includes(k)` per keyword — slow with thousands of keywords
 * and wrong on boundaries ("go" inside "good").
 * What we do: one scan of the task (aho-corasick.ts), then a boundary check per raw match
 * (text.ts: `c#`, `.net`, `node.js` work; plurals `s`/`es`/`ies` are accepted). Each distinct
 * phrase is reported once with its first occurrence and an occurrence count.
 * Invariants: phrase indices are dense and stable after build; offsets are UTF-16 offsets into the
 * task as given; hits are written to the router's scratch buffers, nothing is allocated per call.
 */
import { AhoCorasick } from './aho-corasick.js';
import { MAX_KEYWORD_HITS, MAX_RAW_KEYWORD_MATCHES } from './limits.js';
import { acceptOnBoundary, foldString, phraseEdges } from './text.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { HitBuffers, Stage } from './types.js';

export class KeywordStage implements Stage<string, string> {
  readonly name = 'keyword' as const;
  /** Folded phrases by phrase index. */
  readonly phrases: string[] = [];
  /** Agent indices per phrase (empty for a phrase that is only a topic). */
  readonly agentsOf: number[][] = [];
  /** Agents an occurrence of the phrase names explicitly (its id or name), per phrase. */
  readonly mentionsOf: number[][] = [];
  /** Topic index per phrase, -1 when the phrase is not a topic. */
  readonly topicOf: number[] = [];
  private readonly indexOf = new Map<string, number>();
  private automaton: AhoCorasick | undefined;
  /** Automaton pattern → phrase index (plural variants point at their phrase). */
  private patternPhrase = new Int32Array(0);
  private wordStart = new Uint8Array(0);
  private wordEnd = new Uint8Array(0);
  private plural = new Uint8Array(0);
  private readonly raw = new Int32Array(MAX_RAW_KEYWORD_MATCHES * 2);
  private stamp = new Uint32Array(0);
  private slot = new Int32Array(0);
  private generation = 0;

  add(phrase: string, agents: readonly number[]): void {
    const list = this.agentsOf[this.phraseIndex(phrase)]!;
    for (const agent of agents) if (!list.includes(agent)) list.push(agent);
  }

  /** Registers a phrase that names an agent: its id, name or brief file name. */
  addMention(phrase: string, agent: number): void {
    const list = this.mentionsOf[this.phraseIndex(phrase)]!;
    if (!list.includes(agent)) list.push(agent);
  }

  /** Registers a phrase that marks a topic (a language, a framework) for domain affinity. */
  addTopic(phrase: string, topic: number): void {
    this.topicOf[this.phraseIndex(phrase)] = topic;
  }

  /** The phrase index of a (folded) phrase, or -1. */
  lookup(phrase: string): number {
    return this.indexOf.get(foldString(phrase.trim())) ?? -1;
  }

  build(): Diagnostic[] {
    const patterns: string[] = [];
    const owners: number[] = [];
    this.phrases.forEach((phrase, index) => {
      patterns.push(phrase);
      owners.push(index);
      // "dependency" also matches "dependencies": the one plural the suffix rule cannot express.
      if (/[^aeiou]y$/.test(phrase) && phrase.length >= 4) {
        patterns.push(`${phrase.slice(0, -1)}ies`);
        owners.push(index);
      }
    });
    this.automaton = new AhoCorasick(patterns);
    this.patternPhrase = Int32Array.from(owners);
    const count = patterns.length;
    this.wordStart = new Uint8Array(count);
    this.wordEnd = new Uint8Array(count);
    this.plural = new Uint8Array(count);
    patterns.forEach((pattern, index) => {
      const edges = phraseEdges(this.automaton!.patterns[index]!);
      this.wordStart[index] = edges.wordStart ? 1 : 0;
      this.wordEnd[index] = edges.wordEnd ? 1 : 0;
      this.plural[index] = pattern === this.phrases[owners[index]!] ? edges.plural : 0;
    });
    this.stamp = new Uint32Array(this.phrases.length);
    this.slot = new Int32Array(this.phrases.length);
    return [];
  }

  /** Writes (phrase, start, end, occurrences) quadruples of boundary-respecting matches. */
  match(task: string, hits: HitBuffers): void {
    const automaton = this.automaton;
    if (automaton === undefined || task.length === 0) return;
    const generation = this.nextGeneration();
    const raw = this.raw;
    const found = automaton.scan(task, task.length, raw);
    const out = hits.keywordHits;
    for (let i = 0; i < found; i++) {
      const pattern = raw[i * 2]!;
      const end = raw[i * 2 + 1]!;
      const start = end - automaton.patternLength(pattern);
      const accepted = acceptOnBoundary(task, start, end, this.wordStart[pattern] === 1, this.wordEnd[pattern] === 1, this.plural[pattern]!);
      if (accepted < 0) continue;
      const phrase = this.patternPhrase[pattern]!;
      if (this.stamp[phrase] === generation) {
        out[this.slot[phrase]! * 4 + 3]!++;
        continue;
      }
      if (hits.keywordCount === MAX_KEYWORD_HITS) break;
      this.stamp[phrase] = generation;
      const at = hits.keywordCount++;
      this.slot[phrase] = at;
      out[at * 4] = phrase;
      out[at * 4 + 1] = start;
      out[at * 4 + 2] = accepted;
      out[at * 4 + 3] = 1;
    }
  }

  private phraseIndex(phrase: string): number {
    const folded = foldString(phrase.trim());
    let index = this.indexOf.get(folded);
    if (index === undefined) {
      index = this.phrases.length;
      this.indexOf.set(folded, index);
      this.phrases.push(folded);
      this.agentsOf.push([]);
      this.mentionsOf.push([]);
      this.topicOf.push(-1);
    }
    return index;
  }

  private nextGeneration(): number {
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) {
      this.stamp.fill(0);
      this.generation = 1;
    }
    return this.generation;
  }
}
