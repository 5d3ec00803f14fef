/**
 * Responsibilities and core capabilities from the body's outline.
 *
 * Naive approach: take the first bullet list. In real briefs that is usually "When invoked:
 * 1. Query context manager…", a procedure every agent of a collection shares.
 * What we do: score each list by the words of its heading path ("responsibilities",
 * "capabilities", "focus areas" up; "when invoked", "example", "output format" down) and take
 * the best as primary. When a section splits into several titled sublists (wshobson's
 * "## Capabilities / ### Terraform expertise / ### Module design …"), the sublist titles are
 * the primary responsibilities: they summarize better than the first sublist's items.
 * Invariants: items are plain text, at most MAX_ITEM_CHARS, deduplicated, order kept.
 */
import { plainText, type BodyList, type BodyOutline } from './sections.js';

/** Length of one responsibility: a line a person scans, not a paragraph. */
export const MAX_ITEM_CHARS = 90;

/** Caps on the lists: definitions stay readable and the router never reads these. */
export const MAX_PRIMARY = 8;
export const MAX_SECONDARY = 10;
export const MAX_CORE = 8;
export const MIN_CORE = 3;

const HEADING_SCORES: readonly [RegExp, number][] = [
  [/responsibilit/i, 10],
  [/capabilit/i, 8],
  [/focus area/i, 8],
  [/core (expertise|competenc)/i, 8],
  [/expertise|specialt|what (you|i) do|skills/i, 6],
  [/checklist/i, 9],
  [/purpose|mission/i, 2],
  [/when invoked|workflow|phase|step|approach|protocol|context|request|questioning|status|updates|includes/i, -4],
  [/example|output|format|template|communication|integration with|handoff|delivery|notification/i, -8],
  [/behavio|traits|knowledge base|principles|philosophy|boundar|anti-pattern|don't|do not/i, -3],
];

/** Headings that frame every brief of a collection rather than naming a capability. */
const BOILERPLATE_HEADING =
  /^(capabilities|purpose|expert purpose|behavioral traits|knowledge base|response approach|example interactions|output\b.*|approach|workflow|workflow position|focus areas|core philosophy|best practices|key distinctions|strict boundaries|inputs|when invoked|communication protocol|development workflow|integration with other agents|context|examples?|notes?|important|overview|summary|role|instructions|guidelines|rules|constraints|requirements|deliverables|.*\b(checklist|protocol|workflow|handoff|phase \d+|examples?|template|format|context|request|questioning|includes|updates|message|delivery|deliverables|flow|step|status|progress|notifications?|gathering|discovery|execution|completion|integration with|you are|when to use|usage)\b.*)$/i;

const FILLER_IN_TITLE =
  /\b(advanced|modern|comprehensive|expertise|mastery|excellence|capabilities|specialization|proficiency|best practices|enterprise|core)\b/gi;

function shorten(text: string): string {
  const plain = plainText(text)
    .replace(/^\d+[.)]\s+/, '')
    .replace(/[\s:;,.–—-]+$/, '')
    .trim();
  if (plain.length <= MAX_ITEM_CHARS) return plain;
  const cut = plain.slice(0, MAX_ITEM_CHARS);
  const space = cut.lastIndexOf(' ');
  return (space > 40 ? cut.slice(0, space) : cut).replace(/[\s:;,.–—-]+$/, '');
}

/** Bit set of the HEADING_SCORES patterns one heading matches. */
function headingMask(heading: string, memo: Map<string, number>): number {
  let mask = memo.get(heading);
  if (mask === undefined) {
    mask = 0;
    HEADING_SCORES.forEach(([pattern], bit) => {
      if (pattern.test(heading)) mask! |= 1 << bit;
    });
    memo.set(heading, mask);
  }
  return mask;
}

/** A list's centrality: the weights of the patterns its own title matches, plus half of those
 * its enclosing headings match (each pattern counted once per level). "Design critique process"
 * under "3. Handoff" is about design critique first. */
