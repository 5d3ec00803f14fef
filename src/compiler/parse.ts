/**
 * Parsing front-matter YAML, with recovery where the author's intent is unambiguous.
 *
 * Naive approach: `yaml.load(text)` and give up on the first error, or worse, accept what a
 * lenient parser guessed (continuation lines starting `user:` silently become keys).
 * What this does: parses strictly first. When that fails, or yields keys that are really
 * continuation lines, it repairs top-level plain scalars line by line (re-quoting a value that
 * contains `: `, folding column-0 `user:`/`assistant:` lines into the value), keeping the line
 * count so every position still maps to the file, and parses again; each repair is a warning.
 * What still fails is an error at the original parser's position.
 * Invariants: never throws on any input; size and depth limits are checked before parsing; a
 * `locate(path)` lookup maps any front-matter path back to `file:line:col`.
 */
import { isMap, isPair, isScalar, isSeq, parseDocument, visit, type Document, type Node } from 'yaml';
import { diagnostic, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';
import type { FrontMatterBlock } from './front-matter.js';
import { MAX_FRONT_MATTER_BYTES, MAX_YAML_ALIASES, MAX_YAML_DEPTH } from './limits.js';
import { CONTINUATION_KEYS, repairFrontMatter } from './repair.js';

export type YamlPath = readonly (string | number)[];

export interface ParsedFrontMatter {
  data: Record<string, unknown>;
  /** Where a key (or its value) sits in the file; falls back to the nearest parent that exists. */
  locate: (path: YamlPath, part?: 'key' | 'value') => SourceLocation;
  diagnostics: Diagnostic[];
}

function nestingDepth(text: string): number {
  let flow = 0;
  let maxFlow = 0;
  const indents: number[] = [];
  let maxBlock = 0;
  for (const line of text.split('\n')) {
    const trimmed = line.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const width = line.length - trimmed.length;
    while (indents.length > 0 && indents[indents.length - 1]! >= width) indents.pop();
    indents.push(width);
    const dashes = /^(?:-[ \t]+)*/.exec(trimmed)![0].replace(/[ \t]/g, '').length;
    maxBlock = Math.max(maxBlock, indents.length + dashes);
    for (const char of trimmed) {
      if (char === '[' || char === '{') maxFlow = Math.max(maxFlow, ++flow);
      else if ((char === ']' || char === '}') && flow > 0) flow--;
    }
  }
  return Math.max(maxFlow, maxBlock);
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function locationIn(starts: readonly number[], block: FrontMatterBlock, file: string, offset: number): SourceLocation {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return { file, line: block.yamlStartLine + low, column: offset - starts[low]! + 1 + block.indent };
}

function offsetLocation(yaml: string, block: FrontMatterBlock, file: string, offset: number): SourceLocation {
  return locationIn(lineStarts(yaml), block, file, offset);
}

function createLocator(doc: Document | undefined, yaml: string, block: FrontMatterBlock, file: string) {
  const starts = lineStarts(yaml);
  const toLocation = (offset: number) => locationIn(starts, block, file, offset);
  return (path: YamlPath, part: 'key' | 'value' = 'key'): SourceLocation => {
    let node: unknown = doc?.contents;
    let offset = 0;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
        if (!pair) break;
        const keyNode = pair.key as Node;
        const valueNode = pair.value as Node | null;
        offset = (part === 'value' && valueNode?.range ? valueNode.range[0] : keyNode.range?.[0]) ?? offset;
        node = valueNode;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment] as Node | undefined;
        if (!item?.range) break;
        offset = item.range[0];
        node = item;
      } else break;
    }
    return toLocation(offset);
  };
}

function parseStrict(yaml: string): Document {
  return parseDocument(yaml, { uniqueKeys: true, prettyErrors: false, version: '1.2' });
}

function hasContinuationKeys(doc: Document): boolean {
  return (
    isMap(doc.contents) &&
    doc.contents.items.some((pair) => isScalar(pair.key) && CONTINUATION_KEYS.has(String(pair.key.value).toLowerCase()))
  );
}

/**
 * The first alias that sits inside the collection it names (`a: &a [*a]`), as its offset and name.
 * Such a value is a cycle: turned into data it has no end, and every later pass would recurse
 * until the stack overflows.
 */
function selfReference(doc: Document): { offset: number; name: string } | undefined {
  let found: { offset: number; name: string } | undefined;
  visit(doc, {
    Alias(_key, alias, path) {
      const target = alias.resolve(doc);
      if (target === undefined || !path.includes(target as never)) return undefined;
      found = { offset: alias.range?.[0] ?? 0, name: alias.source };
      return visit.BREAK;
    },
  });
  return found;
}

