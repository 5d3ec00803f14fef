/**
 * Wiring for the commands: open the learned state for a compiled fleet, hand the router its
 * learned model, route (or shadow-route) and record the decision. The CLI stays a thin shell.
 */
import { featuresOf, wordLabels } from './features.js';
import { Learning } from './learner.js';
import { createLearnedModel, priorsFrom } from './model.js';
import { freshSeed } from './random.js';
import type { Decision } from './decisions.js';
import { resolveLearningOptions, type LearningMode, type LearningOptions } from './options.js';
import type { LearnedState } from './state.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { TriggerTable } from '../fleet/types.js';
import type { Router } from '../router/staged-router.js';
import type { LearnedModel, RouteRequest, RouteResult } from '../router/types.js';
import { fsFailure, isEnvironmentFsError } from '../util/fs-errors.js';

export interface LearningOverrides {
  mode?: LearningMode;
  explore?: boolean;
  seed?: number;
}

export interface OpenedLearning {
  options: LearningOptions;
  learning: Learning;
  state: LearnedState;
  priors: Map<string, number>;
  briefs: Map<string, string>;
  diagnostics: Diagnostic[];
  /** The seed the sampler uses (explore on), recorded with each decision. */
  seed: number | undefined;
  /** The router's learned model; undefined when learning is off. */
  model: LearnedModel | undefined;
  /** Decisions routed through this opened state so far (the sampler's draw number). */
  routed: number;
}

/**
 * Opens the learned state of a project for a compiled fleet.
 *
 * @example const opened = openLearning(process.cwd(), config.learning, process.env, fleet, { explore: false });
 */
export function openLearning(
  root: string,
  config: Record<string, unknown> | undefined,
  env: Record<string, string | undefined>,
  fleet: { triggers: Pick<TriggerTable, 'agents'>; index?: { agents: ReadonlyArray<{ id: string; hash: string }> } },
  overrides: LearningOverrides = {},
): OpenedLearning {
  const resolved = resolveLearningOptions(config ?? {}, env);
  const options: LearningOptions = { ...resolved, ...definedOnly(overrides) };
  const learning = new Learning(root, options);
  const briefs = new Map((fleet.index?.agents ?? []).map((a) => [a.id, a.hash]));
  const priors = priorsFrom(fleet.triggers);
  const { state, diagnostics } = learning.load(briefs);
  const seed = options.explore ? (options.seed ?? freshSeed()) : undefined;
  const model =
    options.mode === 'off'
      ? undefined
      : createLearnedModel(state, priors, {
          explore: options.explore,
          priorStrength: options.priorStrength,
          ...(seed === undefined ? {} : { seed }),
        });
  return { options, learning, state, priors, briefs, diagnostics, seed, model, routed: 0 };
}

export interface LearnedRoute {
  result: RouteResult;
  mode: LearningMode;
  explore: boolean;
  seed?: number;
  recorded: boolean;
  /** Why the decision could not be recorded (a folder the user cannot write, a full disk): the answer stands. */
  notRecorded?: Diagnostic;
  /** Shadow mode: the learned choice against the one made without learning. */
  shadow?: { changed: boolean; learned: string | null; plain: string | null };
  /**
   * Records the decision for the order the user is shown when it is not this route's (a
   * reranked one, cut to `top`), so feedback credits the agent shown first; for a route made with
   * `record: false`. Returns the route with `recorded` as it now stands (false with learning off).
   */
  recordShown(shown: RouteResult, now?: Date): LearnedRoute;
}

/**
 * Routes one request under the learning mode and records the decision (unless `record` is false).
 * `router` carries `opened.model`; `plain()` builds one without it (shadow mode only).
 */
export function routeLearned(
  opened: OpenedLearning,
  router: Router,
  plain: () => Router,
  asked: RouteRequest,
  top: number | undefined,
  record: boolean,
  now = new Date(),
): LearnedRoute {
  const { options } = opened;
  const override = top === undefined ? {} : { top };
  const request: RouteRequest = { ...asked, ...decisionSalt(opened, asked.idSalt) };
  opened.routed++;
  const learnedResult = router.route(request, override);
  let result = learnedResult;
  let shadow: LearnedRoute['shadow'];
  if (options.mode === 'shadow') {
    result = plain().route(request, override);
    const learnedTop = learnedResult.candidates[0]?.id ?? null;
    const plainTop = result.candidates[0]?.id ?? null;
    shadow = { changed: learnedTop !== plainTop, learned: learnedTop, plain: plainTop };
  }
  const fired = learnedResult.fired ?? [];
  let notRecorded: Diagnostic | undefined;
  const save = (shown: RouteResult, at: Date): boolean => {
    notRecorded = undefined;
    if (options.mode === 'off') return false;
    try {
      return opened.learning.recordDecision(decisionOf(opened, request, shown, fired, at, shadow));
    } catch (error) {
      // The answer is worth giving without its record; anything else is a bug and propagates.
      if (!isEnvironmentFsError(error)) throw error;
      notRecorded = diagnostic('CF9032', fsFailure(error));
      return false;
    }
  };
  const learned = (recorded: boolean): LearnedRoute => ({
    result,
    ...(notRecorded ? { notRecorded } : {}),
    mode: options.mode,
    explore: options.explore,
    ...(opened.seed === undefined ? {} : { seed: opened.seed }),
    recorded,
    ...(shadow ? { shadow } : {}),
    recordShown: (shown, at = new Date()) => learned(save(shown, at)),
  });
  return learned(record && save(result, now));
}

/**
 * What a decision depends on besides the fleet and the request, for its route id: nothing with
 * learning off; the number of outcomes learned with explore off (same log → same id, as CI needs); the
 * seed and the draw number with explore on (every sampled decision is its own, `--seed` replays it).
 * Without the salt, routing the same task again — after feedback, or with another draw — would
 * reuse the id, and `feedback` would charge whichever decision came last. The request's own salt
 * (a swarm subtask's id) is kept beside it: two subtasks with the same task and files are two
 * decisions, each with its own outcome.
 */
function decisionSalt(opened: OpenedLearning, asked: string | undefined): Pick<RouteRequest, 'idSalt'> {
  if (opened.options.mode === 'off') return asked === undefined ? {} : { idSalt: asked };
  const learned = opened.seed === undefined ? `outcomes:${opened.state.outcomes}` : `seed:${opened.seed}:${opened.routed}`;
  return { idSalt: asked === undefined ? learned : `${asked}|${learned}` };
}

function decisionOf(
  opened: OpenedLearning,
  request: RouteRequest,
  result: RouteResult,
  fired: readonly string[],
  now: Date,
  shadow: LearnedRoute['shadow'],
): Decision {
  const candidates = result.candidates.map((c) => c.id);
  const briefs: Record<string, string> = {};
  for (const id of candidates) {
    const hash = opened.briefs.get(id);
    if (hash !== undefined) briefs[id] = hash;
  }
  return {
    route_id: result.routeId,
    at: now.toISOString(),
    chosen: candidates[0] ?? null,
    candidates,
    features: featuresOf(request.task ?? '', request.files ?? [], fired),
    labels: uniqueLabels(request.task ?? ''),
    briefs,
    explore: opened.options.explore,
    ...(opened.seed === undefined ? {} : { seed: opened.seed }),
    ...(shadow ? { shadow } : {}),
  };
}

function uniqueLabels(task: string): Array<[string, string]> {
  return [...new Map(wordLabels(task)).entries()].sort(([a], [b]) => (a < b ? -1 : 1));
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
