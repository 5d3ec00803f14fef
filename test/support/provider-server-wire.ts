/**
 * The wire formats the fixture server speaks, one formatter per API. Each turns a {@link Script}
 * into the bytes the real service would send: a JSON body, or stream frames split into a prelude
 * (sent with the headers), content frames (one token or tool-call fragment each, where faults and
 * delays apply) and a trailer (finish reason, usage, terminator).
 *
 * Shapes follow the public API references: OpenAI Chat Completions (`chat.completion` /
 * `chat.completion.chunk`, `data: [DONE]`), Anthropic Messages (`message_start` … `message_stop`),
 * Ollama `/api/chat` (one JSON object per line, `done: true` last) and codex-flow HTTP v1.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Script, ScriptedToolCall } from './provider-server.js';

export interface StreamFrames {
  prelude: string[];
  content: string[];
  trailer: string[];
}

export interface WireFormatter {
  streamContentType: string;
  isStreaming(body: any, headers: IncomingHttpHeaders): boolean;
  json(script: Script, body: any): unknown;
  stream(script: Script, body: any): StreamFrames;
  error(script: Script): unknown;
  rateLimitHeaders(script: Script): Record<string, string>;
  malformedFrame: string;
}

const CREATED = 1_700_000_000;

/** Splits text into word-sized tokens that keep their leading space: "a b" → ["a", " b"]. */
export function tokenize(text: string): string[] {
  return text.length === 0 ? [] : text.split(/(?=\s)/);
}

function callsOf(script: Script): Required<ScriptedToolCall>[] {
  return (script.toolCalls ?? []).map((call, index) => ({ id: call.id ?? `call_${index + 1}`, name: call.name, input: call.input }));
}

/** Tool arguments in two fragments, as services stream them. */
function argumentFragments(input: unknown): [string, string] {
  const json = JSON.stringify(input);
  const middle = Math.floor(json.length / 2);
  return [json.slice(0, middle), json.slice(middle)];
}

function usageOf(script: Script) {
  const tokens = tokenize(script.text ?? '').length + callsOf(script).length * 2;
  return {
    input: script.usage?.input ?? 12,
    output: script.usage?.output ?? Math.max(tokens, 1),
    cached: script.usage?.cached ?? 0,
  };
}

