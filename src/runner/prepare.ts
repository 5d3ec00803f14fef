/**
 * Preparing a task, before anything runs: which agent (named, aliased, or routed), under which
 * alias and lane, with which tool plan. Routing goes through a `RouterLike` (in the CLI the
 * `LearnedRouter`, which records the decision); tool plans are built once per alias.
 *
 * @example
 * const preparer = new TaskPreparer(new AliasResolver(fleet, options), options.tools, diagnostics, router);
 * const prepared = await preparer.prepare({ task: 'fix the flaky login test' }, 0);
 * if (prepared.ok) prepared.task.target.alias; // 'flaky-test-hunter'
 */
import { diagnostic, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';
import { explainLines } from '../router/format.js';
import type { RouteRequest, RouteResult } from '../router/types.js';
import type { AliasResolver, Target } from './aliases.js';
import type { PreparedTask } from './execute-task.js';
import type { RunnerOptions } from './options.js';
import { planTools, type ToolPlan } from './tools/policy.js';

/** Runner-up agents kept with a routed task (plan and result): enough to see how close it was. */
const ALTERNATIVES_SHOWN = 2;
/** Score terms that contributed nothing are left out of "why": they explain nothing. */
const ZERO_TERM = / = 0\.000 /;

export interface TaskSpec {
  task: string;
  /** An agent id; with `alias`, neither, the task is routed. */
  agent?: string;
  alias?: string;
  files?: string[];
  /** Extra context for the model. */
  prompt?: string;
  /** Higher runs first under a `priority` queue strategy. */
  priority?: number;
  /** The caller's id for the task, echoed in the result. */
  id?: string;
  /** Where the task was read from (a tasks file's line): the location of its diagnostics. */
  source?: SourceLocation;
}

/** Routers of src/router fit; `routeAsync` is preferred when present (semantic stage). */
export interface RouterLike {
  route(request: RouteRequest): RouteResult;
  routeAsync?(request: RouteRequest): Promise<RouteResult>;
  /** Routes as `route` does but records no decision (context a decision is weighed with, not a decision). */
  routeUnrecorded?(request: RouteRequest): RouteResult;
}

export type Prepared = { ok: true; task: PreparedTask } | { ok: false; diagnostic: Diagnostic; agent?: string; alias?: string };

export class TaskPreparer {
  private readonly toolPlans = new Map<string, ToolPlan>();

  /** `diagnostics` receives the one-time CF8004 notes about tools that are not offered. */
  constructor(
    private readonly resolver: AliasResolver,
    private readonly tools: RunnerOptions['tools'],
    private readonly diagnostics: Diagnostic[],
    private readonly router?: RouterLike,
  ) {}

  /** A task's diagnostics point at its tasks-file line when it came from one. */
  async prepare(spec: TaskSpec, index: number): Promise<Prepared> {
    const prepared = await this.prepareAt(spec, index);
    if (prepared.ok || !spec.source) return prepared;
    return { ...prepared, diagnostic: { ...prepared.diagnostic, location: spec.source } };
  }

  private async prepareAt(spec: TaskSpec, index: number): Promise<Prepared> {
    const files = spec.files ?? [];
    if (typeof spec.task !== 'string' || (spec.task.trim() === '' && files.length === 0))
      return { ok: false, diagnostic: diagnostic('CF8005', `task ${index + 1}: give a task text or files`) };
    let name = spec.alias ?? spec.agent;
    let route: PreparedTask['route'];
    if (name === undefined) {
      if (!this.router)
        return { ok: false, diagnostic: diagnostic('CF8011', `task ${index + 1}: no agent named and no router to pick one`) };
      const request = { task: spec.task, files };
      const routed = this.router.routeAsync ? await this.router.routeAsync(request) : this.router.route(request);
      const top = routed.candidates[0];
      if (!top)
        return { ok: false, diagnostic: diagnostic('CF8011', `task ${index + 1}: ${routed.fallback?.reason ?? 'no agent matched'}`) };
      name = top.id;
      route = {
        route_id: routed.routeId,
        score: top.score,
        stages: top.stages,
        why: explainLines(top).filter((line) => !ZERO_TERM.test(line)),
        alternatives: routed.candidates.slice(1, 1 + ALTERNATIVES_SHOWN).map((c) => ({ id: c.id, score: c.score })),
      };
    }
    const resolved = this.resolver.resolve(name);
    if (!resolved.ok) return { ok: false, diagnostic: resolved.diagnostic, alias: name };
    const task: PreparedTask = { index, task: spec.task, files, target: resolved.target, tools: this.toolPlan(resolved.target) };
    if (spec.id !== undefined) task.id = spec.id;
    if (spec.prompt) task.prompt = spec.prompt;
    if (route) task.route = route;
    return { ok: true, task };
  }

  /** The tool plan of an alias, built once; unavailable tools are reported once (CF8004). */
  private toolPlan(target: Target): ToolPlan {
    let plan = this.toolPlans.get(target.alias);
    if (!plan) {
      plan = planTools(target.definition, this.tools);
      this.toolPlans.set(target.alias, plan);
      for (const tool of plan.unavailable)
        this.diagnostics.push(diagnostic('CF8004', `${target.alias}: ${tool.name} is not offered: ${tool.reason}`));
    }
    return plan;
  }
}
