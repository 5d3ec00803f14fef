/**
 * Route decisions, recorded when `route` runs so that `feedback <route-id>` (and the runner's
 * outcomes) can find what was decided: the context the bandit learns from, the chosen agent and
 * the brief versions involved. Kept in `.codex-flow/decisions.jsonl`, bounded by rotation: past
 * half of `maxDecisions` the live file becomes `decisions.jsonl.old` (the previous one is dropped).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendRecord, DECISIONS_FILE, readLog, rotateWhenFull } from './store.js';
import { isDecision } from './record-shape.js';

export interface Decision {
  route_id: string;
  at: string;
  /** The top-1 agent (what was routed to), null when nothing was. */
  chosen: string | null;
  candidates: string[];
  /** The bandit's context: fired triggers and hashed task features (features.ts). */
  features: string[];
  /** Word-feature bucket → word, so `stats` can show words instead of bucket numbers. */
  labels?: Array<[string, string]>;
  /** Brief content hashes of the candidates at decision time. */
  briefs?: Record<string, string>;
  explore: boolean;
  seed?: number;
  /** Shadow mode: what learning would have chosen, and what was chosen without it. */
  shadow?: { learned: string | null; plain: string | null };
}

/** Bytes per decision line, about: sizes the rotation threshold from `maxDecisions`. */
const DECISION_BYTES = 600;

export { isDecision } from './record-shape.js';

/** Appends a decision; rotates the file (under the lock) once it holds about half of `maxDecisions`. */
export function recordDecision(dir: string, decision: Decision, maxDecisions: number): void {
  const file = join(dir, DECISIONS_FILE);
  appendRecord(file, decision);
  rotateDecisionsWhenFull(dir, maxDecisions);
}

/**
 * Rotates the decision log once it holds about half of `maxDecisions`: the live file becomes
 * `decisions.jsonl.old` (the previous one is dropped), under the lock. A rename, never a rewrite.
 */
export function rotateDecisionsWhenFull(dir: string, maxDecisions: number): void {
  rotateWhenFull(dir, join(dir, DECISIONS_FILE), (maxDecisions / 2) * DECISION_BYTES);
}

/** All decisions kept, oldest first, keyed by route id (a later decision for the same id wins). */
export function readDecisions(dir: string): { byId: Map<string, Decision>; skipped: number } {
  const file = join(dir, DECISIONS_FILE);
  const byId = new Map<string, Decision>();
  let skipped = 0;
  for (const path of [`${file}.old`, file]) {
    const read = readLog(path, isDecision);
    skipped += read.skipped.length;
    for (const decision of read.records) byId.set(decision.route_id, decision);
  }
  return { byId, skipped };
}

/**
 * The latest decision recorded for one route id, or undefined: what `feedback` and every outcome
 * the runner records look up. Parsing the whole log (up to `maxDecisions` lines) costs a parse of
 * every line per lookup; this searches the text for the id from the end and parses that line
 * only (the timings are in docs/learning.md). A torn line, or one that names the id only inside a nested object, is passed over
 * for an earlier one: the same answer as `readDecisions(dir).byId.get(routeId)`.
 */
export function findDecision(dir: string, routeId: string): Decision | undefined {
  const file = join(dir, DECISIONS_FILE);
  const needle = `"route_id":${JSON.stringify(routeId)}`;
  for (const path of [file, `${file}.old`]) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    for (let at = text.lastIndexOf(needle); at >= 0; at = at === 0 ? -1 : text.lastIndexOf(needle, at - 1)) {
      const start = text.lastIndexOf('\n', at) + 1;
      const end = text.indexOf('\n', at);
      try {
        const value: unknown = JSON.parse(text.slice(start, end < 0 ? text.length : end));
        if (isDecision(value) && value.route_id === routeId) return value;
      } catch {
        // A torn line: an earlier record of the id may still be whole.
      }
      at = start;
    }
  }
  return undefined;
}
