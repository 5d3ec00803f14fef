/**
 * Positions inside a compiled definition file (`*.codex.yaml`) for `validate`: the file is
 * parsed once into a document that keeps its node ranges, and a schema error's `instancePath`
 * is walked through that document to the line and column of the field it names.
 * Invariants: never throws; a path that does not exist in the file falls back to the nearest
 * parent that does (the document's start for the root), so every diagnostic has a real position.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { ErrorObject } from 'ajv';
import type { SourceLocation } from '../diagnostics/diagnostic.js';

export interface PositionedDefinition {
  /** The parsed data, or undefined when the text is not valid YAML. */
  value: unknown;
  /** The first YAML error, at its own line and column. */
  yamlError?: { message: string; location: SourceLocation };
  /** Where a schema error points: an unknown key at the key, a missing field at its object, else the value. */
  locate: (error: ErrorObject) => SourceLocation;
  /** The text of a 1-based line, for the code frame. */
  sourceLine: (line: number) => string;
}

function pathSegments(instancePath: string): string[] {
  return instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The key and value ranges' starts of the deepest node along `segments` that exists in the document. */
function walk(root: unknown, segments: readonly string[]): { keyOffset?: number; valueOffset?: number } {
  let node: unknown = root;
  let found: { keyOffset?: number; valueOffset?: number } = { valueOffset: (root as Node | null)?.range?.[0] };
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === segment);
      if (!pair) break;
      const value = pair.value as Node | null;
      const keyOffset = (pair.key as Node).range?.[0];
      found = { keyOffset, valueOffset: value?.range?.[0] ?? keyOffset };
      node = value;
    } else if (isSeq(node) && /^\d+$/.test(segment)) {
      const item = node.items[Number(segment)] as Node | undefined;
      if (!item?.range) break;
      found = { valueOffset: item.range[0] };
      node = item;
    } else break;
  }
  return found;
}

/**
 * Parses a definition file and returns its data with a locator for schema errors.
 *
 * @example const { value, locate } = positionedDefinition(text, 'codex/agents/web/a.codex.yaml');
 */
export function positionedDefinition(text: string, file: string): PositionedDefinition {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset: number | undefined): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    return { file, line, column: col };
  };
  const lines = text.split('\n');
  const sourceLine = (line: number) => (lines[line - 1] ?? '').replace(/\r$/, '');
  const locate = (error: ErrorObject): SourceLocation => {
    const segments = pathSegments(error.instancePath);
    if (error.keyword === 'additionalProperties') {
      const key = walk(doc.contents, [...segments, String(error.params.additionalProperty)]);
      if (key.keyOffset !== undefined) return at(key.keyOffset);
    }
    const found = walk(doc.contents, segments);
    // A missing field belongs to its object, which is named by its key.
    return at(error.keyword === 'required' ? (found.keyOffset ?? found.valueOffset) : found.valueOffset);
  };
  const firstError = doc.errors[0];
  const failed = (message: string, offset: number) => ({
    value: undefined,
    yamlError: { message: message.split('\n')[0]!, location: at(offset) },
    locate,
    sourceLine,
  });
  if (firstError) return failed(firstError.message, firstError.pos[0]);
  try {
    return { value: doc.toJS() as unknown, locate, sourceLine };
  } catch (error) {
    // Turning the document into data can still fail (too many aliases): a YAML problem of the file.
    return failed(error instanceof Error ? error.message : String(error), 0);
  }
}
