/**
 * Text for people from route results and explanations (the `--json` output is the same data).
 * One line per candidate; with `explain`, the evidence and every score term under it.
 */
import type { AgentExplanation } from './explain.js';
import { RECALL_DEPTHS, type EvalReport } from './eval.js';
import type { Evidence, RouteCandidate, RouteResult } from './types.js';

const fixed = (value: number): string => value.toFixed(3);

/** Formats a route result; `explain` adds evidence and score terms. */
export function formatRoute(result: RouteResult, explain = false): string {
  const lines: string[] = [];
  // An escalation event usually carries the fallback's reason: say it once.
  if (result.fallback && !result.events.some((event) => event.reason === result.fallback!.reason))
    lines.push(`note: ${result.fallback.reason}`);
  for (const event of result.events)
    lines.push(`escalation: ${event.reason}${event.notify.length > 0 ? ` (notify ${event.notify.join(', ')})` : ''}`);
  if (result.candidates.length === 0) lines.push('no agent');
  for (const candidate of result.candidates) {
    lines.push(
      `${String(candidate.rank).padStart(2)}. ${candidate.id.padEnd(32)} ${fixed(candidate.score).padStart(8)}  ${candidate.stages.join('+') || (candidate.terms[0]?.name === 'depth' ? 'depth' : candidate.tier)}`,
    );
    if (explain) lines.push(...explainLines(candidate).map((line) => `      ${line}`));
  }
  for (const followUp of result.followUps)
    lines.push(`follow-up: ${followUp.id} (${followUp.reason}: its brief says to run it after ${followUp.after})`);
  if (explain)
    lines.push(`${result.considered} candidate(s) considered; stages fired: ${result.stagesFired.join(', ') || 'none'}; ${result.routeId}`);
  return `${lines.join('\n')}\n`;
}

/** Evidence lines then score terms of one candidate. */
export function explainLines(candidate: RouteCandidate): string[] {
  const lines = candidate.evidence.map(describeEvidence);
  for (const term of candidate.terms) {
    // The sign column carries the direction, so the arithmetic after it is in magnitudes:
    // "- reward 1.000 × 0.132 = 0.132", never "1.000 × -0.132 = 0.132".
    const sign = term.contribution < 0 ? '-' : '+';
    lines.push(
      `${sign} ${term.name.padEnd(10)} ${fixed(Math.abs(term.weight))} × ${fixed(Math.abs(term.value))} = ${fixed(Math.abs(term.contribution))}  (${term.detail})`,
    );
  }
  lines.push(`= score ${fixed(candidate.score)}`);
  return lines;
}

/** One line of evidence, for people: which stage, which trigger, where in the input. */
export function describeEvidence(evidence: Evidence): string {
  switch (evidence.stage) {
    case 'files':
      return `files    glob ${evidence.glob} matched ${evidence.path} (specificity ${fixed(evidence.specificity)})`;
    case 'mention':
      return `mention  "${evidence.text}" at ${evidence.start}–${evidence.end} names the agent (alias "${evidence.alias}")`;
    case 'keyword':
      return `keyword  "${evidence.keyword}" matched "${evidence.text}" at ${evidence.start}–${evidence.end}${evidence.occurrences > 1 ? ` (${evidence.occurrences}×)` : ''} (weight ${fixed(evidence.weight)})`;
    case 'regex':
      return `regex    /${evidence.pattern}/ priority ${evidence.priority} matched "${evidence.text}" at ${evidence.start}–${evidence.end}`;
    case 'semantic':
      return `semantic term "${evidence.term}"${evidence.from === undefined ? '' : ` (for "${evidence.from}")`} in ${evidence.field} (+${fixed(evidence.contribution)})`;
  }
}

/** Formats an explanation of one agent (chosen or not). */
export function formatExplanation(explanation: AgentExplanation): string {
  const lines = [`${explanation.id}: ${explanation.chosen ? 'chosen' : 'not chosen'} — ${explanation.reason}`];
  if (explanation.candidate) lines.push(...explainLines(explanation.candidate).map((line) => `    ${line}`));
  return `${lines.join('\n')}\n`;
}

/** Formats an evaluation report: the three numbers, the confusion table, the misses. */
export function formatEval(report: EvalReport, maxMisses = 50): string {
  const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
  const lines = [
    `${report.total} labeled requests: top-1 ${pct(report.top1)}, top-3 ${pct(report.top3)}, MRR ${report.mrr.toFixed(3)}, recall@5/10/15 ${RECALL_DEPTHS.map((k) => (report.recall[k] === undefined ? '-' : pct(report.recall[k]!))).join(' / ')} (depth ${report.depth}); ${report.fallbacks} answered by a fallback; follow-ups: ${report.followUps.answered} request(s) got some, ${report.followUps.hits} with an expected agent among them (${report.followUps.outsideTop3} of those not in the top 3)`,
  ];
  const confused = Object.entries(report.perAgent).filter(([, a]) => a.top1 < a.expected);
  if (confused.length > 0) lines.push('', 'per agent (expected → top-1 hits; chosen instead):');
  for (const [id, agent] of confused) {
    lines.push(`  ${id.padEnd(32)} ${agent.top1}/${agent.expected}  ${agent.chosenInstead.map((c) => `${c.id}×${c.count}`).join(', ')}`);
  }
  if (report.misses.length > 0)
    lines.push('', `misses (${report.misses.length}${report.misses.length > maxMisses ? `, first ${maxMisses}` : ''}):`);
  for (const miss of report.misses.slice(0, maxMisses)) {
    const task = miss.task.length > 90 ? `${miss.task.slice(0, 87)}...` : miss.task;
    lines.push(
      `  line ${miss.line}: expected ${miss.expected.join('|')}, got ${miss.got.join(', ') || 'nothing'}${miss.rank ? ` (rank ${miss.rank})` : ''}: ${task || miss.files.join(' ')}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
