/**
 * The learned state the learning benchmarks route over: `outcomes` requests of the same kind as
 * the timed ones (500 characters, the same changed paths), each routed and given feedback (one of
 * the top three chosen, three in four succeeding), through a router of its own. Its own: the
 * automaton fills its table rows on a state's first visit, in visit order, so a measured router
 * that had routed the warm-up requests would scan the timed ones over rows scattered among
 * theirs (its scan measured ~15 % slower than the other routers', 2–3 points of a learning
 * overhead that was not learning's).
 */
import { createRouter } from '../src/router/staged-router.js';
import { createLearnedModel, priorsFrom } from '../src/learn/model.js';
import { applyOutcome, emptyState, type LearnedState } from '../src/learn/state.js';
import { featuresOf } from '../src/learn/features.js';
import { taskOf, type CompiledCorpus } from './router-fleet.js';
import type { TriggerTable } from '../src/fleet/types.js';

export function learnedState(corpora: CompiledCorpus[], table: TriggerTable, files: readonly string[], outcomes: number): LearnedState {
  const state = emptyState();
  const warm = createRouter(
    { triggers: table },
    {
      options: { semantic: 'off', weights: { reward: 1 } },
      learned: createLearnedModel(state, priorsFrom(table), { explore: false, priorStrength: 2 }),
    },
  );
  for (let i = 0; i < outcomes; i++) {
    const task = taskOf(corpora, 500, i * 7 + 3);
    const result = warm.route({ task, files });
    const agent = result.candidates[i % 3]?.id ?? result.candidates[0]?.id;
    if (!agent) continue;
    applyOutcome(
      state,
      {
        agent,
        alias: agent,
        ok: i % 4 !== 0,
        latency_ms: 500 + (i % 100) * 10,
        retries: 0,
        tool_errors: 0,
        stop_reason: 'completed',
        task_hash: '',
        at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
      },
      featuresOf(task, files, result.fired ?? []),
      0.1,
    );
  }
  return state;
}
