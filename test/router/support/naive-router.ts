/**
 * The reference router: the obvious loops from the design note (seeds/001 "Trigger matcher"),
 * with the router's documented matching rules (word boundaries, plurals, picomatch with dotfiles,
 * slash-less globs on the basename, agent aliases). Slow on purpose and easy to check by eye: it
 * is the oracle the staged router must agree with on stages 0–2.
 */
import picomatch from 'picomatch';
import { acceptOnBoundary, foldString, phraseEdges } from '../../../src/router/text.js';
import { agentAliases } from '../../../src/router/aliases.js';
import type { TriggerTable } from '../../../src/fleet/types.js';

function phraseOccurs(text: string, phrase: string): boolean {
  const folded = foldString(text);
  const variants = [phrase];
  if (/[^aeiou]y$/.test(phrase) && phrase.length >= 4) variants.push(`${phrase.slice(0, -1)}ies`);
  for (const variant of variants) {
    const edges = phraseEdges(variant);
    const plural = variant === phrase ? edges.plural : 0;
    for (let at = folded.indexOf(variant); at >= 0 && variant.length > 0; at = folded.indexOf(variant, at + 1)) {
      if (acceptOnBoundary(text, at, at + variant.length, edges.wordStart, edges.wordEnd, plural) >= 0) return true;
    }
  }
  return false;
}

/** Agents that stages 0–2 find for a request, sorted. */
export function naiveCandidates(
  table: TriggerTable,
  task: string,
  files: readonly string[],
  names: Record<string, { name?: string; source?: string }> = {},
): string[] {
  const found = new Set<string>();
  for (const [phrase, ids] of Object.entries(table.keywords)) {
    if (phraseOccurs(task, foldString(phrase.trim()))) ids.forEach((id) => found.add(id));
  }
  const ids = new Set([
    ...Object.keys(table.agents),
    ...Object.values(table.keywords).flat(),
    ...Object.values(table.file_patterns).flat(),
    ...table.regex.flatMap((r) => r.agents),
  ]);
  for (const id of ids) {
    for (const alias of agentAliases(id, names[id]?.name, names[id]?.source)) if (phraseOccurs(task, foldString(alias))) found.add(id);
  }
  for (const entry of table.regex) {
    if (task.length > 0 && new RegExp(entry.pattern, 'iu').test(task)) entry.agents.forEach((id) => found.add(id));
  }
  for (const [glob, owners] of Object.entries(table.file_patterns)) {
    const matcher = picomatch(glob, { dot: true, basename: !glob.includes('/') });
    if (files.some((file) => matcher(file))) owners.forEach((id) => found.add(id));
  }
  return [...found].sort();
}
