/**
 * Routing for `run` the way `codex-flow route` does it: the router carries the learned model
 * (src/learn), and every routing decision is recorded in the learning store, so the outcome the
 * runner records later (with the decision's `route_id`) updates the per-trigger weights of the
 * bandit, not only the agent's scorecard.
 *
 * @example
 * const router = new LearnedRouter(openLearning(root, config.learning, env, fleet), router, () => plainRouter);
 * await runTasks(tasks, { ...init, router, outcomes: new LearningOutcomeSink(root, learning.options) });
 */
import { routeLearned, type OpenedLearning } from '../learn/open.js';
import type { Router } from '../router/staged-router.js';
import type { RouteRequest, RouteResult } from '../router/types.js';
import type { RouterLike } from './prepare.js';

export class LearnedRouter implements RouterLike {
  /**
   * @param router built with `opened.model` (learning on) or without (learning off).
   * @param plain a router without the learned model, for shadow mode (built on first use).
   * @param record false for `--dry-run`: route the same way, record nothing.
   */
  constructor(
    private readonly opened: OpenedLearning,
    private readonly router: Router,
    private readonly plain: () => Router,
    private readonly record = true,
  ) {}

  route(request: RouteRequest): RouteResult {
    return routeLearned(this.opened, this.router, this.plain, request, undefined, this.record).result;
  }

  /** The learned router's answer with no decision recorded and no draw counted: the route ids of real decisions do not move. */
  routeUnrecorded(request: RouteRequest): RouteResult {
    return this.router.route(request);
  }

  /**
   * The semantic stage embeds a query asynchronously: `prepare` readies it, then the decision is
   * made and recorded synchronously with it in place; a failed model's CF6005 goes with the result.
   */
  async routeAsync(request: RouteRequest): Promise<RouteResult> {
    const problem = await this.router.prepare(request);
    const result = this.route(request);
    if (problem) result.diagnostics.push(problem);
    return result;
  }
}
