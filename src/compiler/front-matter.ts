/**
 * Finding the front-matter block of a brief, leniently.
 *
 * Naive approach (gray-matter and most loaders): the file must start with exactly `---`, or there
 * is no front-matter and every key is silently lost. Real briefs have blank lines or a title
 * before the fence, indented blocks and fences of many dashes.
 * What this does: scans the first MAX_FENCE_SEARCH_LINES lines for an opening fence of three or
 * more dashes that is followed by a `key:` line, accepts it with a warning when it is not the
 * plain form, finds the closing fence, and removes a common indentation.
 * Invariants: never throws; `yamlStartLine` is the 1-based file line of the first YAML line, so
 * positions inside the YAML map back to the file by adding it and the removed `indent`.
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { MAX_FENCE_SEARCH_LINES } from './limits.js';
import type { SourceFile } from './source-file.js';

export interface FrontMatterBlock {
  /** The YAML text, dedented, without fences. */
  yaml: string;
  yamlStartLine: number;
  /** Columns removed from every YAML line. */
  indent: number;
  /** The Markdown body after the closing fence (or the whole file when there is no front-matter). */
  body: string;
  bodyStartLine: number;
}

export interface SplitResult {
  /** Absent when the file has no front-matter (a warning) or it cannot be delimited (an error). */
  block?: FrontMatterBlock;
  body: string;
  diagnostics: Diagnostic[];
}

const FENCE = /^([ \t]*)(-{3,})[ \t]*$/;
const DOCUMENT_END = /^[ \t]*\.\.\.[ \t]*$/;
/** What the first line of a front-matter looks like: a key, or a list item (refused later, precisely). */
const KEY_LINE = /^[ \t]*(?:[A-Za-z_][\w-]*[ \t]*:|- )/;

function isBlank(line: string): boolean {
  return line.trim() === '';
}

function findOpeningFence(lines: readonly string[]): number {
  const limit = Math.min(lines.length, MAX_FENCE_SEARCH_LINES);
  for (let i = 0; i < limit; i++) {
    if (!FENCE.test(lines[i]!)) continue;
    let next = i + 1;
    while (next < lines.length && isBlank(lines[next]!)) next++;
    if (next < lines.length && KEY_LINE.test(lines[next]!)) return i;
  }
  return -1;
}

function commonIndent(lines: readonly string[]): number {
  let indent = Infinity;
  for (const line of lines) {
    if (isBlank(line)) continue;
    const width = line.length - line.trimStart().length;
    if (width < indent) indent = width;
  }
  return indent === Infinity ? 0 : indent;
}

function trimBlankLines(text: string): string {
  return text.replace(/^(?:[ \t]*\n)+/, '').replace(/\s+$/, '');
}

/**
 * Splits a brief into its front-matter block and Markdown body.
 *
 * @example splitFrontMatter(file).block?.yaml // 'name: a\ndescription: b'
 */
export function splitFrontMatter(file: SourceFile): SplitResult {
  const lines = file.lines;
  const open = findOpeningFence(lines);
  const diagnostics: Diagnostic[] = [];
  const at = (line: number, column = 1) => ({ file: file.path, line, column });
  if (open < 0) {
    diagnostics.push(
      diagnostic('CF1101', 'no front-matter: the name comes from the file name and the description from the first paragraph', at(1), {
        sourceLine: lines[0] ?? '',
      }),
    );
    return { body: trimBlankLines(file.text), diagnostics };
  }
  const fence = FENCE.exec(lines[open]!)!;
  const firstContent = lines.findIndex((line) => !isBlank(line));
  if (open !== 0) {
    const what = firstContent === open ? 'blank lines' : 'text';
    diagnostics.push(
      diagnostic('CF1102', `front-matter starts on line ${open + 1} after ${what}; read anyway`, at(open + 1), { sourceLine: lines[open] }),
    );
  }
  if (fence[1]!.length > 0 || fence[2]!.length !== 3) {
    diagnostics.push(
      diagnostic(
        'CF1104',
        `opening fence is \`${lines[open]!.trim()}\`${fence[1]!.length > 0 ? ' (indented)' : ''}; read as \`---\``,
        at(open + 1),
        { sourceLine: lines[open] },
      ),
    );
  }
  let close = -1;
  for (let i = open + 1; i < lines.length; i++) {
    if (FENCE.test(lines[i]!) || DOCUMENT_END.test(lines[i]!)) {
      close = i;
      break;
    }
  }
  if (close < 0) {
    diagnostics.push(diagnostic('CF1105', 'front-matter opened here is never closed', at(open + 1), { sourceLine: lines[open] }));
    return { body: '', diagnostics };
  }
  const closing = lines[close]!.trim();
  if (closing !== '---' && closing !== '...') {
    diagnostics.push(
      diagnostic(
        'CF1104',
        `closing fence is \`${closing.length > 20 ? `${closing.slice(0, 20)}…` : closing}\`; read as \`---\``,
        at(close + 1),
        { sourceLine: lines[close] },
      ),
    );
  }
  const yamlLines = lines.slice(open + 1, close);
  const indent = commonIndent(yamlLines);
  if (indent > 0) {
    diagnostics.push(
      diagnostic('CF1103', `front-matter is indented by ${indent} columns; read without the indentation`, at(open + 2, 1), {
        sourceLine: lines[open + 1],
      }),
    );
  }
  const yaml = (indent > 0 ? yamlLines.map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length))) : yamlLines).join(
    '\n',
  );
  const body = trimBlankLines(lines.slice(close + 1).join('\n'));
  return {
    block: { yaml, yamlStartLine: open + 2, indent, body, bodyStartLine: close + 2 },
    body,
    diagnostics,
  };
}
