/**
 * The server side of the codex-flow HTTP provider protocol (src/providers/http-protocol.ts):
 * POST /v1/generate runs the request on the server's own provider chain, so a client with
 * `--provider http` (CODEX_FLOW_HTTP_URL pointing here) uses this machine's providers, keys and
 * budget. The chain opens on the first call and lives as long as the server (its breakers and
 * rate-limit state are the server's). A provider failure is the protocol's error body with its
 * kind: 429 with Retry-After for a rate limit, 502 otherwise; never the upstream's 401, which the
 * client would take for its own token being wrong. A chain that cannot open (an unknown provider,
 * a bad config file) answers 422 and is not kept: the next request opens it again.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  HTTP_GENERATE_PATH,
  HTTP_PROTOCOL_VERSION,
  type HttpGenerateRequest,
  type HttpGenerateResponse,
  type HttpStreamEvent,
} from '../providers/http-protocol.js';
import type { ProviderChain } from '../providers/chain.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnostic, hasErrors } from '../diagnostics/diagnostic.js';
import { ProviderError } from '../providers/errors.js';
import type { ProviderRequest, StreamEvent } from '../providers/provider.js';
import { FLEET_HEADER, type ServerContext } from './context.js';
import { GENERATE_BODY } from './schemas.js';

export function generateRoutes(app: FastifyInstance, context: ServerContext): void {
  let chain: Promise<ProviderChain> | undefined;
  const openChain = async (): Promise<ProviderChain> => {
    const [{ loadConfig }, { createProviderChain }, { resolveProviderOptions }] = await Promise.all([
      import('../config/config.js'),
      import('../providers/chain.js'),
      import('../providers/options.js'),
    ]);
    const { config, diagnostics } = await loadConfig(context.root, context.configFile);
    if (hasErrors(diagnostics)) throw new ChainConfigError(diagnostics);
    const opened = createProviderChain({}, context.env, {
      cwd: context.root,
      resolved: resolveProviderOptions(context.env, config.providers ?? {}),
      log: context.metrics.providerLog(),
    });
    context.metrics.watchChain(opened);
    return opened;
  };
  const providerChain = (): Promise<ProviderChain> => {
    const opening = (chain ??= openChain());
    // A failed open is forgotten, so fixing the setting needs no restart.
    opening.catch(() => {
      if (chain === opening) chain = undefined;
    });
    return opening;
  };

  app.post<{ Body: HttpGenerateRequest }>(HTTP_GENERATE_PATH, { schema: { body: GENERATE_BODY } }, async (request, reply) => {
    const body = request.body;
    const providerRequest: ProviderRequest = {
      messages: body.messages,
      ...(body.model ? { model: body.model } : {}),
      ...(body.system ? { system: body.system } : {}),
      ...(body.tools ? { tools: body.tools } : {}),
      ...(body.maxOutputTokens ? { maxOutputTokens: body.maxOutputTokens } : {}),
      ...(body.temperature !== undefined ? { temperature: body.temperature } : {}),
    };
    const abort = new AbortController();
    // The client went away before the answer was complete: the provider call stops too.
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) abort.abort();
    });
    let providers: ProviderChain;
    try {
      providers = await providerChain();
    } catch (error) {
      return chainFailure(reply, error);
    }
    if (!body.stream) {
      try {
        const result = await providers.generate(providerRequest, abort.signal);
        const answer: HttpGenerateResponse = {
          protocol: HTTP_PROTOCOL_VERSION,
          text: result.text,
          toolCalls: result.toolCalls,
          usage: result.usage,
          finishReason: result.finishReason,
          model: result.model,
        };
        return answer;
      } catch (error) {
        return providerFailure(reply, error);
      }
    }
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      ...(request.served ? { [FLEET_HEADER]: request.served.hash } : {}),
    });
    const send = (event: HttpStreamEvent) => reply.raw.write(`data: ${JSON.stringify(event)}\n\n`);
    try {
      for await (const event of providers.stream(providerRequest, abort.signal)) {
        const wire = wireEvent(event);
        if (wire) send(wire);
      }
    } catch (error) {
      if (error instanceof ProviderError) send({ type: 'error', error: { kind: error.kind, message: error.message } });
      else {
        // The response is hijacked, so the error handler cannot answer: the stream ends here with the error.
        context.log(`internal error on ${request.method} ${request.url}: ${(error as Error)?.stack ?? String(error)}`);
        send({ type: 'error', error: { kind: 'internal', message: 'internal error; the server log has the details' } });
      }
    } finally {
      reply.raw.end();
    }
    return reply;
  });
}

/** A chain event as the protocol's event; none for the chain's own bookkeeping (failover notes). */
function wireEvent(event: StreamEvent): HttpStreamEvent | undefined {
  switch (event.type) {
    case 'text':
      return { type: 'text', text: event.text };
    case 'tool-call':
      return { type: 'tool-call', ...event.call };
    case 'finish':
      return { type: 'finish', usage: event.result.usage, finishReason: event.result.finishReason, model: event.result.model };
    case 'incomplete':
      return { type: 'error', error: { kind: event.error.kind, message: event.error.message } };
    default:
      return undefined;
  }
}

function providerFailure(reply: FastifyReply, error: unknown): FastifyReply {
  if (!(error instanceof ProviderError)) throw error;
  const limited = error.kind === 'rate-limit';
  if (limited && error.retryAfterMs !== undefined) reply.header('retry-after', String(Math.ceil(error.retryAfterMs / 1000)));
  return reply.code(limited ? 429 : 502).send({ error: { kind: error.kind, message: error.message } });
}

/** The config file has errors: the chain cannot open until they are fixed. */
class ChainConfigError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super('the config file has errors');
  }
}

/** A chain that did not open: the user's setting (422, in both the error shape and the protocol's) or a bug (rethrown: 500). */
function chainFailure(reply: FastifyReply, error: unknown): FastifyReply {
  let diagnostics: Diagnostic[];
  if (error instanceof ChainConfigError) diagnostics = error.diagnostics;
  else if (error instanceof ProviderError)
    diagnostics = [diagnostic('CF9510', error.message, undefined, error.hint ? { hint: error.hint } : {})];
  else throw error;
  const message = diagnostics.map((entry) => `${entry.code}: ${entry.message}`).join('; ');
  return reply.code(422).send({ ok: false, diagnostics, error: { kind: 'request', message } });
}