const sse = (data: unknown) => `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
const namedSse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

function openAIRateLimit(script: Script): Record<string, string> {
  if (!script.rateLimit) return {};
  const { remaining, limit, resetSeconds = 60 } = script.rateLimit;
  return {
    'x-ratelimit-limit-requests': String(limit),
    'x-ratelimit-remaining-requests': String(remaining),
    'x-ratelimit-reset-requests': `${resetSeconds}s`,
  };
}

export const formatOpenAI: WireFormatter = {
  streamContentType: 'text/event-stream',
  isStreaming: (body) => body.stream === true,
  json(script, body) {
    const calls = callsOf(script);
    const usage = usageOf(script);
    return {
      id: 'chatcmpl-fixture',
      object: 'chat.completion',
      created: CREATED,
      model: script.model ?? body.model,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: script.text ?? null,
            ...(calls.length > 0
              ? {
                  tool_calls: calls.map((c) => ({
                    id: c.id,
                    type: 'function',
                    function: { name: c.name, arguments: JSON.stringify(c.input) },
                  })),
                }
              : {}),
          },
          finish_reason: calls.length > 0 ? 'tool_calls' : 'stop',
          logprobs: null,
        },
      ],
      ...(script.omitUsage ? {} : { usage: openAIUsage(usage) }),
    };
  },
  stream(script, body) {
    const model = script.model ?? body.model;
    const chunk = (delta: unknown, finish: string | null = null) =>
      sse({
        id: 'chatcmpl-fixture',
        object: 'chat.completion.chunk',
        created: CREATED,
        model,
        choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
      });
    const content: string[] = tokenize(script.text ?? '').map((token, index) =>
      chunk(index === 0 ? { role: 'assistant', content: token } : { content: token }),
    );
    callsOf(script).forEach((call, index) => {
      const [first, second] = argumentFragments(call.input);
      content.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: first } }] }));
      content.push(chunk({ tool_calls: [{ index, function: { arguments: second } }] }));
    });
    const usage = usageOf(script);
    const finish = callsOf(script).length > 0 ? 'tool_calls' : 'stop';
    return {
      prelude: [],
      content,
      trailer: [
        chunk({}, finish),
        ...(script.omitUsage
          ? []
          : [
              sse({
                id: 'chatcmpl-fixture',
                object: 'chat.completion.chunk',
                created: CREATED,
                model,
                choices: [],
                usage: openAIUsage(usage),
              }),
            ]),
        sse('[DONE]'),
      ],
    };
  },
  error(script) {
    const status = script.status ?? 500;
    const type =
      script.errorType ??
      (status === 401
        ? 'invalid_request_error'
        : status === 429
          ? 'rate_limit_exceeded'
          : status >= 500
            ? 'server_error'
            : 'invalid_request_error');
    return {
      error: {
        message: script.errorMessage ?? `fixture error ${status}`,
        type,
        param: null,
        code: status === 401 ? 'invalid_api_key' : null,
      },
    };
  },
  rateLimitHeaders: openAIRateLimit,
  malformedFrame: 'data: {"id":"chatcmpl-fixture","choices":[{"delta":{"content":"oops\n\n',
};

function openAIUsage(usage: { input: number; output: number; cached: number }) {
  return {
    prompt_tokens: usage.input,
    completion_tokens: usage.output,
    total_tokens: usage.input + usage.output,
    prompt_tokens_details: { cached_tokens: usage.cached },
  };
}

export const formatAnthropic: WireFormatter = {
  streamContentType: 'text/event-stream',
  isStreaming: (body) => body.stream === true,
  json(script, body) {
    const calls = callsOf(script);
    const usage = usageOf(script);
    return {
      id: 'msg_fixture',
      type: 'message',
      role: 'assistant',
      model: script.model ?? body.model,
      content: [
        ...(script.text ? [{ type: 'text', text: script.text }] : []),
        ...calls.map((c) => ({ type: 'tool_use', id: c.id, name: c.name, input: c.input })),
      ],
      stop_reason: calls.length > 0 ? 'tool_use' : 'end_turn',
      stop_sequence: null,
      usage: anthropicUsage(usage),
    };
  },
  stream(script, body) {
    const usage = usageOf(script);
    const calls = callsOf(script);
    const content: string[] = [];
    let block = -1;
    tokenize(script.text ?? '').forEach((token, index) => {
      let frame = '';
      if (index === 0)
        frame += namedSse('content_block_start', {
          type: 'content_block_start',
          index: ++block,
          content_block: { type: 'text', text: '' },
        });
      frame += namedSse('content_block_delta', { type: 'content_block_delta', index: block, delta: { type: 'text_delta', text: token } });
      content.push(frame);
    });
    for (const call of calls) {
      const stopPrevious = block >= 0 ? namedSse('content_block_stop', { type: 'content_block_stop', index: block }) : '';
      block++;
      const [first, second] = argumentFragments(call.input);
      content.push(
        stopPrevious +
          namedSse('content_block_start', {
            type: 'content_block_start',
            index: block,
            content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} },
          }) +
          namedSse('content_block_delta', {
            type: 'content_block_delta',
            index: block,
            delta: { type: 'input_json_delta', partial_json: first },
          }),
      );
      content.push(
        namedSse('content_block_delta', {
          type: 'content_block_delta',
          index: block,
          delta: { type: 'input_json_delta', partial_json: second },
        }),
      );
    }
    return {
      prelude: [
        namedSse('message_start', {
          type: 'message_start',
          message: {
            id: 'msg_fixture',
            type: 'message',
            role: 'assistant',
            model: script.model ?? body.model,
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { ...anthropicUsage(usage), output_tokens: 1 },
          },
        }),
        namedSse('ping', { type: 'ping' }),
      ],
      content,
      trailer: [
        ...(block >= 0 ? [namedSse('content_block_stop', { type: 'content_block_stop', index: block })] : []),
        namedSse('message_delta', {
          type: 'message_delta',
          delta: { stop_reason: calls.length > 0 ? 'tool_use' : 'end_turn', stop_sequence: null },
          usage: { output_tokens: usage.output },
        }),
        namedSse('message_stop', { type: 'message_stop' }),
      ],
    };
  },
  error(script) {
    const status = script.status ?? 500;
    const type =
      script.errorType ??
      (
        {
          400: 'invalid_request_error',
          401: 'authentication_error',
          403: 'permission_error',
          404: 'not_found_error',
          429: 'rate_limit_error',
          529: 'overloaded_error',
        } as Record<number, string>
      )[status] ??
      'api_error';
    return { type: 'error', error: { type, message: script.errorMessage ?? `fixture error ${status}` } };
  },
  rateLimitHeaders(script): Record<string, string> {
    if (!script.rateLimit) return {};
    const { remaining, limit, resetSeconds = 60 } = script.rateLimit;
    return {
      'anthropic-ratelimit-requests-limit': String(limit),
      'anthropic-ratelimit-requests-remaining': String(remaining),
      'anthropic-ratelimit-requests-reset': new Date(Date.now() + resetSeconds * 1000).toISOString(),
    };
  },
  malformedFrame: 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":\n\n',
};

function anthropicUsage(usage: { input: number; output: number; cached: number }) {
  // Anthropic's input_tokens excludes cache reads; the total is input + cache_read.
  return {
    input_tokens: usage.input - usage.cached,
    output_tokens: usage.output,
    cache_read_input_tokens: usage.cached,
    cache_creation_input_tokens: 0,
  };
}

export const formatOllama: WireFormatter = {
  streamContentType: 'application/x-ndjson',
  // Ollama streams unless the request says `stream: false`.
  isStreaming: (body) => body.stream !== false,
  json(script, body) {
    const usage = usageOf(script);
    const calls = callsOf(script);
    return {
      model: script.model ?? body.model,
      created_at: new Date(CREATED * 1000).toISOString(),
      message: {
        role: 'assistant',
        content: script.text ?? '',
        ...(calls.length > 0 ? { tool_calls: calls.map((c) => ({ function: { name: c.name, arguments: c.input } })) } : {}),
      },
      done: true,
      done_reason: 'stop',
      ...ollamaCounts(usage),
    };
  },
  stream(script, body) {
    const model = script.model ?? body.model;
    const line = (value: unknown) => `${JSON.stringify(value)}\n`;
    const createdAt = new Date(CREATED * 1000).toISOString();
    const content = tokenize(script.text ?? '').map((token) =>
      line({ model, created_at: createdAt, message: { role: 'assistant', content: token }, done: false }),
    );
    // Ollama sends each tool call whole, in one line.
    for (const call of callsOf(script)) {
      content.push(
        line({
          model,
          created_at: createdAt,
          message: { role: 'assistant', content: '', tool_calls: [{ function: { name: call.name, arguments: call.input } }] },
          done: false,
        }),
      );
    }
    return {
      prelude: [],
      content,
      trailer: [
        line({
          model,
          created_at: createdAt,
          message: { role: 'assistant', content: '' },
          done: true,
          done_reason: 'stop',
          ...ollamaCounts(usageOf(script)),
        }),
      ],
    };
  },
  error(script) {
    return { error: script.errorMessage ?? `fixture error ${script.status ?? 500}` };
  },
  rateLimitHeaders: () => ({}),
  malformedFrame: '{"model":"broken","message":\n',
};

function ollamaCounts(usage: { input: number; output: number }) {
  return {
    total_duration: 1_000_000,
    load_duration: 1_000,
    prompt_eval_count: usage.input,
    prompt_eval_duration: 1_000,
    eval_count: usage.output,
    eval_duration: 1_000,
  };
}

export const formatCodexFlow: WireFormatter = {
  streamContentType: 'text/event-stream',
  isStreaming: (body) => body.stream === true,
  json(script, body) {
    const calls = callsOf(script);
    return {
      protocol: 1,
      text: script.text ?? '',
      toolCalls: calls,
      usage: usageOf(script),
      finishReason: calls.length > 0 ? 'tool-calls' : 'stop',
      model: script.model ?? body.model ?? 'served-model',
    };
  },
  stream(script, body) {
    const calls = callsOf(script);
    return {
      prelude: [],
      content: [
        ...tokenize(script.text ?? '').map((text) => sse({ type: 'text', text })),
        ...calls.map((call) => sse({ type: 'tool-call', ...call })),
      ],
      trailer: [
        sse({
          type: 'finish',
          usage: usageOf(script),
          finishReason: calls.length > 0 ? 'tool-calls' : 'stop',
          model: script.model ?? body.model ?? 'served-model',
        }),
      ],
    };
  },
  error(script) {
    const status = script.status ?? 500;
    const kind = status === 401 || status === 403 ? 'auth' : status === 429 ? 'rate-limit' : status >= 500 ? 'server' : 'request';
    return { error: { kind, message: script.errorMessage ?? `fixture error ${status}` } };
  },
  rateLimitHeaders: openAIRateLimit,
  malformedFrame: 'data: {"type":"text","text":\n\n',
};
