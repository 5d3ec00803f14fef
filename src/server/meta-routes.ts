/**
 * The endpoints about the server itself: /healthz (the process answers; open without a token, for
 * probes), /readyz (a fleet is loaded: its hash, the reloads so far and what the last reload found
 * wrong; 503 without a fleet), /metrics (Prometheus text) and /openapi.json.
 */
import type { FastifyInstance } from 'fastify';
import { VERSION } from '../version.js';
import type { ServerContext } from './context.js';
import { openApiDocument } from './openapi.js';

export function metaRoutes(app: FastifyInstance, context: ServerContext): void {
  app.get('/healthz', () => ({ ok: true, version: VERSION }));

  app.get('/readyz', (request, reply) => {
    const served = request.served;
    const body = {
      ok: served !== undefined && !context.draining,
      ...(served ? { fleet: served.fleetShown, fleet_hash: served.hash, agents: served.agentIds.length } : {}),
      reloads: context.holder.reloads,
      compiles: context.holder.compiles,
      draining: context.draining,
      diagnostics: context.holder.pending,
    };
    return reply.code(body.ok ? 200 : 503).send(body);
  });

  app.get('/metrics', async (_request, reply) => {
    const text = await context.metrics.registry.metrics();
    return reply.type(context.metrics.registry.contentType).send(text);
  });

  let document: Record<string, unknown> | undefined;
  app.get('/openapi.json', () => (document ??= openApiDocument()));
}
