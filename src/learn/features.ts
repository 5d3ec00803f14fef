/**
 * The context of a routing decision, as the bandit sees it: the triggers that fired (keyword,
 * regex, glob keys, exact) plus hashed task features (stemmed words of the task, extensions and
 * top folders of the changed paths).
 *
 * Naive approach: keep every word as its own feature — the learned state grows with every new
 * word anyone ever typed. What we do: words hash into FEATURE_BUCKETS buckets (FNV-1a), so the
 * state is bounded by buckets × agents whatever the traffic; trigger keys are bounded by the fleet.
 * Invariants: the same request and fired triggers give the same features in the same order
 * (sorted, unique), on every machine; at most MAX_FEATURES per decision.
 */
import { tokenize } from '../router/tokenize.js';

/**
 * 16,384 buckets: the dev sets' ~6,000 distinct stems collide in under 20 % of pairs, and a
 * collision only blurs two words' evidence; the per-agent state stays under a few MiB.
 */
export const FEATURE_BUCKETS = 16_384;

/** Features kept per decision: a pasted ticket of 500 words says no more than its first 64 terms. */
export const MAX_FEATURES = 64;

/**
 * The sorted, unique features of one request.
 *
 * @example featuresOf('review my PR', [], ['kw:review']) // ['kw:review', 'w:…', 'w:…']
 */
export function featuresOf(task: string, paths: readonly string[], fired: readonly string[]): string[] {
  const out = new Set<string>();
  for (const key of fired) {
    if (out.size >= MAX_FEATURES) break;
    out.add(key);
  }
  for (const word of tokenize(task)) {
    if (out.size >= MAX_FEATURES) break;
    out.add(wordFeature(word));
  }
  for (const path of paths) {
    if (out.size >= MAX_FEATURES) break;
    const dot = path.lastIndexOf('.');
    if (dot > path.lastIndexOf('/')) out.add(`ext:${path.slice(dot + 1).toLowerCase()}`);
    const slash = path.indexOf('/');
    if (slash > 0) out.add(`dir:${path.slice(0, slash).toLowerCase()}`);
  }
  return [...out].sort();
}

/** `w:<bucket>` for a stemmed word. */
export function wordFeature(word: string): string {
  return `w:${fnv1a(word) % FEATURE_BUCKETS}`;
}

/** Words behind the word features of a task, for people reading `stats` (bucket → first word). */
export function wordLabels(task: string): Array<[string, string]> {
  return tokenize(task).map((word) => [wordFeature(word), word]);
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
