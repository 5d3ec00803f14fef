/**
 * A route result as a pull-request comment (`codex-flow route --files - --format markdown`): a
 * table of the changed files and the agents whose file globs claim each, then the ranking with
 * what found each agent. The first line is a hidden marker (MARKDOWN_MARKER) a workflow searches
 * for to update its own comment instead of adding one per push. The same data as `--json`;
 * deterministic (files in code-point order, no clock time); every cell escaped, so a path with a
 * pipe or a backtick cannot break the table.
 */
import type { RouteRequest, RouteResult } from './types.js';

/** The hidden first line of the comment: what a workflow finds its own comment by. */
export const MARKDOWN_MARKER = '<!-- codex-flow:route -->';

/** Rows of the file table: GitHub refuses comments over 65,536 characters; the rest is counted. */
export const MAX_TABLE_FILES = 200;

/** A code span that holds `text` whatever it contains: a fence longer than its longest backtick run, pipes escaped for the table. */
export function codeCell(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const padded = longest > 0 || flat.startsWith(' ') ? ` ${flat} ` : flat;
  return `${fence}${padded.replace(/\|/g, '\\|')}${fence}`;
}

/** Plain text in a table cell: markdown's active characters escaped, one line. */
export function textCell(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/([\\`*_[\]<>|#~])/g, '\\$1');
}

export function formatRouteMarkdown(request: RouteRequest, result: RouteResult): string {
  const files = [...new Set(request.files ?? [])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const claims = new Map<string, string[]>();
  for (const candidate of result.candidates) {
    const globs = new Map<string, string[]>();
    for (const evidence of candidate.evidence) {
      const known = evidence.stage === 'files' ? (globs.get(evidence.path) ?? []) : [];
      if (evidence.stage === 'files' && !known.includes(evidence.glob)) globs.set(evidence.path, [...known, evidence.glob]);
    }
    for (const [path, matched] of globs)
      claims.set(path, [...(claims.get(path) ?? []), `${codeCell(candidate.id)} (${matched.map(codeCell).join(', ')})`]);
  }
  const lines = [MARKDOWN_MARKER, '### codex-flow: agents for this change', ''];
  if (request.task) lines.push(`Task: ${textCell(request.task)}`, '');
  if (files.length > 0) {
    lines.push('| Changed file | Agents (matching globs) |', '|---|---|');
    for (const path of files.slice(0, MAX_TABLE_FILES))
      lines.push(`| ${codeCell(path)} | ${claims.get(path)?.join('<br>') ?? "no agent's files match"} |`);
    if (files.length > MAX_TABLE_FILES) lines.push(`| … and ${files.length - MAX_TABLE_FILES} more | |`);
    lines.push('');
  }
  if (result.candidates.length === 0) lines.push(`No agent: ${textCell(result.fallback?.reason ?? 'nothing matched')}`);
  else lines.push('| # | Agent | Score | Found by |', '|---:|---|---:|---|');
  for (const candidate of result.candidates) {
    lines.push(
      `| ${candidate.rank} | ${codeCell(candidate.id)} | ${candidate.score.toFixed(3)} | ${textCell(candidate.stages.join(' + ') || candidate.tier)} |`,
    );
  }
  for (const event of result.events) lines.push('', `Escalation: ${textCell(event.reason)}`);
  lines.push('', `<sub>${codeCell(result.routeId)} · \`codex-flow route --explain\` shows every score term</sub>`);
  return `${lines.join('\n')}\n`;
}
