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
import { MAX_KEYWORD_HITS, MAX_RAW_KEYWORD_MATCHES } from '../../limits.js';
import { acceptOnBoundary, foldString, phraseEdges } from '../../text.js';
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import type { HitBuffers, Matcher } from '../../types.js';
import { packArrays, unpackArrays } from '../../build-cache.js';

/** Layout of `image()`: the arrays in this order; bump KEYWORD_IMAGE_FORMAT when it changes. */
const KEYWORD_IMAGE_FORMAT = 2;
const KEYWORD_IMAGE_ARRAYS = 10;

/**
 * Agent numbers per phrase, read by phrase index: plain arrays while a stage is built, views of
 * the image's (starts, values) arrays once restored (PackedLists). `Array#at` reads both.
 */
export interface PhraseLists {
  readonly length: number;
  at(phrase: number): readonly number[] | undefined;
}

export class KeywordStage implements Matcher<string, string> {
  readonly name = 'keyword' as const;
  /** Folded phrases by phrase index (a restored stage makes the list on first read; `phrase` reads one). */
  get phrases(): readonly string[] {
    if (this.restoredPhrases !== undefined && this.phraseList.length < this.restoredPhrases.length)
      this.phraseList = Array.from({ length: this.restoredPhrases.length }, (_, index) => this.restoredPhrases!.at(index)!);
    return this.phraseList;
  }
  /** The folded phrase with this index. */
  phrase(index: number): string | undefined {
    return this.restoredPhrases ? this.restoredPhrases.at(index) : this.phraseList[index];
  }
  get phraseCount(): number {
    return this.restoredPhrases ? this.restoredPhrases.length : this.phraseList.length;
  }
  private phraseList: string[] = [];
  /** A restored stage's phrases: one string and where each starts, sliced when a phrase is read. */
  private restoredPhrases: PackedStrings | undefined;
  /** Agent indices per phrase (empty for a phrase that is only a topic). */
  get agentsOf(): PhraseLists {
    return this.restoredAgents ?? this.addedAgents;
  }
  /** Agents an occurrence of the phrase names explicitly (its id or name), per phrase. */
  get mentionsOf(): PhraseLists {
    return this.restoredMentions ?? this.addedMentions;
  }
  private readonly addedAgents: number[][] = [];
  private readonly addedMentions: number[][] = [];
  /** A restored stage's lists, read from the image when a phrase is first asked for. */
  private restoredAgents: PackedLists | undefined;
  private restoredMentions: PackedLists | undefined;
  /** Topic index per phrase, -1 when the phrase is not a topic. */
  get topicOf(): ArrayLike<number> {
    return this.restoredTopics ?? this.addedTopics;
  }
  private readonly addedTopics: number[] = [];
  private restoredTopics: Int32Array | undefined;
  /** Phrase → index; filled by add* (a restored stage fills it on the first lookup). */
  private readonly indexOf = new Map<string, number>();
  private automaton: AhoCorasick | undefined;
  /** Automaton pattern → phrase index (plural variants point at their phrase). */
  private patternPhrase: Int32Array = new Int32Array(0);
  /** Per pattern: word-start rule (bit 0), word-end rule (bit 1), plural rule (bits 2–3). */
  private boundaries: Uint8Array = new Uint8Array(0);
  private readonly raw = new Int32Array(MAX_RAW_KEYWORD_MATCHES * 2);
  private stamp = new Uint32Array(0);
  private slot = new Int32Array(0);
  private generation = 0;

  add(phrase: string, agents: readonly number[]): void {
    const list = this.addedAgents[this.phraseIndex(phrase)]!;
    for (const agent of agents) if (!list.includes(agent)) list.push(agent);
  }

  /** Registers a phrase that names an agent: its id, name or brief file name. */
  addMention(phrase: string, agent: number): void {
    const list = this.addedMentions[this.phraseIndex(phrase)]!;
    if (!list.includes(agent)) list.push(agent);
  }

  /** Registers a phrase that marks a topic (a language, a framework) for domain affinity. */
  addTopic(phrase: string, topic: number): void {
    this.addedTopics[this.phraseIndex(phrase)] = topic;
  }