function toData(doc: Document): Record<string, unknown> | undefined {
  const value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) as unknown;
  if (value === null || value === undefined) return {};
  return typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Plain scalars holding a literal `\n` were meant as line breaks (they come from JSON-minded tools). */
function unescapeNewlines(
  doc: Document,
  data: Record<string, unknown>,
  locate: ParsedFrontMatter['locate'],
  diagnostics: Diagnostic[],
  fileLines: readonly string[],
): void {
  if (!isMap(doc.contents)) return;
  for (const pair of doc.contents.items) {
    if (!isScalar(pair.key) || !isScalar(pair.value) || pair.value.type !== 'PLAIN') continue;
    const key = String(pair.key.value);
    const value = data[key];
    if (typeof value !== 'string' || !value.includes('\\n')) continue;
    data[key] = value.replace(/\\n/g, '\n');
    const at = locate([key], 'value');
    diagnostics.push(
      diagnostic('CF1113', `\`${key}\` contains a literal \\n; read as a line break`, at, { sourceLine: fileLines[at.line - 1] ?? '' }),
    );
  }
}

/**
 * Parses a front-matter block into plain data plus a position lookup. Never throws.
 *
 * @example parseFrontMatter(block, 'a.md', lines).data.name
 */
export function parseFrontMatter(block: FrontMatterBlock, file: string, fileLines: readonly string[]): ParsedFrontMatter {
  const diagnostics: Diagnostic[] = [];
  const fallback = { data: {}, locate: createLocator(undefined, '', block, file), diagnostics };
  const frame = (location: SourceLocation) => ({ sourceLine: fileLines[location.line - 1] ?? '' });
  if (block.yaml.length > MAX_FRONT_MATTER_BYTES) {
    const at = fallback.locate([]);
    diagnostics.push(
      diagnostic('CF1115', `front-matter is ${block.yaml.length} bytes; the limit is ${MAX_FRONT_MATTER_BYTES}`, at, frame(at)),
    );
    return fallback;
  }
  const depth = nestingDepth(block.yaml);
  if (depth > MAX_YAML_DEPTH) {
    const at = fallback.locate([]);
    diagnostics.push(diagnostic('CF1115', `front-matter nests ${depth} levels deep; the limit is ${MAX_YAML_DEPTH}`, at, frame(at)));
    return fallback;
  }
  try {
    let doc = parseStrict(block.yaml);
    let yaml = block.yaml;
    if (doc.errors.length > 0 || hasContinuationKeys(doc)) {
      const repair = repairFrontMatter(block.yaml);
      const repaired = repair.repairs.length > 0 ? parseStrict(repair.yaml) : undefined;
      if (repaired && repaired.errors.length === 0) {
        for (const fix of repair.repairs) {
          const location = { file, line: block.yamlStartLine + fix.line, column: fix.column + block.indent };
          diagnostics.push(diagnostic(fix.code, fix.message, location, frame(location)));
        }
        doc = repaired;
        yaml = repair.yaml;
      } else if (doc.errors.length > 0) {
        const error = doc.errors[0]!;
        const at = offsetLocation(block.yaml, block, file, error.pos[0]);
        const key = /^\s*([^:]+):/.exec(fileLines[at.line - 1] ?? '')?.[1]?.trim();
        const message =
          error.code === 'DUPLICATE_KEY' && key
            ? `\`${key}\` is set twice`
            : error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        diagnostics.push(diagnostic(error.code === 'DUPLICATE_KEY' ? 'CF1116' : 'CF1110', message, at, frame(at)));
        return fallback;
      }
    }
    const cycle = selfReference(doc);
    if (cycle) {
      const at = offsetLocation(yaml, block, file, cycle.offset);
      diagnostics.push(
        diagnostic('CF1056', `the alias \`*${cycle.name}\` sits inside the value it names: a value without end`, at, frame(at)),
      );
      return fallback;
    }
    const locate = createLocator(doc, yaml, block, file);
    const data = toData(doc);
    if (!data) {
      const location = locate([]);
      diagnostics.push(diagnostic('CF1114', 'front-matter is a list or a scalar, not `key: value` lines', location, frame(location)));
      return { ...fallback, locate };
    }
    unescapeNewlines(doc, data, locate, diagnostics, fileLines);
    return { data, locate, diagnostics };
  } catch (error) {
    // The yaml package throws on alias bombs (maxAliasCount) and on a few malformed inputs.
    const location = fallback.locate([]);
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    diagnostics.push(diagnostic('CF1110', `front-matter cannot be read: ${message}`, location, frame(location)));
    return fallback;
  }
}
