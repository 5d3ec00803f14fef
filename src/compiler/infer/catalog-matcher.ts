/**
 * Finds catalog technologies mentioned in a text.
 *
 * Naive approach: one regex per alias (~800) run over every brief: 800 scans of a 20 KiB body,
 * per brief, and word boundaries that break on `c++`, `c#` and `.net`.
 * What we do: split the lower-cased text into token boundaries once (the same rules as text.ts
 * `tokenize`, into scratch typed arrays), then walk the tokens through a token trie stored as a
 * hash table (hash-trie.ts), built once at module load. Each token is hashed while it is split;
 * a 64 K-entry filter of first-token hashes turns most tokens away with one array read, and only
 * candidates walk the trie. No string is allocated per token.
 *
 * Invariants: leftmost-longest matching (at a position the longest alias wins and the scan
 * resumes after it, so "GitHub Actions" is not also "GitHub"); whole tokens only, so "go" never
 * matches "good"; case-sensitive `exact` aliases are consulted on the raw tokens, except in
 * names (slugs are lower case, so there the exact aliases match case-insensitively).
 */
import { CATALOG } from './catalog.js';
import { HashTrie, hashRange } from './hash-trie.js';
import { MAX_TOKENS, tokenize } from './text.js';

/** Longest alias, in tokens ("test-driven development" is 3): bounds a trie walk. The catalog
 * test checks that no alias is longer (a longer one would never match). */
export const MAX_ALIAS_TOKENS = 4;

interface AliasTable {
  loose: HashTrie;
  exact: HashTrie;
  exactLowered: HashTrie;
  /** Every alias key, lower-cased, for `isCatalogAlias`. */
  keys: Set<string>;
}

function buildTable(): AliasTable {
  const table: AliasTable = { loose: new HashTrie(), exact: new HashTrie(), exactLowered: new HashTrie(), keys: new Set() };
  const add = (trie: HashTrie, words: string[], index: number): void => {
    if (words.length > 0 && words.length <= MAX_ALIAS_TOKENS) trie.insert(words, index);
  };
  CATALOG.forEach((entry, index) => {
    // An id that is an English word ("go", "react") or a letter ("c", "r") matches only as spelled in `exact`.
    const idIsWord = entry.exact !== undefined && (entry.id.length <= 2 || entry.exact.some((alias) => alias.toLowerCase() === entry.id));
    const loose = idIsWord ? (entry.aliases ?? []) : [entry.id, ...(entry.aliases ?? [])];
    for (const alias of loose) {
      const words = tokenize(alias).map((t) => t.lower);
      add(table.loose, words, index);
      table.keys.add(words.join(' '));
    }
    for (const alias of entry.exact ?? []) {
      const tokens = tokenize(alias);
      add(
        table.exact,
        tokens.map((t) => t.raw),
        index,
      );
      add(
        table.exactLowered,
        tokens.map((t) => t.lower),
        index,
      );
      table.keys.add(tokens.map((t) => t.lower).join(' '));
    }
  });
  return table;
}

const TABLE = buildTable();

/** Bits of a 64 K table, one per (hash & 0xffff) of every alias's first token, lower-cased. Most
 * tokens of a brief ("the", "service") miss it and cost one array read instead of a trie walk. */
const FIRST_TOKEN_FILTER = new Uint8Array(65536);
for (const entry of CATALOG) {
  for (const alias of [entry.id, ...(entry.aliases ?? []), ...(entry.exact ?? [])]) {
    const first = tokenize(alias)[0];
    if (first !== undefined) FIRST_TOKEN_FILTER[hashRange(first.lower, 0, first.lower.length) & 0xffff] = 1;
  }
}

/** Scratch token boundaries, reused by every call: the scan allocates nothing per token. */
const tokenStart = new Int32Array(MAX_TOKENS);
const tokenEnd = new Int32Array(MAX_TOKENS);
const tokenHash = new Int32Array(MAX_TOKENS);

/** a-z, A-Z, 0-9, '#', '+', '.': the characters technology names are spelled with (see text.ts). */
const TOKEN_UNIT = new Uint8Array(128);
for (let unit = 0; unit < 128; unit++) {
  const letter = (unit >= 97 && unit <= 122) || (unit >= 65 && unit <= 90);
  TOKEN_UNIT[unit] = letter || (unit >= 48 && unit <= 57) || unit === 35 || unit === 43 || unit === 46 ? 1 : 0;
}