  /** The phrase index of a (folded) phrase, or -1. */
  lookup(phrase: string): number {
    if (this.indexOf.size < this.phrases.length) this.phrases.forEach((known, index) => this.indexOf.set(known, index));
    return this.indexOf.get(foldString(phrase.trim())) ?? -1;
  }

  /** Builds the automaton over every phrase added (nothing to do after `restore`). */
  build(): Diagnostic[] {
    if (this.automaton !== undefined) return [];
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
    this.boundaries = new Uint8Array(patterns.length);
    patterns.forEach((pattern, index) => {
      const edges = phraseEdges(this.automaton!.patterns[index]!);
      const plural = pattern === this.phrases[owners[index]!] ? edges.plural : 0;
      this.boundaries[index] = (edges.wordStart ? 1 : 0) | (edges.wordEnd ? 2 : 0) | (plural << 2);
    });
    this.allocateScratch();
    return [];
  }

  /**
   * The built stage as bytes: phrases, owners, mentions, topics, boundary rules and the automaton.
   * `restore` reads them back into an empty stage, which then needs neither `add*` nor `build`.
   */
  image(): Uint8Array {
    const automaton = this.automaton;
    if (automaton === undefined) throw new Error('KeywordStage.image() before build()');
    const phraseStarts = new Int32Array(this.phraseCount + 1);
    for (let index = 0; index < this.phraseCount; index++) phraseStarts[index + 1] = phraseStarts[index]! + this.phrase(index)!.length;
    return packArrays(KEYWORD_IMAGE_FORMAT, [
      ...lists(this.agentsOf),
      ...lists(this.mentionsOf),
      Int32Array.from(this.topicOf),
      this.patternPhrase,
      phraseStarts,
      this.boundaries,
      Buffer.from(this.phrases.join(''), 'utf8'),
      automaton.toBytes(),
    ]);
  }

  /**
   * Fills an empty stage from `image()` bytes; false (stage untouched) when they do not hold one,
   * or name an agent number not below `agentCount`.
   */
  restore(bytes: Uint8Array, agentCount = Infinity): boolean {
    if (this.phraseCount > 0 || this.automaton !== undefined || this.restoredAgents !== undefined) return false;
    const arrays = unpackArrays(bytes, KEYWORD_IMAGE_FORMAT, KEYWORD_IMAGE_ARRAYS);
    if (
      !arrays ||
      !arrays.slice(0, 7).every((array) => array instanceof Int32Array) ||
      !arrays.slice(7).every((array) => array instanceof Uint8Array)
    )
      return false;
    const [agentStarts, agentValues, mentionStarts, mentionValues, topics, patternPhrase, phraseStarts, boundaries, text, automatonBytes] =
      arrays as [Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Uint8Array, Uint8Array, Uint8Array];
    const phrases = new PackedStrings(Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString('utf8'), phraseStarts);
    const count = phrases.length;
    if (agentStarts.length !== count + 1 || mentionStarts.length !== count + 1 || topics.length !== count) return false;
    if (!ascending(phraseStarts) || phraseStarts[count] !== phrases.text.length) return false;
    if (!allBelow(agentValues, agentCount) || !allBelow(mentionValues, agentCount) || !allBelow(patternPhrase, count)) return false;
    const automaton = AhoCorasick.fromBytes(automatonBytes, () => unfoldedPatterns(phrases, patternPhrase));
    if (!automaton || automaton.patternCount !== patternPhrase.length || boundaries.length !== patternPhrase.length) return false;
    if (
      !ascending(agentStarts) ||
      !ascending(mentionStarts) ||
      agentStarts[count] !== agentValues.length ||
      mentionStarts[count] !== mentionValues.length
    )
      return false;
    this.restoredPhrases = phrases;
    this.restoredTopics = topics;
    this.restoredAgents = new PackedLists(agentStarts, agentValues);
    this.restoredMentions = new PackedLists(mentionStarts, mentionValues);
    this.automaton = automaton;
    this.patternPhrase = patternPhrase;
    this.boundaries = boundaries;
    this.allocateScratch();
    return true;
  }

