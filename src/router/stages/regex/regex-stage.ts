/**
 * Stage 2: regex triggers, matched in linear time by RE2 sets.
 *
 * Naive approach: `new RegExp(pattern, 'i').test(task)` per pattern per call — backtracking V8
 * regexes stall on patterns like `(a+)+$`, and the cost grows with the fleet.
 * What we do: all patterns go into RE2.Set shards, one `match` per shard tells which patterns
 * fire; only those are re-run one by one (a cached single RE2) to report where they matched.
 * Sharding: a set stops compiling past RE2's memory budget, far sooner with counted wildcards
 * (`.{0,40}`); below that, fewer and larger sets are faster, since every set scans the whole task
 * (docs/routing.md has the figures). So sets are as large as the caps below, wildcard-heavy patterns (`.*`, `\S+`, `[^x]*`,
 * `.{0,40}`) are kept apart so their DFA blow-up never slows the light set, and a set that does
 * not compile is split in half until it does (or holds one pattern, which is then dropped).
 * A set holds each distinct pattern once (replicated agents repeat their patterns), and runs only
 * when the task could match one of its patterns: on an ASCII task, when the lower-cased task
 * contains the literal of one of them (regex-literal.ts), or when one of them has no literal.
 * Invariants: a pattern is in exactly one shard; hits are reported in ascending pattern order;
 * patterns RE2 refuses never reach a set (CF6003) — `convert` reports them earlier as CF4010; a
 * skipped set is one that cannot match, so the pre-check never changes what fires.
 */
import RE2 from 're2';
import { MAX_REGEX_PATTERNS } from '../../limits.js';
import { checkRegexPattern, compileRegex, REGEX_FLAGS } from '../../regex-check.js';
import { isAscii, requiredRegexLiteral } from './regex-literal.js';
import { diagnostic, type Diagnostic } from '../../../diagnostics/diagnostic.js';
import type { HitBuffers, Matcher } from '../../types.js';

/** Patterns per set without wildcards: well below where a set stops compiling (docs/routing.md). */
export const LIGHT_PATTERNS_PER_SET = 2_000;

/**
 * Patterns per set with wildcards: 1,000 `.*` patterns still compile and one set beats any
 * split of it (see above); counted wildcards past the budget are split by compileShard.
 */
export const HEAVY_PATTERNS_PER_SET = 1_000;

const UNBOUNDED_WILDCARD = /(?:\.|\\[SWDw]|\[\^[^\]]*\])(?:\*|\+|\{\d+,\d*\})/;

/** Whether a pattern has an unbounded wildcard and belongs in a small shard. */
export function isHeavyPattern(pattern: string): boolean {
  return UNBOUNDED_WILDCARD.test(pattern);
}

export interface RegexTriggerInput {
  pattern: string;
  priority: number;
}

/**
 * One RE2 set: set index i stands for the patterns members[offsets[i]] … members[offsets[i + 1] - 1]
 * (identical pattern strings share one entry). `literals` are the distinct literals of its
 * patterns, or undefined when one pattern has none (the set always runs).
 */
interface Shard {
  set: InstanceType<typeof RE2.Set>;
  members: Int32Array;
  offsets: Int32Array;
  literals: string[] | undefined;
}

export class RegexStage implements Matcher<RegexTriggerInput, string> {
  readonly name = 'regex' as const;
  readonly patterns: string[] = [];
  readonly priorities: number[] = [];
  readonly agentsOf: number[][] = [];
  /** Pattern index → the first index with the same pattern (replicated agents repeat patterns; learning keys them by text). */
  readonly firstOf: number[] = [];
  private readonly indexOfPattern = new Map<string, number>();
  private shards: Shard[] = [];
  private singles: Array<RE2 | undefined> = [];
  private locatedTask = '';
  private readonly located = new Map<number, { start: number; end: number; text: string }>();

  add(trigger: RegexTriggerInput, agents: readonly number[]): void {
    const first = this.indexOfPattern.get(trigger.pattern);
    if (first === undefined) this.indexOfPattern.set(trigger.pattern, this.patterns.length);
    this.firstOf.push(first ?? this.patterns.length);
    this.patterns.push(trigger.pattern);
    this.priorities.push(trigger.priority);
    this.agentsOf.push([...new Set(agents)]);
  }

