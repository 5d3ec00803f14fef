/**
 * The client side of the codex-flow HTTP protocol (http-protocol.ts): another codex-flow — a
 * `codex-flow serve` on a shared machine — as a provider. Configured with `CODEX_FLOW_HTTP_URL`
 * and, when the server wants one, `CODEX_FLOW_HTTP_TOKEN`.
 *
 * The protocol is ours, so this is the one provider with its own HTTP code; SSE parsing reuses
 * the AI SDK's `parseJsonEventStream`. Errors follow the same rules as every other provider:
 * status → kind, `Retry-After` honoured, a stream without its `finish` event is cut.
 *
 * @example
 * const provider = new HttpProvider(settings, runtime);
 * await provider.generate({ messages: [{ role: 'user', content: 'hi' }] });
 */
import { jsonSchema, parseJsonEventStream } from 'ai';
import { CallScope } from './call-scope.js';
import { classifyError } from './classify.js';
import { ProviderError, kindForStatus, type ProviderErrorKind } from './errors.js';
import {
  HTTP_GENERATE_PATH,
  HTTP_PROTOCOL_VERSION,
  checkStreamEvent,
  type HttpGenerateRequest,
  type HttpGenerateResponse,
  type HttpStreamEvent,
} from './http-protocol.js';
import type { ProviderSettings } from './options.js';
import type { Provider, ProviderRequest, ProviderResult, StreamEvent, Usage } from './provider.js';
import { parseRetryAfter } from './rate-limit.js';
import { buildResult, StreamTally, type ProviderRuntime } from './runtime.js';

/** A non-JSON error body (an HTML page from a proxy) is quoted up to this length. */
const MAX_ERROR_BODY_CHARS = 200;

const EVENT_SCHEMA = jsonSchema<HttpStreamEvent>(
  { type: 'object' },
  {
    validate: (value) => {
      const problem = checkStreamEvent(value);
      return problem ? { success: false, error: new Error(problem) } : { success: true, value: value as HttpStreamEvent };
    },
  },
);

export class HttpProvider implements Provider {
  readonly id: string;
  readonly kind = 'http' as const;
  readonly model: string;
  readonly supportsTools = true;

  constructor(
    private readonly settings: ProviderSettings,
    private readonly runtime: ProviderRuntime,
  ) {
    this.id = settings.id;
    this.model = settings.model;
  }

  async generate(request: ProviderRequest, signal?: AbortSignal): Promise<ProviderResult> {
    const scope = CallScope.forCall(this.id, request, this.runtime, signal);
    const started = performance.now();
    let responded = false;
    let completed = false;
    try {
      const response = await this.post(request, false, scope);
      responded = true;
      const body = (await response.json()) as HttpGenerateResponse;
      if (typeof body?.text !== 'string' || !body.usage)
        throw new ProviderError('malformed', 'the response is not a codex-flow generate response', { provider: this.id });
      completed = true;
      return buildResult(this.settings, {
        model: body.model,
        requestedModel: request.model,
        text: body.text,
        toolCalls: body.toolCalls ?? [],
        usage: usageOf(body.usage),
        finishReason: body.finishReason ?? 'stop',
        ttftMs: null,
        totalMs: performance.now() - started,
        headers: headersOf(response),
      });
    } catch (error) {
      // after the headers, a dropped connection cut the body: not a network error
      throw this.classify(error, scope, responded);
    } finally {
      scope.finish(completed);
    }
  }

