/**
 * A token-level trie stored as one open-addressing hash table, for catalog alias lookup.
 *
 * Naive approach: build a string per token (and per n-gram) and look it up in a Map: a string
 * allocation and a full hash per token of every brief body, ~270 K tokens per corpus.
 * What we do: hash each token's code units in place (FNV-1a over the text, no slicing; a token
 * sequence hashes as a combination of its tokens' hashes, so the caller can hash each token once),
 * then probe a typed-array table. A record exists for every alias and for every proper prefix of a
 * multi-token alias ("github" for "github actions"), so a walk extends token by token while
 * records exist and remembers the longest record that completes an alias. A record's key string
 * is compared with the text only when the 32-bit hashes agree.
 * Invariants: the table is built once at module load and never changes; `walk` allocates
 * nothing; tokens are given as [start, end) ranges into the text; separators between tokens in
 * the text stand for the single space between tokens in a key.
 */

/** Table slots (a power of two). ~2,000 records keep the load factor under 0.25: short probes. */
export const HASH_TRIE_SLOTS = 8192;

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;
const SPACE = 32;

export interface TrieRecord {
  /** Tokens joined by single spaces, as they must appear. */
  key: string;
  /** Catalog indexes when the key is a complete alias; empty for a prefix only. */
  entries: number[];
}

/** FNV-1a of text[start, end): the hash of one token. */
export function hashRange(text: string, start: number, end: number): number {
  let value = FNV_OFFSET;
  for (let index = start; index < end; index++) value = Math.imul(value ^ text.charCodeAt(index), FNV_PRIME);
  return value;
}

/** Hash of a token sequence from the previous tokens' hash and the next token's hash. */
function combine(previous: number, token: number): number {
  return Math.imul(previous ^ SPACE, FNV_PRIME) ^ token;
}

export class HashTrie {
  private readonly hashes = new Int32Array(HASH_TRIE_SLOTS);
  private readonly slots = new Int32Array(HASH_TRIE_SLOTS).fill(-1);
  private readonly records: TrieRecord[] = [];
  /** Found by the last `walk`: tokens consumed (0 = none) and the record that completed. */
  matchLength = 0;
  matchRecord: TrieRecord | undefined;

  /** Adds an alias given as tokens; `entry` is its catalog index. */
  insert(tokens: readonly string[], entry: number): void {
    let hash = 0;
    for (let index = 0; index < tokens.length; index++) {
      const token = tokens[index]!;
      const tokenHash = hashRange(token, 0, token.length);
      hash = index === 0 ? tokenHash : combine(hash, tokenHash);
      const record = this.recordFor(hash, tokens.slice(0, index + 1).join(' '));
      if (index === tokens.length - 1 && !record.entries.includes(entry)) record.entries.push(entry);
    }
  }

  private recordFor(hash: number, key: string): TrieRecord {
    let slot = hash & (HASH_TRIE_SLOTS - 1);
    while (this.slots[slot] !== -1) {
      const record = this.records[this.slots[slot]!]!;
      if (this.hashes[slot] === hash && record.key === key) return record;
      slot = (slot + 1) & (HASH_TRIE_SLOTS - 1);
    }
    const record: TrieRecord = { key, entries: [] };
    this.records.push(record);
    if (this.records.length > HASH_TRIE_SLOTS / 2) throw new Error('HashTrie: too many records for HASH_TRIE_SLOTS');
    this.hashes[slot] = hash;
    this.slots[slot] = this.records.length - 1;
    return record;
  }

  private find(hash: number, text: string, starts: Int32Array, ends: Int32Array, first: number, last: number): TrieRecord | undefined {
    let slot = hash & (HASH_TRIE_SLOTS - 1);
    while (this.slots[slot] !== -1) {
      if (this.hashes[slot] === hash) {
        const record = this.records[this.slots[slot]!]!;
        if (sameKey(record.key, text, starts, ends, first, last)) return record;
      }
      slot = (slot + 1) & (HASH_TRIE_SLOTS - 1);
    }
    return undefined;
  }

  /**
   * Longest alias starting at token `first` (of `count`), at most `maxTokens` long. `hashes`
   * holds each token's `hashRange` when the caller has them (else they are computed). Sets
   * `matchLength` and `matchRecord`; returns `matchLength`.
   */
  walk(
    text: string,
    starts: Int32Array,
    ends: Int32Array,
    hashes: Int32Array | undefined,
    first: number,
    count: number,
    maxTokens: number,
  ): number {
    this.matchLength = 0;
    this.matchRecord = undefined;
    let hash = 0;
    const limit = Math.min(count, first + maxTokens);
    for (let token = first; token < limit; token++) {
      const tokenHash = hashes !== undefined ? hashes[token]! : hashRange(text, starts[token]!, ends[token]!);
      hash = token === first ? tokenHash : combine(hash, tokenHash);
      const record = this.find(hash, text, starts, ends, first, token);
      if (record === undefined) break;
      if (record.entries.length > 0) {
        this.matchLength = token - first + 1;
        this.matchRecord = record;
      }
    }
    return this.matchLength;
  }
}

/** Whether tokens first..last of the text spell `key` (tokens separated by single spaces). */
function sameKey(key: string, text: string, starts: Int32Array, ends: Int32Array, first: number, last: number): boolean {
  let position = 0;
  for (let token = first; token <= last; token++) {
    if (token > first) {
      if (key.charCodeAt(position) !== SPACE) return false;
      position++;
    }
    const start = starts[token]!;
    const length = ends[token]! - start;
    if (position + length > key.length) return false;
    for (let offset = 0; offset < length; offset++) {
      if (key.charCodeAt(position + offset) !== text.charCodeAt(start + offset)) return false;
    }
    position += length;
  }
  return position === key.length;
}
