/**
 * The learned state the learning benchmarks route over: `outcomes` requests of the same kind as
 * the timed ones (500 characters, the same changed paths), each routed and given feedback (one of
 * the top three chosen, three in four succeeding), through a router of its own. Its own: the
 * automaton fills its table rows on a state's first visit, in visit order, so a measured router
 * that had routed the warm-up requests would scan the timed ones over rows scattered among
 * theirs (its scan measured ~15 % slower than the other routers', 2–3 points of a learning
 * overhead that was not learning's).
 */
import * as routerModule from '../src/router/staged-router.js';
import * as modelModule from '../src/learn/model.js';
import * as stateModule from '../src/learn/state.js';
import * as featuresModule from '../src/learn/features.js';
import type { LearnedState } from '../src/learn/state.js';
import { taskOf, type CompiledCorpus } from './router-fleet.js';
import type { TriggerTable } from '../src/fleet/types.js';
import { benchOutcome } from './support.js';

/** The modules the warm-up runs on: this tree's by default, or a build's (bench/learn-side-by-side.ts compares two). */
export interface LearningModules {
  router: Pick<typeof routerModule, 'createRouter'>;
  model: Pick<typeof modelModule, 'createLearnedModel' | 'priorsFrom'>;
  state: Pick<typeof stateModule, 'applyOutcome' | 'emptyState'>;
  features: Pick<typeof featuresModule, 'featuresOf'>;
}
const sourceModules: LearningModules = { router: routerModule, model: modelModule, state: stateModule, features: featuresModule };

export function learnedState(
  corpora: CompiledCorpus[],
  table: TriggerTable,
  files: readonly string[],
  outcomes: number,
  modules: LearningModules = sourceModules,
): LearnedState {
  const { router, model, state: fold, features } = modules;
  const state = fold.emptyState();
  const warm = router.createRouter(
    { triggers: table },
    {
      options: { semantic: 'off', weights: { reward: 1 } },
      learned: model.createLearnedModel(state, model.priorsFrom(table), { explore: false, priorStrength: 2 }),
    },
  );
  for (let i = 0; i < outcomes; i++) {
    const task = taskOf(corpora, 500, i * 7 + 3);
    const result = warm.route({ task, files });
    const agent = result.candidates[i % 3]?.id ?? result.candidates[0]?.id;
    if (!agent) continue;
    fold.applyOutcome(
      state,
      benchOutcome(agent, i % 4 !== 0, 500 + (i % 100) * 10, new Date(Date.UTC(2026, 0, 1) + i * 1000)),
      features.featuresOf(task, files, result.fired ?? []),
      0.1,
    );
  }
  return state;
}