  async *stream(request: ProviderRequest, signal?: AbortSignal): AsyncGenerator<StreamEvent> {
    const scope = CallScope.forStream(this.id, request, this.runtime, signal);
    const tally = new StreamTally(() => scope.contentArrived());
    let finish: Extract<HttpStreamEvent, { type: 'finish' }> | undefined;
    let headers: Record<string, string> = {};
    let responded = false;
    let completed = false;
    try {
      const response = await this.post(request, true, scope);
      responded = true;
      headers = headersOf(response);
      if (!response.body) throw new ProviderError('malformed', 'the stream response has no body', { provider: this.id });
      for await (const parsed of parseJsonEventStream({ stream: response.body, schema: EVENT_SCHEMA })) {
        scope.touch();
        if (!parsed.success)
          throw new ProviderError('malformed', `a stream event does not parse: ${parsed.error.message.split('\n', 1)[0]}`, {
            provider: this.id,
          });
        const event = parsed.value;
        if (event.type === 'finish') {
          finish = event;
          break;
        }
        if (event.type === 'error') throw this.remoteError(event.error.kind, event.error.message);
        yield event.type === 'text' ? tally.addText(event.text) : tally.addToolCall({ id: event.id, name: event.name, input: event.input });
      }
      const abort = scope.abortError();
      if (abort) throw abort;
      if (!finish)
        throw new ProviderError('stream-cut', `the stream ended before its finish event (${tally.text.length} characters received)`, {
          provider: this.id,
        });
      completed = true;
    } catch (error) {
      throw this.classify(error, scope, responded);
    } finally {
      scope.finish(completed);
    }
    yield {
      type: 'finish',
      result: buildResult(this.settings, {
        model: finish.model,
        requestedModel: request.model,
        text: tally.text,
        toolCalls: tally.toolCalls,
        usage: usageOf(finish.usage),
        finishReason: finish.finishReason ?? 'stop',
        ttftMs: tally.ttftMs,
        totalMs: tally.elapsedMs(),
        headers,
      }),
    };
  }

  private async post(request: ProviderRequest, stream: boolean, scope: CallScope): Promise<Response> {
    const body: HttpGenerateRequest = {
      protocol: HTTP_PROTOCOL_VERSION,
      model: request.model ?? (this.settings.model === 'default' ? undefined : this.settings.model),
      system: request.system,
      messages: request.messages,
      tools: request.tools,
      maxOutputTokens: request.maxOutputTokens,
      temperature: request.temperature,
      stream,
    };
    const response = await fetch(`${this.settings.baseURL}${HTTP_GENERATE_PATH}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: stream ? 'text/event-stream' : 'application/json',
        ...(this.settings.apiKey ? { authorization: `Bearer ${this.settings.apiKey}` } : {}),
      },
      body: JSON.stringify(body),
      signal: scope.signal,
    });
    if (response.ok) return response;
    const text = await response.text().catch(() => '');
    let remote: { kind?: string; message?: string } = {};
    try {
      remote = (JSON.parse(text) as { error?: typeof remote }).error ?? {};
    } catch {
      // not our error shape: keep the status and the raw text
    }
    const kind = kindForStatus(response.status);
    throw new ProviderError(
      kind,
      this.runtime.redactor.text(remote.message ?? (text.slice(0, MAX_ERROR_BODY_CHARS) || response.statusText)),
      {
        provider: this.id,
        status: response.status,
        retryAfterMs: parseRetryAfter(headersOf(response), Date.now()),
        hint:
          kind === 'auth'
            ? `check CODEX_FLOW_HTTP_TOKEN: the server at ${this.settings.baseURL} rejected it (${response.status})`
            : undefined,
      },
    );
  }

  /** An error event inside a stream: the server's kind, when it is one we know. */
  private remoteError(kind: string, message: string): ProviderError {
    const known: ProviderErrorKind[] = [
      'auth',
      'request',
      'rate-limit',
      'server',
      'timeout',
      'network',
      'stream-cut',
      'stall',
      'malformed',
      'unsupported',
      'budget',
    ];
    return new ProviderError(
      known.includes(kind as ProviderErrorKind) ? (kind as ProviderErrorKind) : 'server',
      this.runtime.redactor.text(message),
      { provider: this.id },
    );
  }

  private classify(error: unknown, scope: CallScope, streamStarted: boolean): ProviderError | Error {
    return classifyError(error, { settings: this.settings, scope, streamStarted, redactor: this.runtime.redactor });
  }
}

function headersOf(response: Response): Record<string, string> {
  return Object.fromEntries(response.headers.entries());
}

function usageOf(usage: Partial<Usage>): Usage {
  return { input: usage.input ?? 0, output: usage.output ?? 0, cached: usage.cached ?? 0 };
}
