/**
 * Swarm events as lines for people: the live line log while a swarm runs, and `--replay`, which
 * prints a past swarm from its log with each event's time since the swarm started.
 *
 * @example
 * const line = eventLine({ event: 'subtask-started', id: 's1', alias: 'api-designer' }); // '  started   s1 → api-designer'
 */
import type { SwarmEvent } from './event-log.js';

export function eventLine(event: SwarmEvent): string | undefined {
  const outcome = event.outcome as
    { state?: string; agent?: string | null; ms?: number; reason?: string; stop_reason?: string } | undefined;
  switch (event.event) {
    case 'swarm-planned':
      return `swarm ${String(event.swarm_id)}: started`;
    case 'swarm-resumed':
      return `swarm ${String(event.swarm_id)}: resumed (attempt ${String(event.attempt)}; ${Array.isArray(event.completed) ? event.completed.length : 0} completed earlier)`;
    case 'swarm-stopped':
      return `swarm ${String(event.swarm_id)}: stopped; not run: ${Array.isArray(event.not_run) ? event.not_run.join(', ') : ''}`;
    case 'swarm-finished':
      return `swarm ${String(event.swarm_id)}: ${event.ok ? 'completed' : 'did not complete'}`;
    case 'subtask-started':
      return `  started   ${String(event.id)} → ${String(event.alias)}`;
    case 'subtask-finished':
      return `  completed ${String(event.id)} (${outcome?.agent ?? ''}, ${((outcome?.ms ?? 0) / 1000).toFixed(1)} s)`;
    case 'subtask-failed':
      return `  failed    ${String(event.id)}: ${outcome?.reason ?? outcome?.stop_reason ?? ''}`;
    case 'subtask-skipped':
      return `  skipped   ${String(event.id)}: ${outcome?.reason ?? ''}`;
    case 'subtask-result':
      // Kept before the result is acted on, whatever it is: a failed one is said by `subtask-failed`.
      if (outcome?.state === 'failed') return undefined;
      return `  answered  ${String(event.id)}${event.revision === 'revision' ? ' (revision)' : ''}`;
    case 'subtask-reviewed':
      return `  reviewed  ${String(event.id)} by ${String(event.reviewer)}: ${String(event.verdict)}`;
    case 'follow-up-scheduled':
      return `  follow-up ${String(event.id)} after ${String(event.after)}: ${String(event.reason)}`;
    case 'plan-revised':
      return `  revised   the plan after ${String(event.after)} (${String(event.source)}): ${String(event.reason)}`;
    case 'learning-error':
      return `  learning  ${String(event.id)}: its outcome was not recorded: ${String(event.error)}`;
    default:
      return undefined;
  }
}

/** A whole log, each line prefixed with the seconds since its first event (`+1.25s`). */
export function replayLines(events: readonly SwarmEvent[]): string {
  const first = Date.parse(events[0]?.at ?? '');
  const lines: string[] = [];
  for (const event of events) {
    const line = eventLine(event);
    if (!line) continue;
    const offset = Date.parse(event.at ?? '') - first;
    lines.push(`${Number.isFinite(offset) ? `+${(offset / 1000).toFixed(2)}s` : '      '}  ${line}`);
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
