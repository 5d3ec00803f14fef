/**
 * POST /v1/swarms plans a goal with the heuristic decomposer (offline, deterministic) and runs it
 * as `codex-flow swarm` does; `dry_run` answers with the routed plan and runs nothing. GET
 * /v1/swarms/:id and its event stream follow the swarm (the swarm's own events, noun-verb).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { fail, failWith, servedFleet, type ServerContext } from './context.js';
import { Job, MAX_JOBS_IN_FLIGHT, type JobSlot } from './jobs.js';
import type { ServedFleet } from '../project/served-fleet.js';
import { jobReadRoutes } from './runs.js';
import { SWARM_BODY, type SwarmBody } from './schemas.js';
import { StreamRedactors } from './stream-redactor.js';
import { Redactor, secretsFromEnv } from '../providers/redact.js';

export function swarmRoutes(app: FastifyInstance, context: ServerContext): void {
  app.post<{ Body: SwarmBody }>('/v1/swarms', { schema: { body: SWARM_BODY } }, async (request, reply) => {
    const served = servedFleet(request, reply, context);
    if (!served) return reply;
    if (context.draining) return fail(reply, 503, 'CF9507', 'the server is shutting down: no new swarms');
    // Reserved before the first await: requests arriving together each see the others' slots.
    const slot = context.jobs.reserve();
    if (!slot) return fail(reply.header('retry-after', '5'), 429, 'CF9513', `${MAX_JOBS_IN_FLIGHT} runs and swarms are in flight`);
    try {
      return await startSwarm(context, request, reply, served, slot);
    } finally {
      slot.release();
    }
  });

  jobReadRoutes(app, context, 'swarms', 'swarm');
}

/** The swarm behind POST /v1/swarms, in the place of `slot`: planned, then started as a job (or answered, for dry_run). */
async function startSwarm(
  context: ServerContext,
  request: FastifyRequest<{ Body: SwarmBody }>,
  reply: FastifyReply,
  served: ServedFleet,
  slot: JobSlot,
): Promise<FastifyReply | Record<string, unknown>> {
  const body = request.body;
  const planning = body.dry_run === true;
  const [
    { resolveSwarmOptions, SwarmOptionError },
    { openSwarmContext, swarmRunInput, SwarmSetupError },
    { buildPlan },
    { runSwarm, newSwarmId },
  ] = await Promise.all([import('../swarm/options.js'), import('../project/open-swarm.js'), import('../swarm/planner.js'), swarmModule()]);
  let options;
  let opened;
  try {
    options = resolveSwarmOptions({
      ...(body.max_subtasks ? { maxSubtasks: String(body.max_subtasks) } : {}),
      ...(body.max_parallel ? { maxParallel: String(body.max_parallel) } : {}),
      ...(body.budget_usd ? { budgetUsd: String(body.budget_usd) } : {}),
    });
    opened = await openSwarmContext({
      root: context.root,
      env: context.env,
      planning,
      budgetUsd: options.budgetUsd,
      chain: { ...(body.provider ? { provider: body.provider } : {}), ...(body.fallback ? { fallback: body.fallback } : {}) },
      providerLog: context.metrics.providerLog(),
      ...(context.configFile ? { configFile: context.configFile } : {}),
      ...(context.fleetDir ? { fleetDir: context.fleetDir } : {}),
    });
  } catch (error) {
    if (error instanceof SwarmOptionError || error instanceof SwarmSetupError) return fail(reply, 422, 'CF9510', error.message);
    throw error;
  }
  const swarm = opened.context;
  if (!swarm) return failWith(reply, 422, opened.diagnostics);
  const built = await buildPlan(
    { goal: body.goal, decomposer: 'heuristic' },
    { maxSubtasks: options.maxSubtasks, route: swarm.route, followUps: swarm.followUps() },
  );
  const diagnostics = [...opened.diagnostics, ...built.diagnostics];
  if (!built.plan || planning || hasErrors(diagnostics)) {
    await swarm.close();
    if (!built.plan || hasErrors(diagnostics)) return failWith(reply, 422, diagnostics);
    return { ok: true, dry_run: true, fleet_hash: served.hash, plan: built.plan, diagnostics };
  }
  context.metrics.watchChain(swarm.chain);
  if (swarm.chain.members.every((member) => !member.settings.configured)) {
    await swarm.close();
    return fail(reply, 422, 'CF9510', 'no provider configured on the server (dry_run plans without one)');
  }
  // Shutdown may have begun while the swarm was opening: its abort pass has run, so this swarm would never be aborted.
  if (context.draining) {
    await swarm.close();
    return fail(reply, 503, 'CF9507', 'the server is shutting down: no new swarms');
  }
  const plan = built.plan;
  const job = new Job(newSwarmId(), 'swarm', served.hash);
  // The swarm's events and logs leave the server as a run's do: through the run's redactor, logs on a window.
  const redactor = swarm.init.redactor ?? new Redactor(secretsFromEnv(context.env));
  context.jobs.start(job, slot, async (running) => {
    const streams = new StreamRedactors(redactor);
    const log = (text: string) => {
      if (text !== '') running.emit('log', { text });
    };
    try {
      let result;
      try {
        // The CLI's path (project/open-swarm.ts): hand-offs recorded and follow-ups matched as `codex-flow swarm` does.
        result = await runSwarm(plan, {
          ...swarmRunInput(swarm, options, {
            redactor,
            write: { stdout: (text) => log(streams.push('stdout', text)), stderr: (text) => log(streams.push('stderr', text)) },
          }),
          swarmId: running.id,
          signal: running.controller.signal,
          // The swarm's event log redacts each event with `init.redactor` before it reaches here.
          onEvent: (event) => running.emit(event.event, event),
        });
      } finally {
        for (const [, text] of streams.end()) log(text);
      }
      const outcome = result.report.ok ? 'ok' : 'failed';
      context.metrics.runs.inc({ outcome });
      running.finish(outcome, redactor.value({ report: result.report, dir: result.dir, diagnostics: result.diagnostics }));
    } finally {
      await swarm.close();
    }
  });
  return reply.code(202).send({
    ok: true,
    id: job.id,
    fleet_hash: served.hash,
    status: job.status,
    plan,
    links: { self: `/v1/swarms/${job.id}`, events: `/v1/swarms/${job.id}/events` },
  });
}

/** The swarm runner and a fresh swarm id (the runner's id scheme). */
async function swarmModule(): Promise<{ runSwarm: typeof import('../swarm/swarm.js').runSwarm; newSwarmId: () => string }> {
  const [{ runSwarm }, { newRunId }] = await Promise.all([import('../swarm/swarm.js'), import('../runner/run-record.js')]);
  return { runSwarm, newSwarmId: newRunId };
}
