/**
 * One verdict per route id and agent: `feedback` (the CLI and POST /v1/feedback alike) records a
 * person's verdict on an agent's work for a routed task once. Each outcome reinforces the bandit,
 * so a second verdict on the same work would count one task twice; undoing the first's effect is
 * not possible in an append-only fold (the snapshot has already absorbed it). So the first verdict
 * stands: a repeat of it (a client retrying) records nothing and says so, a different one is
 * refused naming the first. A verdict on another agent for the same route id (`--agent`: the task
 * was re-assigned after the routed agent failed) is other work, and is recorded.
 *
 * Kept in `.codex-flow/verdicts.jsonl`, rotated like the decision log (past half of
 * `maxDecisions` the live file becomes `verdicts.jsonl.old`), so a verdict is remembered as long
 * as decisions of its age are. Race-free without a blocking lock: a verdict first appends its
 * claim (one O_APPEND write), then reads the log back; the earliest claim of the id and agent owns
 * it, so of two feedbacks racing on one id and agent exactly one is recorded.
 *
 * @example
 * const claimed = claimVerdict(dir, { route_id: 'route:1f2e', agent: 'debugger', ok: true, at }, 5000);
 * if (claimed.owner) learning.record(outcome); else claimed.first; // the verdict already recorded
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { appendRecord, rotateWhenFull } from './store.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';

export const VERDICTS_FILE = 'verdicts.jsonl';
/** A claim line is about 200 bytes: sizes the rotation threshold from `maxDecisions`. */
const VERDICT_BYTES = 200;

export interface Verdict {
  route_id: string;
  agent: string;
  ok: boolean;
  at: string;
  review?: string;
}

interface Claim extends Verdict {
  claim: string;
}

export type ClaimResult = { owner: true } | { owner: false; first: Verdict; same: boolean };

/** Claims the route id and agent for `verdict`; the owner records it, anyone else learns the verdict that stands. */
export function claimVerdict(dir: string, verdict: Verdict, maxDecisions: number): ClaimResult {
  const claim = randomUUID();
  appendRecord(join(dir, VERDICTS_FILE), { ...verdict, claim } satisfies Claim);
  const first = firstClaim(dir, verdict.route_id, verdict.agent);
  rotateVerdictsWhenFull(dir, maxDecisions);
  if (!first || first.claim === claim) return { owner: true };
  const { claim: _claim, ...shown } = first;
  return { owner: false, first: shown, same: first.agent === verdict.agent && first.ok === verdict.ok && first.review === verdict.review };
}

/** The verdict recorded for a route id and agent, if any (the earliest claim). */
export function verdictOf(dir: string, routeId: string, agent: string): Verdict | undefined {
  const first = firstClaim(dir, routeId, agent);
  if (!first) return undefined;
  const { claim: _claim, ...shown } = first;
  return shown;
}

/** The earliest whole claim of `routeId` for `agent`: the old file first, then the live one. */
function firstClaim(dir: string, routeId: string, agent: string): Claim | undefined {
  const file = join(dir, VERDICTS_FILE);
  const needle = `"route_id":${JSON.stringify(routeId)}`;
  for (const path of [`${file}.old`, file]) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) {
      const start = text.lastIndexOf('\n', at) + 1;
      const end = text.indexOf('\n', at);
      try {
        const value = JSON.parse(text.slice(start, end < 0 ? text.length : end)) as Partial<Claim>;
        if (value.route_id === routeId && value.agent === agent && typeof value.claim === 'string') return value as Claim;
      } catch {
        // A torn line (a writer crashed mid-append) claims nothing: its outcome was never recorded.
      }
    }
  }
  return undefined;
}

/** A rename under the lock, never a rewrite: a claim appended during it lands in one of the two files read. */
function rotateVerdictsWhenFull(dir: string, maxDecisions: number): void {
  rotateWhenFull(dir, join(dir, VERDICTS_FILE), (maxDecisions / 2) * VERDICT_BYTES);
}

/** What `feedback` says when the route already has `first`: CF9551 for a repeat of it, else CF9550 naming it. */
export function verdictDiagnostic(first: Verdict, same: boolean): Diagnostic {
  const what = `${first.ok ? 'success' : 'failure'} of ${first.agent}${first.review ? ` (review: ${first.review})` : ''}, recorded at ${first.at}`;
  return same
    ? diagnostic('CF9551', `${first.route_id} already has this verdict on ${first.agent} (${what}); nothing added`)
    : diagnostic('CF9550', `${first.route_id} already has a verdict on ${first.agent}: ${what}; nothing recorded`);
}
