/**
 * A fleet as a long-running process serves it: the router, the learned state and the fleet's hash
 * opened together as one immutable snapshot. A request takes the current snapshot once and routes
 * on it to the end, so a reload (watch-served-fleet.ts) that swaps the snapshot never shows a
 * request half of one fleet and half of another.
 *
 * @example
 * const served = await openServedFleet({ root: '/repo', env: process.env });
 * if (served.fleet) served.fleet.route({ task: 'add a resolver', files: [] }, { top: 3 });
 */
import { diagnostic, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { FleetTexts, LoadedFleet } from '../fleet/load.js';
import { openLearning, routeLearned, type LearnedRoute, type LearningOverrides, type OpenedLearning } from '../learn/open.js';
import type { CodexFlowConfig } from '../config/config.js';
import type { DecisionBatch } from '../learn/decision-batch.js';
import type { BackgroundCompaction } from './background-compaction.js';
import type { Router } from '../router/staged-router.js';
import type { RouteRequest } from '../router/types.js';
import { openRouter, type RouterBuilder } from './open-router.js';

/** One route at open builds what the router builds on first use (stages, the lexical model), before any request waits for it. */
const WARM_UP_TASK = 'warm up the router';
const WARM_UP_FILE = 'src/index.ts';

export interface ServedFleetRequest {
  root: string;
  env: Record<string, string | undefined>;
  configFile?: string;
  fleetDir?: string;
}

/** How a long-running process opens its fleets, beyond the project. */
export interface ServedFleetOpenOptions {
  /** The process's batch of route decisions (decision-batch.ts): routes record into it instead of appending on the request path. */
  decisions?: DecisionBatch;
  /** The process's outcome compaction (background-compaction.ts): feedback hands a due compaction to it instead of compacting in the request. */
  compaction?: BackgroundCompaction;
  /** Check the briefs against the fleet (a stat per brief); a reload right after its own compile skips it: that compile read them. */
  staleCheck?: boolean;
  /**
   * index.json and triggers.json as the compile thread read and checked them (worker-compile.ts):
   * the snapshot holds these texts and parses them only if a request reads the index, so a reload
   * parses neither on the event loop.
   */
  fleetTexts?: FleetTexts;
  /** Yield to the event loop between the open's phases (a server opening a fleet while it answers). */
  yieldBetweenPhases?: boolean;
}

/** Lets the event loop run what is waiting (requests, timers) between the open's phases. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface ServedRouteOptions extends LearningOverrides {
  top?: number;
  record?: boolean;
}

/** One opened fleet: everything a route needs, never mutated after opening except the learned counts. */
export class ServedFleet {
  constructor(
    readonly hash: string,
    readonly fleetShown: string,
    readonly fleet: LoadedFleet,
    readonly config: CodexFlowConfig,
    readonly router: Router,
    readonly learning: OpenedLearning,
    private readonly build: RouterBuilder,
    readonly diagnostics: readonly Diagnostic[],
    private readonly request: ServedFleetRequest,
    private readonly decisions?: DecisionBatch,
  ) {}

  /** The agents' ids, as the router numbers them (read without parsing the index). */
  get agentIds(): readonly string[] {
    return this.router.agents;
  }

  /**
   * Routes one request under the learning mode, as `codex-flow route` does. Overrides of the
   * learning options (explore, seed, shadow) open a learned model of their own for this request.
   */
  route(request: RouteRequest, options: ServedRouteOptions = {}): LearnedRoute & { router: Router } {
    const { top, record = true, ...overrides } = options;
    let learning = this.learning;
    let router = this.router;
    if (overrides.explore !== undefined || overrides.seed !== undefined || overrides.mode !== undefined) {
      learning = openLearning(this.request.root, this.config.learning, this.request.env, this.fleet, overrides);
      learning.learning.batch = this.decisions;
      router = this.build(learning.model, learning.options.rewardWeight);
    }
    const learned = routeLearned(learning, router, () => this.build(), request, top, record);
    return { ...learned, router };
  }
}

/**
 * Opens the project's fleet for serving. A bad `router:` or `learning:` section throws (the
 * caller's usage error); a missing or broken fleet comes back as diagnostics without a fleet.
 */
export async function openServedFleet(
  request: ServedFleetRequest,
  options: ServedFleetOpenOptions = {},
): Promise<{ fleet?: ServedFleet; fleetShown: string; diagnostics: Diagnostic[] }> {
  let learning: OpenedLearning | undefined;
  const opened = await openRouter({
    root: request.root,
    ...(request.configFile ? { configFile: request.configFile } : {}),
    ...(request.fleetDir ? { fleetDir: request.fleetDir } : {}),
    ...(options.staleCheck === false ? { staleCheck: false } : {}),
    ...(options.yieldBetweenPhases ? { pause: yieldToEventLoop } : {}),
    ...(options.fleetTexts ? { fleetTexts: options.fleetTexts } : {}),
    learn: (fleet, config) => {
      learning = openLearning(request.root, config, request.env, fleet);
      learning.learning.batch = options.decisions;
      learning.learning.compactor = options.compaction?.ask;
      return { ...(learning.model ? { model: learning.model } : {}), rewardWeight: learning.options.rewardWeight };
    },
  });
  const diagnostics = [...opened.diagnostics, ...(learning?.diagnostics ?? [])];
  const { router, build, fleet, hash, config } = opened;
  if (!router || !build || !fleet || !hash || !config || !learning || hasErrors(diagnostics))
    return { fleetShown: opened.fleetShown, diagnostics };
  // A served fleet reads no index from disk after it opens: the index (parsed lazily behind a
  // routing image) is read now, or held as the texts the compile thread checked, so a publish
  // that lands later can never mix into this snapshot. A publish that landed while opening shows
  // as a hash mismatch, and the caller opens again.
  if (options.yieldBetweenPhases) await yieldToEventLoop();
  const indexHash = options.fleetTexts?.hash ?? fleet.index.hash;
  if (indexHash !== hash)
    return {
      fleetShown: opened.fleetShown,
      diagnostics: [
        ...diagnostics,
        diagnostic('CF9505', `the fleet changed while it was being opened (${hash} → ${indexHash})`, undefined, {
          hint: 'it is opened again on the next change',
        }),
      ],
    };
  if (options.yieldBetweenPhases) await yieldToEventLoop();
  router.route({ task: WARM_UP_TASK, files: [WARM_UP_FILE] });
  return {
    fleet: new ServedFleet(hash, opened.fleetShown, fleet, config, router, learning, build, diagnostics, request, options.decisions),
    fleetShown: opened.fleetShown,
    diagnostics,
  };
}
