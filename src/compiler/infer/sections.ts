/**
 * Reads the outline of a brief's Markdown body: headings, list labels ("Python checklist:"),
 * bold item labels ("- **State management**: …") and bullet lists with the heading path above
 * them. One pass over the lines; fenced code is skipped; work is capped by MAX_BODY_LINES.
 *
 * The outline feeds three things: heading phrases (topics the author thought worth a heading),
 * `responsibilities` (the most central list) and `capabilities.core` (the section titles).
 */

/** Lines of the body read. Real briefs have under 700 lines; bounded for hostile input. */
export const MAX_BODY_LINES = 4_000;

/** Items kept per list: a list longer than this is a reference dump, not a summary. */
export const MAX_ITEMS_PER_LIST = 40;

export interface BodyList {
  /** Heading path above the list, outermost first, e.g. ['Capabilities', 'State Management']. */
  path: string[];
  /** Items as written (inline Markdown kept); `plainText` cleans one. */
  items: string[];
}

export interface BodyOutline {
  headings: string[];
  /** Bold labels at the start of list items, e.g. "State management". */
  labels: string[];
  lists: BodyList[];
}

const HEADING = /^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$/;
const BULLET = /^(\s*)(?:[-*+•]|\d{1,3}[.)])\s+(.+)$/;
const LABEL_LINE = /^\s{0,3}(?:\*\*)?([A-Za-z][^:]{1,80}?)(?:\*\*)?:(?:\*\*)?\s*$/;
const BOLD_LABEL = /^\*\*([^*]{2,60})\*\*\s*[:\-–—]?\s*(.*)$/;

/** First non-blank code unit of a line, or -1 for a blank line. */
function firstVisible(line: string): number {
  for (let index = 0; index < line.length; index++) {
    const unit = line.charCodeAt(index);
    if (unit !== 32 && unit !== 9) return unit;
  }
  return -1;
}

function isBulletStart(unit: number): boolean {
  return unit === 45 || unit === 42 || unit === 43 || unit === 0x2022 || (unit >= 48 && unit <= 57);
}

function endsWithColon(line: string): boolean {
  let end = line.length - 1;
  while (end >= 0 && (line.charCodeAt(end) === 32 || line.charCodeAt(end) === 9 || line.charCodeAt(end) === 13)) end--;
  return end >= 0 && (line.charCodeAt(end) === 58 || (line.charCodeAt(end) === 42 && line.lastIndexOf(':') > end - 4));
}

/** Removes inline Markdown from one line: emphasis, code ticks, links. */
export function plainText(line: string): string {
  if (!/[[*_`]|\s\s/.test(line)) return line.trim();
  return line
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Builds the outline of a Markdown body.
 *
 * @example
 * outline('## Focus Areas\n- Terraform modules\n- State files').lists[0]
 * // { path: ['Focus Areas'], items: ['Terraform modules', 'State files'] }
 */
export function outline(body: string): BodyOutline {
  const result: BodyOutline = { headings: [], labels: [], lists: [] };
  const path: { level: number; text: string }[] = [];
  let current: BodyList | undefined;
  let inFence = false;
  const lines = body.split('\n', MAX_BODY_LINES);
  for (const line of lines) {
    const first = firstVisible(line);
    if (first === 96 || first === 126) {
      if (/^\s*(```|~~~)/.test(line)) {
        inFence = !inFence;
        continue;
      }
    }
    if (inFence || first === -1) continue;
    const heading = first === 35 ? HEADING.exec(line) : null;
    if (heading) {
      const level = heading[1]!.length;
      const text = plainText(heading[2]!);
      while (path.length > 0 && path[path.length - 1]!.level >= level) path.pop();
      path.push({ level, text });
      result.headings.push(text);
      current = undefined;
      continue;
    }
    const bullet = isBulletStart(first) ? BULLET.exec(line) : null;
    if (bullet) {
      if (bullet[1]!.length >= 2) continue; // nested item: detail, not a responsibility
      const raw = bullet[2]!.trim();
      const bold = BOLD_LABEL.exec(raw);
      if (bold) result.labels.push(plainText(bold[1]!));
      if (!current) {
        current = { path: path.map((entry) => entry.text), items: [] };
        result.lists.push(current);
      }
      // Items stay raw here; only the few chosen as responsibilities are cleaned (responsibilities.ts).
      if (current.items.length < MAX_ITEMS_PER_LIST) current.items.push(raw);
      continue;
    }
    const label = endsWithColon(line) ? LABEL_LINE.exec(line) : null;
    if (label && !/^(user|assistant|example|context|commentary)$/i.test(label[1]!.trim())) {
      const text = plainText(label[1]!);
      result.headings.push(text);
      current = { path: [...path.map((entry) => entry.text), text], items: [] };
      result.lists.push(current);
      continue;
    }
    if (current && current.items.length > 0) current = undefined; // prose ends a list
  }
  result.lists = result.lists.filter((list) => list.items.length > 0);
  return result;
}
