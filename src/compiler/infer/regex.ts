/**
 * Regex triggers: few and precise. Two sources only:
 * - catalog regexes of the technologies whose file patterns the agent earned
 *   (`\b[Dd]ockerfile\b`, `\bkubectl\b`), and
 * - "Triggers on:" items people write with or without a hyphen ("product-led growth"), as
 *   `\bproduct[- ]?led growth\b`, which a keyword cannot express.
 * Every pattern is RE2-compatible (no lookaround, no backreferences) and lower case apart from
 * explicit character classes; the router lower-cases task text before matching keywords.
 */
import type { TechEntry } from './catalog.js';

/** Regexes per agent: the router's RE2 set is shared by the fleet; keep each agent's share small. */
export const MAX_INFERRED_REGEX = 4;

/** Priorities (1..10): an author's trigger list is a stronger signal than a catalog pattern. */
export const TRIGGER_REGEX_PRIORITY = 7;
export const CATALOG_REGEX_PRIORITY = 6;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * @example regexesFor(['product-led growth'], []) // [{ pattern: '\\bproduct[- ]?led growth\\b', priority: 7 }]
 */
export function regexesFor(triggers: readonly string[], entries: readonly TechEntry[]): { pattern: string; priority: number }[] {
  const result: { pattern: string; priority: number }[] = [];
  const seen = new Set<string>();
  const push = (pattern: string, priority: number): void => {
    if (seen.has(pattern) || result.length >= MAX_INFERRED_REGEX) return;
    seen.add(pattern);
    result.push({ pattern, priority });
  };
  for (const item of triggers) {
    if (!/[a-z0-9]-[a-z0-9]/.test(item)) continue;
    const body = item.split('-').map(escapeRegex).join('[- ]?');
    push(`\\b${body}\\b`, TRIGGER_REGEX_PRIORITY);
  }
  for (const entry of entries) for (const pattern of entry.regex ?? []) push(pattern, CATALOG_REGEX_PRIORITY);
  return result;
}
