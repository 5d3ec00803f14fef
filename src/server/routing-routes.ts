/**
 * The routing endpoints: POST /v1/route (the `route --json` body), POST /v1/feedback (the
 * `feedback` command's record) and GET /v1/agents. Each works on the fleet its request arrived
 * on (request.served), whatever a reload does meanwhile, and names that fleet's hash.
 */
import type { FastifyInstance } from 'fastify';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { LATENCY_NOT_MEASURED } from '../learn/options.js';
import { foldOutcomes } from '../learn/learner.js';
import { verdictDiagnostic } from '../learn/verdicts.js';
import { fail, failWith, servedFleet, type ServerContext } from './context.js';
import type { ServedFleet } from '../project/served-fleet.js';
import { FEEDBACK_BODY, ROUTE_BODY, type FeedbackBody, type RouteBody } from './schemas.js';

export function routingRoutes(app: FastifyInstance, context: ServerContext): void {
  app.post<{ Body: RouteBody }>('/v1/route', { schema: { body: ROUTE_BODY } }, async (request, reply) => {
    const served = servedFleet(request, reply, context);
    if (!served) return reply;
    const body = request.body;
    const routeRequest = { task: (body.task ?? '').trim(), files: body.files ?? [] };
    if (routeRequest.task === '' && routeRequest.files.length === 0)
      return fail(reply, 400, 'CF9500', 'give a task or changed files (`task`, `files`)');
    const rerank = await rerankFor(served, body.rerank);
    if (rerank && rerank.diagnostics.length > 0) return failWith(reply, 503, rerank.diagnostics);
    const top = rerank?.options ? Math.max(body.top ?? served.router.options.top, rerank.options.k) : body.top;
    const started = performance.now();
    const record = body.record !== false;
    // A reranked route records its decision after the rerank, for the order shown (rerankLearned).
    const routed = served.route(routeRequest, {
      record: record && !rerank?.options,
      ...(top === undefined ? {} : { top }),
      ...(body.explore === undefined ? {} : { explore: body.explore }),
      ...(body.seed === undefined ? {} : { seed: body.seed }),
      ...(body.shadow ? { mode: 'shadow' as const } : {}),
    });
    const explanation = typeof body.explain === 'string' ? routed.router.explain(routeRequest, body.explain) : undefined;
    context.metrics.routeSeconds.observe((performance.now() - started) / 1000);
    const reranking = rerank?.options
      ? await rerank.module.rerankLearned({
          root: context.root,
          env: context.env,
          config: served.config,
          fleet: served.fleet,
          fleetHash: served.hash,
          request: routeRequest,
          learned: routed,
          record,
          top: body.top ?? served.router.options.top,
          options: rerank.options,
        })
      : undefined;
    const learned = reranking?.learned ?? routed;
    const reranked = reranking?.reranked;
    const result = reranked?.result ?? learned.result;
    const learning = {
      mode: learned.mode,
      explore: learned.explore,
      ...(learned.seed === undefined ? {} : { seed: learned.seed }),
      recorded: learned.recorded,
      ...(learned.shadow ? { shadow: learned.shadow } : {}),
    };
    return {
      ok: explanation?.known !== false,
      command: 'route',
      fleet: served.fleetShown,
      fleet_hash: served.hash,
      request: routeRequest,
      result,
      learning,
      ...(reranked ? { rerank: reranked.report } : {}),
      ...(explanation ? { explanation } : {}),
      diagnostics: [...served.diagnostics, ...result.diagnostics, ...(reranked?.diagnostics ?? [])],
    };
  });

  app.post<{ Body: FeedbackBody }>('/v1/feedback', { schema: { body: FEEDBACK_BODY } }, (request, reply) => {
    const served = servedFleet(request, reply, context);
    if (!served) return reply;
    const body = request.body;
    const { learning: learner, state, options } = served.learning;
    const decision = learner.decision(body.route_id);
    if (body.agent !== undefined && !served.agentIds.includes(body.agent) && !decision?.candidates.includes(body.agent)) {
      return fail(reply, 422, 'CF6012', `agent ${body.agent} is not in the fleet nor among the decision's candidates; nothing recorded`);
    }
    const agent = body.agent ?? decision?.chosen ?? undefined;
    if (agent === undefined)
      return fail(
        reply,
        404,
        'CF6603',
        `no recorded route decision ${body.route_id}; give \`agent\` to record the outcome without its context`,
      );
    const outcome = {
      route_id: body.route_id,
      agent,
      alias: agent,
      ok: body.ok,
      latency_ms: body.latency_ms ?? LATENCY_NOT_MEASURED,
      retries: body.retries ?? 0,
      tool_errors: body.tool_errors ?? 0,
      stop_reason: 'feedback',
      task_hash: body.route_id,
      at: new Date().toISOString(),
    };
    const recorded = learner.recordVerdict(outcome);
    if (!('stored' in recorded)) {
      // The first verdict stands (learn/verdicts.ts): a retry of it is answered as recorded, a different one is a conflict.
      const refused = verdictDiagnostic(recorded.first, recorded.same);
      if (!recorded.same) return failWith(reply, 409, [refused]);
      return { ok: true, command: 'feedback', fleet_hash: served.hash, recorded: false, verdict: recorded.first, diagnostics: [refused] };
    }
    const stored = recorded.stored;
    // The served learned model reads this state: the next route sees the outcome.
    foldOutcomes(state, [stored], new Map(), options);
    const diagnostics = decision
      ? []
      : [
          diagnostic(
            'CF6603',
            `no recorded route decision ${body.route_id}; recorded for ${agent} without the decision's context`,
            undefined,
            { severity: 'warning' },
          ),
        ];
    return {
      ok: true,
      command: 'feedback',
      fleet_hash: served.hash,
      recorded: true,
      outcome,
      context_features: stored.context?.length ?? 0,
      diagnostics,
    };
  });

  app.get('/v1/agents', (request, reply) => {
    const served = servedFleet(request, reply, context);
    if (!served) return reply;
    const agents = served.fleet.index.agents.map((agent) => ({
      id: agent.id,
      name: agent.name,
      description: agent.description,
      source: agent.source,
    }));
    return { ok: true, fleet: served.fleetShown, fleet_hash: served.hash, agents };
  });
}

/** The reranker's settings when this request may rerank (`rerank: true`, or a `router.rerank` section); its modules load only then. */
async function rerankFor(served: ServedFleet, switched: boolean | undefined) {
  if (switched === false || (switched === undefined && served.config.router?.rerank === undefined)) return undefined;
  const module = await import('../project/rerank-route.js');
  return { module, ...module.rerankSettings(served.config, undefined, switched ? 'on' : undefined) };
}