function scoreList(list: BodyList, memo: Map<string, number>): number {
  const own = list.path.length > 0 ? headingMask(list.path[list.path.length - 1]!, memo) : 0;
  let enclosing = 0;
  for (let index = 0; index < list.path.length - 1; index++) enclosing |= headingMask(list.path[index]!, memo);
  let score = Math.min(list.items.length, 8) / 4;
  HEADING_SCORES.forEach(([, weight], bit) => {
    if ((own & (1 << bit)) !== 0) score += weight;
    else if ((enclosing & (1 << bit)) !== 0) score += weight / 2;
  });
  return score;
}

function uniquePush(target: string[], items: readonly string[], cap: number): void {
  const seen = new Set(target.map((item) => item.toLowerCase()));
  for (const item of items) {
    if (target.length >= cap) return;
    const text = shorten(item);
    if (text.length < 3 || seen.has(text.toLowerCase())) continue;
    seen.add(text.toLowerCase());
    target.push(text);
  }
}

/** Sublist titles of the section that holds the best list, when it has several. */
function sectionTitles(lists: readonly BodyList[], best: BodyList): string[] {
  if (best.path.length < 2) return [];
  const parent = best.path.slice(0, -1).join('\u0000');
  const titles = lists
    .filter((list) => list.path.length === best.path.length && list.path.slice(0, -1).join('\u0000') === parent)
    .map((list) => list.path[list.path.length - 1] ?? '')
    .filter((title) => !BOILERPLATE_HEADING.test(title.trim()));
  return titles.length >= 3 ? titles : [];
}

/**
 * Picks primary and secondary responsibilities from a body outline.
 *
 * @example responsibilitiesFrom(outline('## Responsibilities\n- Plan\n- Apply')).primary // ['Plan', 'Apply']
 */
export function responsibilitiesFrom(body: BodyOutline): { primary: string[]; secondary: string[] } {
  const memo = new Map<string, number>();
  const ranked = body.lists
    .map((list, index) => ({ list, index, score: scoreList(list, memo) }))
    .sort((a, b) => b.score - a.score || a.index - b.index);
  const primary: string[] = [];
  const secondary: string[] = [];
  const best = ranked[0];
  if (!best) return { primary, secondary };
  const titles = sectionTitles(body.lists, best.list);
  uniquePush(primary, titles.length > 0 ? titles : best.list.items, MAX_PRIMARY);
  const rest = titles.length > 0 ? ranked : ranked.slice(1);
  for (const { list, score } of rest) {
    if (score < 0 || secondary.length >= MAX_SECONDARY) break;
    uniquePush(
      secondary,
      list.items.slice(0, 2).filter((item) => !primary.includes(shorten(item))),
      MAX_SECONDARY,
    );
  }
  return { primary, secondary };
}

/**
 * Short capability phrases from section titles, topped up with `fallback` (the top keywords).
 *
 * @example coreFrom(['Type system mastery', 'Response Approach'], ['python']) // ['type system', 'python']
 */
export function coreFrom(headings: readonly string[], fallback: readonly string[]): string[] {
  const core: string[] = [];
  const seen = new Set<string>();
  const add = (phrase: string): void => {
    if (core.length >= MAX_CORE) return;
    const text = phrase
      .toLowerCase()
      .replace(/^\d+[.)]\s+/, '')
      .replace(FILLER_IN_TITLE, ' ')
      .replace(/\s+/g, ' ')
      .replace(/^[\s&/,-]+|[\s&/,:-]+$/g, '')
      .trim();
    if (text.length < 2 || text.length > 48 || text.split(' ').length > 5 || seen.has(text) || core.length >= MAX_CORE) return;
    seen.add(text);
    core.push(text);
  };
  for (const heading of headings) {
    if (core.length >= MAX_CORE) break;
    if (!BOILERPLATE_HEADING.test(heading.trim())) add(heading);
  }
  for (const phrase of fallback) if (core.length < MIN_CORE) add(phrase);
  return core;
}