function isTokenUnit(unit: number): boolean {
  return unit < 128 && TOKEN_UNIT[unit] === 1;
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;

function isLetter(unit: number): boolean {
  return (unit >= 97 && unit <= 122) || (unit >= 65 && unit <= 90);
}

/** Fills the scratch arrays with token boundaries, trimming dots as `tokenize` does. */
function splitTokens(text: string): number {
  let count = 0;
  let position = 0;
  const length = text.length;
  while (position < length && count < MAX_TOKENS) {
    if (!isTokenUnit(text.charCodeAt(position))) {
      position++;
      continue;
    }
    const begin = position;
    let start = position;
    // Hash while scanning (hash-trie.ts `hashRange`); recomputed only when dots are trimmed.
    let hash = FNV_OFFSET;
    while (position < length) {
      const unit = text.charCodeAt(position);
      if (!isTokenUnit(unit)) break;
      hash = Math.imul(hash ^ unit, FNV_PRIME);
      position++;
    }
    let end = position;
    while (end > start && text.charCodeAt(end - 1) === 46) end--;
    if (start < end && text.charCodeAt(start) === 46) {
      let letters = end - start - 1 >= 2;
      for (let index = start + 1; letters && index < end; index++) letters = isLetter(text.charCodeAt(index));
      if (!letters) while (start < end && text.charCodeAt(start) === 46) start++;
    }
    if (start < end) {
      tokenStart[count] = start;
      tokenEnd[count] = end;
      tokenHash[count] = start === begin && end === position ? hash : hashRange(text, start, end);
      count++;
    }
  }
  return count;
}

/**
 * True when `phrase` (lower case, single-spaced) is exactly a catalog alias, e.g. "k8s".
 *
 * @example isCatalogAlias('node.js') === true
 */
export function isCatalogAlias(phrase: string): boolean {
  const key = /^[a-z0-9#+. ]*$/.test(phrase)
    ? phrase
    : tokenize(phrase)
        .map((token) => token.lower)
        .join(' ');
  return TABLE.keys.has(key);
}

/** Callback per mention: catalog index and the token position where the mention starts. */
export type MentionSink = (catalogIndex: number, tokenIndex: number) => void;

/**
 * Calls `sink` once per catalog mention in `text`, leftmost-longest.
 *
 * @example
 * const hits: number[] = [];
 * scanText('Terraform modules on AWS', false, (i) => hits.push(i));
 * hits.map((i) => CATALOG[i]!.id) // ['terraform', 'aws']
 */
export function scanText(text: string, isName: boolean, sink: MentionSink): void {
  const lower = text.toLowerCase();
  // Case-sensitive aliases need the raw text at the same offsets; lower-casing keeps ASCII lengths.
  const raw = isName || lower.length !== text.length ? lower : text;
  const exact = isName ? TABLE.exactLowered : TABLE.exact;
  const loose = TABLE.loose;
  const count = splitTokens(lower);
  let position = 0;
  while (position < count) {
    if (FIRST_TOKEN_FILTER[tokenHash[position]! & 0xffff] === 0) {
      position++;
      continue;
    }
    const firstUnit = raw.charCodeAt(tokenStart[position]!);
    const looseLength = loose.walk(lower, tokenStart, tokenEnd, tokenHash, position, count, MAX_ALIAS_TOKENS);
    const looseRecord = loose.matchRecord;
    // Exact aliases all start with a capital letter (names match them lower-cased).
    const exactLength =
      isName || (firstUnit >= 65 && firstUnit <= 90)
        ? exact.walk(raw, tokenStart, tokenEnd, raw === lower ? tokenHash : undefined, position, count, MAX_ALIAS_TOKENS)
        : 0;
    const length = Math.max(looseLength, exactLength);
    if (length === 0) {
      position++;
      continue;
    }
    const looseEntries = looseLength === length ? looseRecord!.entries : undefined;
    if (looseEntries !== undefined) for (const index of looseEntries) sink(index, position);
    if (exactLength === length) {
      for (const index of exact.matchRecord!.entries)
        if (looseEntries === undefined || !looseEntries.includes(index)) sink(index, position);
    }
    position += length;
  }
}

/**
 * Counts mentions per catalog entry in a text.
 *
 * @example countMentions('k8s and Kubernetes')[indexOf('kubernetes')] === 2
 */
export function countMentions(text: string, isName = false): Uint16Array {
  const counts = new Uint16Array(CATALOG.length);
  scanText(text, isName, (index) => {
    if (counts[index]! < 0xffff) counts[index]! += 1;
  });
  return counts;
}
