/**
 * The server's OpenAPI 3.1 document, built from the same JSON Schemas fastify validates bodies
 * with (schemas.ts), so the published contract and the enforced one cannot drift apart.
 */
import { VERSION } from '../version.js';
import { FEEDBACK_BODY, GENERATE_BODY, ROUTE_BODY, RUN_BODY, SWARM_BODY } from './schemas.js';

const ERROR = { description: 'the request was refused: `{ ok: false, diagnostics: [{ code, severity, message, hint }] }`' };

function post(summary: string, schema: object, status = '200'): Record<string, unknown> {
  return {
    post: {
      summary,
      security: [{ bearer: [] }],
      requestBody: { required: true, content: { 'application/json': { schema } } },
      responses: {
        [status]: { description: 'done; the body and the x-codex-flow-fleet header name the fleet hash used' },
        400: ERROR,
        401: ERROR,
        413: ERROR,
        422: ERROR,
        503: ERROR,
      },
    },
  };
}

function get(summary: string, open = false, events = false): Record<string, unknown> {
  const content = events ? { 'text/event-stream': {} } : { 'application/json': {} };
  return {
    get: {
      summary,
      ...(open ? { security: [] } : { security: [{ bearer: [] }] }),
      responses: { 200: { description: summary, content }, 401: ERROR, 404: ERROR },
    },
  };
}

const ID = [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }];

export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'codex-flow serve',
      version: VERSION,
      description: 'Routing, feedback, runs and swarms over a compiled codex-flow fleet (docs/serve.md).',
    },
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'a token from CODEX_FLOW_TOKENS or server.tokens; required when the server has any',
        },
      },
    },
    paths: {
      '/v1/route': post('rank the agents for a task and/or changed files (the `route --json` body)', ROUTE_BODY),
      '/v1/feedback': post('record the outcome of a routed task', FEEDBACK_BODY),
      '/v1/runs': post('start a run of one task; answers with its id', RUN_BODY, '202'),
      '/v1/runs/{id}': { ...get('a run: status and, once ended, its record'), parameters: ID },
      '/v1/runs/{id}/events': { ...get("a run's events as server-sent events", false, true), parameters: ID },
      '/v1/swarms': post('plan a goal and run the swarm (dry_run: plan only)', SWARM_BODY, '202'),
      '/v1/swarms/{id}': { ...get('a swarm: status and, once ended, its report'), parameters: ID },
      '/v1/swarms/{id}/events': { ...get("a swarm's events as server-sent events", false, true), parameters: ID },
      '/v1/generate': post("a completion on the server's providers (the HTTP provider protocol, version 1)", GENERATE_BODY),
      '/v1/hooks/user-prompt': post(
        "Claude Code's UserPromptSubmit hook input → hook output naming the subagent, an empty 200 when unsure, 400 for another event",
        {
          type: 'object',
          required: ['prompt'],
        },
      ),
      '/v1/agents': get("the served fleet's agents"),
      '/healthz': get('the process answers', true),
      '/readyz': get('a fleet is loaded: its hash and any pending diagnostics'),
      '/metrics': get('Prometheus metrics'),
      '/openapi.json': get('this document'),
    },
  };
}