  /** Writes (phrase, start, end, occurrences) quadruples of boundary-respecting matches. */
  match(task: string, hits: HitBuffers): void {
    const automaton = this.automaton;
    if (automaton === undefined || task.length === 0) return;
    const generation = this.nextGeneration();
    const raw = this.raw;
    const boundaries = this.boundaries;
    const found = automaton.scan(task, task.length, raw);
    const out = hits.keywordHits;
    for (let i = 0; i < found; i++) {
      const pattern = raw[i * 2]!;
      const end = raw[i * 2 + 1]!;
      const start = end - automaton.patternLength(pattern);
      const rules = boundaries[pattern]!;
      const accepted = acceptOnBoundary(task, start, end, (rules & 1) === 1, (rules & 2) === 2, rules >> 2);
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
      index = this.phraseList.length;
      this.indexOf.set(folded, index);
      this.phraseList.push(folded);
      this.addedAgents.push([]);
      this.addedMentions.push([]);
      this.addedTopics.push(-1);
    }
    return index;
  }

  private allocateScratch(): void {
    this.stamp = new Uint32Array(this.phraseCount);
    this.slot = new Int32Array(this.phraseCount);
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

/** Lists of numbers as (starts, values): list i is values[starts[i] .. starts[i + 1]). */
function lists(of: PhraseLists): [Int32Array, Int32Array] {
  const starts = new Int32Array(of.length + 1);
  for (let i = 0; i < of.length; i++) starts[i + 1] = starts[i]! + of.at(i)!.length;
  const values = new Int32Array(starts[of.length]!);
  for (let i = 0; i < of.length; i++) values.set(of.at(i)!, starts[i]!);
  return [starts, values];
}

/** Whether starts[0] is 0 and no list ends before it begins. */
function ascending(starts: Int32Array): boolean {
  if (starts[0] !== 0) return false;
  for (let i = 1; i < starts.length; i++) if (starts[i]! < starts[i - 1]!) return false;
  return true;
}

/** Whether every value is a valid number below `bound`. */
function allBelow(values: Int32Array, bound: number): boolean {
  for (let i = 0; i < values.length; i++) if (values[i]! < 0 || values[i]! >= bound) return false;
  return true;
}

/**
 * Lists held as (starts, values), a plain array made for a list when it is first read: a route
 * reads the lists of the few phrases its task matches, not the thousands of a restored image.
 */
class PackedLists implements PhraseLists {
  private readonly made: Array<readonly number[] | undefined>;
  constructor(
    private readonly starts: Int32Array,
    private readonly values: Int32Array,
  ) {
    this.made = new Array<readonly number[] | undefined>(starts.length - 1);
  }

  get length(): number {
    return this.starts.length - 1;
  }

  at(index: number): readonly number[] | undefined {
    if (!(index >= 0 && index < this.length)) return undefined;
    let list = this.made[index];
    if (list === undefined) {
      const made: number[] = [];
      for (let k = this.starts[index]!, end = this.starts[index + 1]!; k < end; k++) made.push(this.values[k]!);
      this.made[index] = list = made;
    }
    return list;
  }
}

/**
 * The automaton's patterns before folding, as build() made them: each phrase, followed by its
 * `-ies` plural when it has one (the pattern after it belongs to the same phrase).
 */
function unfoldedPatterns(phrases: PackedStrings, patternPhrase: Int32Array): string[] {
  const patterns: string[] = [];
  for (let index = 0; index < patternPhrase.length; index++) {
    const phrase = phrases.at(patternPhrase[index]!)!;
    patterns.push(index > 0 && patternPhrase[index - 1] === patternPhrase[index] ? `${phrase.slice(0, -1)}ies` : phrase);
  }
  return patterns;
}

/** Strings held as one text and where each starts (string i is text[starts[i] .. starts[i + 1])); `starts` checked by the caller. */
class PackedStrings {
  constructor(
    readonly text: string,
    private readonly starts: Int32Array,
  ) {}

  get length(): number {
    return this.starts.length - 1;
  }

  at(index: number): string | undefined {
    return index >= 0 && index < this.length ? this.text.slice(this.starts[index], this.starts[index + 1]) : undefined;
  }
}
