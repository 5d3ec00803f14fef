/**
 * POST /v1/runs starts one task under the runner, as `codex-flow run` does (routed, or a named
 * agent or alias), and answers at once with the run's id (202); GET /v1/runs/:id gives its status
 * and, once ended, the run record; GET /v1/runs/:id/events follows it as server-sent events
 * (`text` as the model writes, `end` with the status). Opening the run context per run reads the
 * project as it is now, like a CLI run would.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { fail, failWith, FLEET_HEADER, servedFleet, type ServerContext } from './context.js';
import { Job, MAX_JOBS_IN_FLIGHT, streamJob, type JobSlot } from './jobs.js';
import type { ServedFleet } from '../project/served-fleet.js';
import { ID_PARAMS, RUN_BODY, type RunBody } from './schemas.js';
import { StreamRedactors } from './stream-redactor.js';
import type { TaskSpec } from '../runner/runner.js';

export function runRoutes(app: FastifyInstance, context: ServerContext): void {
  app.post<{ Body: RunBody }>('/v1/runs', { schema: { body: RUN_BODY } }, async (request, reply) => {
    const served = servedFleet(request, reply, context);
    if (!served) return reply;
    if (context.draining) return fail(reply, 503, 'CF9507', 'the server is shutting down: no new runs');
    // Reserved before the first await: requests arriving together each see the others' slots.
    const slot = context.jobs.reserve();
    if (!slot) return fail(reply.header('retry-after', '5'), 429, 'CF9513', `${MAX_JOBS_IN_FLIGHT} runs and swarms are in flight`);
    try {
      return await startRun(context, request, reply, served, slot);
    } finally {
      slot.release();
    }
  });

  jobReadRoutes(app, context, 'runs', 'run');
}

/** The run behind POST /v1/runs, in the place of `slot`: validated, opened, then started as a job (or planned, for dry_run). */
async function startRun(
  context: ServerContext,
  request: FastifyRequest<{ Body: RunBody }>,
  reply: FastifyReply,
  served: ServedFleet,
  slot: JobSlot,
): Promise<FastifyReply | Record<string, unknown>> {
  const body = request.body;
  const spec: TaskSpec = {
    task: (body.task ?? '').trim(),
    files: body.files ?? [],
    ...(body.agent ? { agent: body.agent } : {}),
    ...(body.alias ? { alias: body.alias } : {}),
    ...(body.prompt ? { prompt: body.prompt } : {}),
  };
  if (!spec.task && spec.files?.length === 0) return fail(reply, 400, 'CF9500', 'give a task (`task`) or changed files (`files`)');
  const [{ openRunContext }, { Runner }, { UnknownProviderError }, { LearningConfigError }, { RouterConfigError }] = await Promise.all([
    import('../project/open-run.js'),
    import('../runner/runner.js'),
    import('../providers/errors.js'),
    import('../learn/options.js'),
    import('../router/options.js'),
  ]);
  let opened;
  try {
    opened = await openRunContext({
      root: context.root,
      env: context.env,
      needsRouter: !spec.agent && !spec.alias,
      dryRun: body.dry_run ?? false,
      chain: { ...(body.provider ? { provider: body.provider } : {}), ...(body.fallback ? { fallback: body.fallback } : {}) },
      providerLog: context.metrics.providerLog((event) => {
        if (event.event !== 'provider-error') context.log(`provider: ${event.event} ${event.provider}: ${event.reason}`);
      }),
      ...(context.configFile ? { configFile: context.configFile } : {}),
      ...(context.fleetDir ? { fleetDir: context.fleetDir } : {}),
    });
  } catch (error) {
    if (error instanceof UnknownProviderError) return fail(reply, 422, 'CF9510', `${error.message}; ${error.hint}`);
    if (error instanceof LearningConfigError || error instanceof RouterConfigError) return fail(reply, 422, 'CF9510', error.message);
    throw error;
  }
  const { init, chain } = opened;
  if (!init || !chain || hasErrors(opened.diagnostics)) return failWith(reply, 422, opened.redactor.value(opened.diagnostics));
  context.metrics.watchChain(chain);
  if (!body.dry_run && chain.members.every((member) => !member.settings.configured)) {
    await init.memory?.close();
    return fail(
      reply,
      422,
      'CF9510',
      `no provider configured on the server (${chain.members.map((m) => `${m.id}: ${m.settings.missing}`).join('; ')})`,
    );
  }
  if (body.dry_run) {
    const planner = await Runner.create({ ...init, record: false, write: { stdout: () => {}, stderr: () => {} } });
    try {
      const { plans, diagnostics } = await planner.plan([spec], chain.ids, (model) => chain.modelsFor(model));
      const all = opened.redactor.value([...opened.diagnostics, ...diagnostics]);
      return reply
        .code(hasErrors(all) ? 422 : 200)
        .send({ ok: !hasErrors(all), dry_run: true, fleet_hash: served.hash, plans, diagnostics: all });
    } finally {
      await init.memory?.close();
    }
  }
  let job: Job | undefined;
  // Aborted when shutdown has waited its bound for the run to end.
  const controller = new AbortController();
  // Streamed text arrives in pieces: a secret split across two is redacted on a window (stream-redactor.ts).
  const streams = new StreamRedactors(opened.redactor);
  const emitPiece = (stream: string, text: string) => {
    if (text === '') return;
    if (stream.startsWith('text:')) job?.emit('text', { task: stream.slice('text:'.length), text });
    else job?.emit('log', { text });
  };
  const runner = await Runner.create({
    ...init,
    signal: controller.signal,
    record: true,
    write: {
      stdout: (text) => emitPiece('stdout', streams.push('stdout', text)),
      stderr: (text) => emitPiece('stderr', streams.push('stderr', text)),
    },
    onText: (task, text) => emitPiece(`text:${task.id}`, streams.push(`text:${task.id}`, text)),
  });
  // Shutdown may have begun while the run was opening: its abort pass has run, so this run would never be aborted.
  if (context.draining) {
    await init.memory?.close();
    return fail(reply, 503, 'CF9507', 'the server is shutting down: no new runs');
  }
  job = new Job(runner.runId, 'run', served.hash, controller);
  context.jobs.start(job, slot, async (running) => {
    try {
      let result;
      try {
        result = await runner.runTasks([spec]);
      } finally {
        for (const [stream, text] of streams.end()) emitPiece(stream, text);
      }
      chain.flush();
      const outcome = result.ok ? 'ok' : 'failed';
      context.metrics.runs.inc({ outcome });
      running.finish(outcome, opened.redactor.value(result));
      if (runner.internalErrors.length > 0)
        context.log(`internal error in run ${running.id}: ${runner.internalErrors[0]!.stack ?? runner.internalErrors[0]!.message}`);
    } finally {
      await init.memory?.close();
    }
  });
  return reply.code(202).send({
    ok: true,
    id: job.id,
    fleet_hash: served.hash,
    status: job.status,
    links: { self: `/v1/runs/${job.id}`, events: `/v1/runs/${job.id}/events` },
  });
}

/** GET /v1/<kind>/:id and its event stream, for runs and swarms alike. */
export function jobReadRoutes(app: FastifyInstance, context: ServerContext, plural: string, kind: 'run' | 'swarm'): void {
  app.get<{ Params: { id: string } }>(`/v1/${plural}/:id`, { schema: { params: ID_PARAMS } }, (request, reply) => {
    const job = context.jobs.get(request.params.id);
    if (!job || job.kind !== kind) return fail(reply, 404, 'CF9506', `no ${kind} ${request.params.id}`);
    return job.view();
  });
  app.get<{ Params: { id: string } }>(`/v1/${plural}/:id/events`, { schema: { params: ID_PARAMS } }, (request, reply) => {
    const job = context.jobs.get(request.params.id);
    if (!job || job.kind !== kind) return fail(reply, 404, 'CF9506', `no ${kind} ${request.params.id}`);
    streamJob(reply, job, { [FLEET_HEADER]: job.fleetHash });
    return reply;
  });
}
