/**
 * The fastify application of `codex-flow serve`: limits against slow and greedy clients, the
 * token check, the one error shape, and the endpoint groups. Every request takes the served fleet
 * once when it arrives (request.served) and every answer names it (header x-codex-flow-fleet), so
 * a reload mid-request never mixes two fleets.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { fail, FLEET_HEADER, type ServerContext } from './context.js';
import { generateRoutes } from './generate.js';
import { hookRoutes } from './hook-routes.js';
import { allowedMethods } from './method-not-allowed.js';
import { metaRoutes } from './meta-routes.js';
import { routingRoutes } from './routing-routes.js';
import { runRoutes } from './runs.js';
import { swarmRoutes } from './swarms.js';

/** What a client may cost the server; each bound says why it has its value in DEFAULT_LIMITS. */
export interface ServerLimits {
  bodyBytes: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  idleTimeoutMs: number;
  maxRequestsPerSocket: number;
  maxConnections: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  // The largest real body is a run's prompt or a pull request's file list: well under a megabyte.
  bodyBytes: 1024 * 1024,
  // A client that has not sent its headers in 10 s is slow or hostile (slowloris); its socket closes.
  headersTimeoutMs: 10_000,
  // A whole request body arrives in 30 s on any link that can use this server.
  requestTimeoutMs: 30_000,
  // Above common proxies' reuse window (5 s), below their idle close (60 s).
  keepAliveTimeoutMs: 6_000,
  // A socket with no traffic at all for two minutes is dropped (event streams send a comment every 15 s).
  idleTimeoutMs: 120_000,
  // Spreads long-lived keep-alive clients over time instead of pinning one socket forever.
  maxRequestsPerSocket: 10_000,
  // Past this, new connections are closed at once: the process stays within its file descriptors and memory.
  maxConnections: 1024,
};

/** How often Node checks sockets against the header and request timeouts: the bound on how late a slow client is cut. */
const TIMEOUT_CHECK_INTERVAL_MS = 1000;

export function createServerApp(context: ServerContext, limits: ServerLimits = DEFAULT_LIMITS): FastifyInstance<Server> {
  const app = Fastify<Server>({
    logger: false,
    bodyLimit: limits.bodyBytes,
    // A body is taken as sent: no type coercion, no silently dropped fields (the schemas refuse unknown ones).
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    maxRequestsPerSocket: limits.maxRequestsPerSocket,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionTimeout: limits.idleTimeoutMs,
    serverFactory: (handler: (request: IncomingMessage, response: ServerResponse) => void) => {
      const server = createServer(
        {
          headersTimeout: limits.headersTimeoutMs,
          requestTimeout: limits.requestTimeoutMs,
          keepAliveTimeout: limits.keepAliveTimeoutMs,
          connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
        },
        handler,
      );
      server.maxConnections = limits.maxConnections;
      server.maxRequestsPerSocket = limits.maxRequestsPerSocket;
      server.setTimeout(limits.idleTimeoutMs);
      return server;
    },
  });
  app.decorateRequest('served', undefined);
  const methodsOf = allowedMethods(app);
  app.addHook('onRequest', async (request, reply) => {
    request.served = context.holder.current;
    if (request.url === '/healthz' || context.tokens.accepts(request.headers.authorization)) return;
    await fail(
      reply.header('www-authenticate', 'Bearer'),
      401,
      'CF9502',
      request.headers.authorization ? "the bearer token is not one of the server's" : 'this server wants a bearer token',
    );
  });
  app.addHook('onSend', async (request, reply) => {
    if (request.served) reply.header(FLEET_HEADER, request.served.hash);
  });
  app.addHook('onResponse', async (request, reply) => {
    context.metrics.requests.inc({
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: String(reply.statusCode),
    });
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    const allowed = methodsOf(request.url);
    if (allowed.length === 0) return fail(reply, 404, 'CF9509', `no endpoint ${request.method} ${path}`);
    return fail(
      reply.header('allow', allowed.join(', ')),
      405,
      'CF9620',
      `${request.method} ${path} is not served; it takes ${allowed.join(', ')}`,
    );
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return fail(reply, 413, 'CF9501', `the body is over ${limits.bodyBytes} bytes`);
    if (error.validation) return fail(reply, 400, 'CF9500', validationMessage(error));
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return fail(reply, status, 'CF9500', error.message);
    context.log(`internal error on ${request.method} ${request.url}: ${error.stack ?? error.message}`);
    return reply.code(500).send({ ok: false, diagnostics: [diagnostic('CF9514', 'internal error; the server log has the details')] });
  });
  metaRoutes(app, context);
  routingRoutes(app, context);
  runRoutes(app, context);
  swarmRoutes(app, context);
  generateRoutes(app, context);
  hookRoutes(app, context);
  return app;
}

/**
 * A validation error in words a client can act on: ajv's "must NOT have additional properties"
 * does not say which, so an unknown field is named (`body.topp`), with where it sits.
 */
function validationMessage(error: FastifyError): string {
  const unknown = (error.validation ?? [])
    .filter((entry) => entry.keyword === 'additionalProperties')
    .map((entry) => {
      const field = (entry.params as { additionalProperty?: unknown }).additionalProperty;
      const at = entry.instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
      return `${error.validationContext ?? 'body'}${at ? `.${at}` : ''}.${String(field)}`;
    });
  if (unknown.length === 0) return error.message;
  return `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((name) => `\`${name}\``).join(', ')}: the endpoint does not take ${unknown.length > 1 ? 'them' : 'it'} (see /openapi.json)`;
}
