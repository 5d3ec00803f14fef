/**
 * The live tree as a pure function of the swarm's events: states, agents, elapsed times and costs
 * at a given moment, plan changes joining the tree; and the terminal driver's redraw rate bound.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyLiveEvent, liveState, renderLiveTree } from '../../src/swarm/live-tree.js';
import { LiveView, REDRAW_INTERVAL_MS } from '../../src/swarm/live-view.js';
import type { RoutedPlan, RoutedSubtask } from '../../src/swarm/plan.js';

const subtask = (id: string, agent: string, depends_on: string[] = []): RoutedSubtask => ({
  id,
  task: `task ${id}`,
  depends_on,
  files: [],
  acceptance: [],
  assignment: { agent, source: 'routed', why: [] },
});
const plan: RoutedPlan = {
  goal: 'g',
  source: 'file',
  subtasks: [subtask('s1', 'api-designer'), subtask('s2', 'api-docs-writer', ['s1']), subtask('s3', 'sql-query-tuner')],
};
const at = (ms: number) => new Date(ms).toISOString();
const outcome = (ms: number, cost: number | null, reason?: string) => ({ ms, cost_usd: cost, ...(reason ? { reason } : {}) });

describe('renderLiveTree', () => {
  it("draws each subtask's state, agent, elapsed time and cost under the dependency it waits on", () => {
    let state = liveState(plan, 'swarm x');
    expect(renderLiveTree(state, 0)).toBe(
      'swarm x: 0/3 completed\n├─ ○ s1  waiting    api-designer\n│  └─ ○ s2  waiting    api-docs-writer\n└─ ○ s3  waiting    sql-query-tuner\n',
    );
    for (const event of [
      { event: 'subtask-started', id: 's1', agent: 'api-designer', at: at(1_000) },
      { event: 'subtask-started', id: 's3', agent: 'sql-query-tuner', at: at(1_500) },
      { event: 'subtask-finished', id: 's1', at: at(3_000), outcome: outcome(2_000, 0.0125) },
      { event: 'subtask-failed', id: 's3', at: at(3_100), outcome: outcome(1_600, null, 'timeout') },
      { event: 'subtask-started', id: 's2', agent: 'api-docs-writer', at: at(3_200) },
    ])
      state = applyLiveEvent(state, event);
    expect(renderLiveTree(state, 4_450)).toBe(
      [
        'swarm x: 1/3 completed · $0.0125',
        '├─ ✓ s1  completed  api-designer  2.0s  $0.0125',
        '│  └─ ● s2  running    api-docs-writer  1.3s',
        '└─ ✗ s3  failed     sql-query-tuner  1.6s  timeout',
        '',
      ].join('\n'),
    );
  });

  it('a follow-up scheduled while running joins the tree; long lines are cut to the width', () => {
    const followUp = subtask('s1-code-reviewer', 'code-reviewer', ['s1']);
    const state = applyLiveEvent(liveState(plan), {
      event: 'follow-up-scheduled',
      id: followUp.id,
      after: 's1',
      reason: 'r',
      subtask: followUp,
    });
    expect(renderLiveTree(state, 0, 40).split('\n')).toEqual([
      'swarm: 0/4 completed',
      '├─ ○ s1  waiting    api-designer',
      '│  ├─ ○ s2  waiting    api-docs-writer',
      '│  └─ ○ s1-code-reviewer  waiting    co…',
      '└─ ○ s3  waiting    sql-query-tuner',
      '',
    ]);
  });
});

describe('LiveView on a terminal', () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  it('a burst of events is one frame; frames come at most once per interval and replace the one before', () => {
    vi.useFakeTimers({ now: 0 });
    const written: string[] = [];
    const view = new LiveView(plan, (text) => written.push(text), { clock: () => Date.now() });
    for (let index = 0; index < 50; index++) view.onEvent({ event: 'subtask-started', id: index % 2 ? 's1' : 's3', agent: 'a', at: at(0) });
    vi.advanceTimersByTime(0);
    expect(view.frames).toBe(1);
    view.onEvent({ event: 'subtask-finished', id: 's1', at: at(10), outcome: outcome(10, null) });
    vi.advanceTimersByTime(REDRAW_INTERVAL_MS - 1);
    expect(view.frames).toBe(1);
    vi.advanceTimersByTime(1);
    expect(view.frames).toBe(2);
    expect(written[1]!.startsWith('\u001b[4F\u001b[J')).toBe(true);
    view.close();
    expect(view.frames).toBe(3);
    vi.advanceTimersByTime(5_000);
    expect(view.frames).toBe(3);
  });
});
