/**
 * Finds catalog technologies mentioned in a text.
 *
 * Naive approach: one regex per alias (~800) run over every brief: 800 scans of a 20 KiB body,
 * per brief, and word boundaries that break on `c++`, `c#` and `.net`.
 * What we do: tokenize once (text.ts), then walk the tokens and look up n-grams of up to
 * MAX_ALIAS_TOKENS tokens in hash maps built once at module load. Multi-token lookups only start
 * at tokens that begin some multi-token alias, so most positions cost one map lookup.
 *
 * Invariants: leftmost-longest matching (at a position the longest alias wins and the scan
 * resumes after it, so "GitHub Actions" is not also "GitHub"); whole tokens only, so "go" never
 * matches "good"; case-sensitive `exact` aliases are consulted on the raw tokens, except in
 * names (slugs are lower case, so there the exact aliases match case-insensitively).
 */
import { CATALOG } from './catalog.js';
import { tokenize, type Token } from './text.js';

/** Longest alias, in tokens ("test-driven development" is 3). Bounds the n-gram loop. */
export const MAX_ALIAS_TOKENS = 4;

interface AliasTable {
  loose: Map<string, number[]>;
  exact: Map<string, number[]>;
  exactLowered: Map<string, number[]>;
  loosePrefixes: Set<string>;
  exactPrefixes: Set<string>;
  exactLoweredPrefixes: Set<string>;
}

function addAlias(map: Map<string, number[]>, prefixes: Set<string>, words: string[], index: number): void {
  if (words.length === 0 || words.length > MAX_ALIAS_TOKENS) return;
  const key = words.join(' ');
  const list = map.get(key);
  if (list === undefined) map.set(key, [index]);
  else if (!list.includes(index)) list.push(index);
  if (words.length > 1) prefixes.add(words[0] ?? '');
}

function buildTable(): AliasTable {
  const table: AliasTable = {
    loose: new Map(), exact: new Map(), exactLowered: new Map(),
    loosePrefixes: new Set(), exactPrefixes: new Set(), exactLoweredPrefixes: new Set(),
  };
  CATALOG.forEach((entry, index) => {
    // An id that is an English word ("go", "react") or a letter ("c", "r") matches only as spelled in `exact`.
    const idIsWord = entry.exact !== undefined && (entry.id.length <= 2 || entry.exact.some((alias) => alias.toLowerCase() === entry.id));
    const loose = idIsWord ? (entry.aliases ?? []) : [entry.id, ...(entry.aliases ?? [])];
    for (const alias of loose) addAlias(table.loose, table.loosePrefixes, tokenize(alias).map((t) => t.lower), index);
    for (const alias of entry.exact ?? []) {
      const tokens = tokenize(alias);
      addAlias(table.exact, table.exactPrefixes, tokens.map((t) => t.raw), index);
      addAlias(table.exactLowered, table.exactLoweredPrefixes, tokens.map((t) => t.lower), index);
    }
  });
  return table;
}

const TABLE = buildTable();

function joinTokens(tokens: readonly Token[], start: number, length: number, lower: boolean): string {
  let key = '';
  for (let offset = 0; offset < length; offset++) {
    const token = tokens[start + offset] as Token;
    key += (offset === 0 ? '' : ' ') + (lower ? token.lower : token.raw);
  }
  return key;
}

/**
 * True when `phrase` (lower case, single-spaced) is exactly a catalog alias, e.g. "k8s".
 *
 * @example isCatalogAlias('node.js') === true
 */
export function isCatalogAlias(phrase: string): boolean {
  const key = tokenize(phrase).map((token) => token.lower).join(' ');
  return TABLE.loose.has(key) || TABLE.exactLowered.has(key);
}

/** Callback per mention: catalog index and the token position where the mention starts. */
export type MentionSink = (catalogIndex: number, tokenIndex: number) => void;

/**
 * Calls `sink` once per catalog mention in `tokens`, leftmost-longest.
 *
 * @example
 * const hits: number[] = [];
 * scanTokens(tokenize('Terraform modules on AWS'), false, (i) => hits.push(i));
 * hits.map((i) => CATALOG[i]!.id) // ['terraform', 'aws']
 */
export function scanTokens(tokens: readonly Token[], isName: boolean, sink: MentionSink): void {
  const exact = isName ? TABLE.exactLowered : TABLE.exact;
  const exactPrefixes = isName ? TABLE.exactLoweredPrefixes : TABLE.exactPrefixes;
  let position = 0;
  while (position < tokens.length) {
    const first = tokens[position] as Token;
    const exactFirst = isName ? first.lower : first.raw;
    const multi = TABLE.loosePrefixes.has(first.lower) || exactPrefixes.has(exactFirst);
    const longest = multi ? Math.min(MAX_ALIAS_TOKENS, tokens.length - position) : 1;
    let consumed = 0;
    for (let length = longest; length >= 1 && consumed === 0; length--) {
      const looseHits = TABLE.loose.get(length === 1 ? first.lower : joinTokens(tokens, position, length, true));
      const exactHits = exact.get(length === 1 ? exactFirst : joinTokens(tokens, position, length, isName));
      if (looseHits === undefined && exactHits === undefined) continue;
      for (const index of looseHits ?? []) sink(index, position);
      for (const index of exactHits ?? []) if (!looseHits?.includes(index)) sink(index, position);
      consumed = length;
    }
    position += consumed > 0 ? consumed : 1;
  }
}

/**
 * Counts mentions per catalog entry in a text.
 *
 * @example countMentions('k8s and Kubernetes')[indexOf('kubernetes')] === 2
 */
export function countMentions(text: string, isName = false): Uint16Array {
  const counts = new Uint16Array(CATALOG.length);
  scanTokens(tokenize(text), isName, (index) => {
    if (counts[index]! < 0xffff) counts[index]! += 1;
  });
  return counts;
}
