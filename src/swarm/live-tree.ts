/**
 * The live view of a running swarm, as pure functions: `liveState` folds the swarm's events into
 * one state per subtask (what the log says, nothing else), and `renderLiveTree` draws the plan as
 * a tree with each subtask's state, agent, elapsed time and cost at a given moment. The terminal
 * driver (live-view.ts) only decides when to redraw; tests check frames from states.
 *
 * @example
 * let state = liveState(plan);
 * state = applyLiveEvent(state, { event: 'subtask-started', id: 's1', agent: 'api-designer', at });
 * renderLiveTree(state, Date.now()); // 'swarm … 0/2 done …\n├─ ● s1  running  api-designer  1.2s …'
 */
import type { SwarmEvent } from './event-log.js';
import { applyPlanChange, isPlanChange, type PlanChange } from './plan-changes.js';
import type { RoutedPlan } from './plan.js';

export type LiveSubtaskState = 'waiting' | 'running' | 'reviewing' | 'completed' | 'failed' | 'skipped';

export interface LiveSubtask {
  state: LiveSubtaskState;
  agent: string | null;
  startedAt?: number;
  /** Set once it ended: the elapsed time stops there. */
  ms?: number;
  cost: number | null;
  note?: string;
}

export interface LiveState {
  plan: RoutedPlan;
  subtasks: ReadonlyMap<string, LiveSubtask>;
  title: string;
}

const MARK: Record<LiveSubtaskState, string> = { waiting: '○', running: '●', reviewing: '◐', completed: '✓', failed: '✗', skipped: '–' };

export function liveState(plan: RoutedPlan, title = 'swarm'): LiveState {
  return {
    plan,
    title,
    subtasks: new Map(plan.subtasks.map((subtask) => [subtask.id, { state: 'waiting', agent: subtask.assignment.agent, cost: null }])),
  };
}

/** The state after one event; the input is not modified. */
export function applyLiveEvent(state: LiveState, event: SwarmEvent): LiveState {
  if (isPlanChange(event)) {
    const plan = applyPlanChange(state.plan, event as unknown as PlanChange);
    const subtasks = new Map(state.subtasks);
    for (const subtask of plan.subtasks)
      if (!subtasks.has(subtask.id)) subtasks.set(subtask.id, { state: 'waiting', agent: subtask.assignment.agent, cost: null });
    return { ...state, plan, subtasks };
  }
  if (event.event === 'swarm-planned' || event.event === 'swarm-resumed') return { ...state, title: `swarm ${String(event.swarm_id)}` };
  const id = typeof event.id === 'string' ? event.id : undefined;
  const before = id === undefined ? undefined : state.subtasks.get(id);
  if (!before || id === undefined) return state;
  const at = Date.parse(event.at ?? '');
  const outcome = event.outcome as
    { state?: string; ms?: number; cost_usd?: number | null; agent?: string | null; reason?: string } | undefined;
  let next: LiveSubtask | undefined;
  switch (event.event) {
    case 'subtask-started':
      next = {
        ...before,
        state: 'running',
        agent: typeof event.agent === 'string' ? event.agent : before.agent,
        ...(Number.isFinite(at) ? { startedAt: at } : {}),
      };
      break;
    case 'subtask-result':
      next = { ...before, state: 'reviewing', cost: outcome?.cost_usd ?? before.cost };
      break;
    case 'subtask-finished':
    case 'subtask-failed':
    case 'subtask-skipped': {
      const ended: LiveSubtaskState =
        event.event === 'subtask-finished' ? 'completed' : event.event === 'subtask-failed' ? 'failed' : 'skipped';
      next = {
        ...before,
        state: ended,
        ms: outcome?.ms ?? 0,
        cost: outcome?.cost_usd ?? before.cost,
        ...(outcome?.reason ? { note: outcome.reason } : {}),
      };
      break;
    }
    default:
      return state;
  }
  const subtasks = new Map(state.subtasks);
  subtasks.set(id, next);
  return { ...state, subtasks };
}

/** The tree at `now`: one line per subtask under the dependency it waits on, then a totals line. `width` cuts long lines. */
export function renderLiveTree(state: LiveState, now: number, width = 120): string {
  const ids = new Set(state.plan.subtasks.map((subtask) => subtask.id));
  const children = new Map<string | null, string[]>();
  for (const subtask of state.plan.subtasks) {
    const parent = subtask.depends_on.find((id) => ids.has(id)) ?? null;
    children.set(parent, [...(children.get(parent) ?? []), subtask.id]);
  }
  const lines: string[] = [];
  let done = 0;
  let cost: number | null = null;
  const walk = (parent: string | null, prefix: string): void => {
    const list = children.get(parent) ?? [];
    list.forEach((id, index) => {
      const last = index === list.length - 1;
      const subtask = state.subtasks.get(id)!;
      if (subtask.state === 'completed') done++;
      if (subtask.cost !== null) cost = (cost ?? 0) + subtask.cost;
      const elapsed =
        subtask.ms !== undefined ? subtask.ms : subtask.startedAt !== undefined ? Math.max(0, now - subtask.startedAt) : undefined;
      const fields = [
        `${MARK[subtask.state]} ${id}`,
        subtask.state.padEnd(9),
        subtask.agent ?? '—',
        elapsed === undefined ? '' : `${(elapsed / 1000).toFixed(1)}s`,
        subtask.cost === null ? '' : `$${subtask.cost.toFixed(4)}`,
        subtask.note ?? '',
      ];
      lines.push(clip(`${prefix}${last ? '└─ ' : '├─ '}${fields.filter((field) => field !== '').join('  ')}`, width));
      walk(id, `${prefix}${last ? '   ' : '│  '}`);
    });
  };
  walk(null, '');
  const header = `${state.title}: ${done}/${state.plan.subtasks.length} completed${cost === null ? '' : ` · $${(cost as number).toFixed(4)}`}`;
  return `${[clip(header, width), ...lines].join('\n')}\n`;
}

function clip(line: string, width: number): string {
  return line.length <= width ? line : `${line.slice(0, Math.max(1, width - 1))}…`;
}