  build(): Diagnostic[] {
    const diagnostics: Diagnostic[] = [];
    const light: number[] = [];
    const heavy: number[] = [];
    this.patterns.forEach((pattern, index) => {
      const problem =
        index >= MAX_REGEX_PATTERNS ? `more than MAX_REGEX_PATTERNS (${MAX_REGEX_PATTERNS}) regex triggers` : checkRegexPattern(pattern);
      if (problem !== undefined) {
        diagnostics.push(diagnostic('CF6003', `regex trigger ${JSON.stringify(pattern)} dropped: ${problem}`));
        return;
      }
      (isHeavyPattern(pattern) ? heavy : light).push(index);
    });
    for (const [members, size] of [
      [light, LIGHT_PATTERNS_PER_SET],
      [heavy, HEAVY_PATTERNS_PER_SET],
    ] as const) {
      for (let i = 0; i < members.length; i += size) this.compileShard(members.slice(i, i + size), diagnostics);
    }
    this.singles = new Array(this.patterns.length);
    return diagnostics;
  }

  /** Appends the indices of matching patterns, ascending, to `hits.regexHits`. */
  match(task: string, hits: HitBuffers): void {
    if (this.shards.length === 0 || task.length === 0) return;
    const lower = isAscii(task) ? task.toLowerCase() : undefined;
    let input: string | Buffer | undefined;
    const start = hits.regexHits.length;
    for (const shard of this.shards) {
      if (lower !== undefined && shard.literals !== undefined && !containsAny(lower, shard.literals)) continue;
      // One UTF-8 conversion shared by every shard instead of one per shard.
      input ??= this.shards.length > 1 ? Buffer.from(task, 'utf8') : task;
      const found = shard.set.match(input);
      const { members, offsets } = shard;
      for (let i = 0; i < found.length; i++) {
        for (let m = offsets[found[i]!]!, end = offsets[found[i]! + 1]!; m < end; m++) hits.regexHits.push(members[m]!);
      }
    }
    if (hits.regexHits.length - start > 1) {
      const sorted = hits.regexHits.slice(start).sort((a, b) => a - b);
      hits.regexHits.length = start;
      hits.regexHits.push(...sorted);
    }
  }

  /** Where a pattern that fired matched: first match's offsets and text (UTF-16 offsets). */
  locate(index: number, task: string): { start: number; end: number; text: string } {
    // Several candidates often share a pattern; locate it once per task.
    if (task !== this.locatedTask) {
      this.located.clear();
      this.locatedTask = task;
    }
    const known = this.located.get(index);
    if (known) return { ...known };
    const found = this.locateUncached(index, task);
    this.located.set(index, found);
    return { ...found };
  }

  private locateUncached(index: number, task: string): { start: number; end: number; text: string } {
    let single = this.singles[index];
    if (single === undefined) single = this.singles[index] = compileRegex(this.patterns[index]!);
    const found = single.exec(task);
    if (found === null) return { start: -1, end: -1, text: '' };
    return { start: found.index, end: found.index + found[0].length, text: found[0] };
  }

  /** Number of RE2 sets built (reported by the benchmark). */
  get shardCount(): number {
    return this.shards.length;
  }

  private compileShard(members: number[], diagnostics: Diagnostic[]): void {
    if (members.length === 0) return;
    const byPattern = new Map<string, number[]>();
    for (const index of members) {
      const same = byPattern.get(this.patterns[index]!);
      if (same) same.push(index);
      else byPattern.set(this.patterns[index]!, [index]);
    }
    try {
      const set = new RE2.Set([...byPattern.keys()], REGEX_FLAGS);
      const offsets = new Int32Array(byPattern.size + 1);
      let at = 0;
      for (const same of byPattern.values()) offsets[at + 1] = offsets[at++]! + same.length;
      const literals = [...byPattern.keys()].map(requiredRegexLiteral);
      this.shards.push({
        set,
        members: Int32Array.from([...byPattern.values()].flat()),
        offsets,
        literals: literals.includes('') ? undefined : [...new Set(literals)],
      });
    } catch (error) {
      if (byPattern.size === 1) {
        for (const index of members)
          diagnostics.push(
            diagnostic('CF6003', `regex trigger ${JSON.stringify(this.patterns[index])} dropped: ${(error as Error).message}`),
          );
        return;
      }
      const half = members.length >> 1;
      this.compileShard(members.slice(0, half), diagnostics);
      this.compileShard(members.slice(half), diagnostics);
    }
  }
}

function containsAny(text: string, literals: readonly string[]): boolean {
  for (let i = 0; i < literals.length; i++) if (text.includes(literals[i]!)) return true;
  return false;
}
