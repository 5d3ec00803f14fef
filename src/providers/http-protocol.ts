/**
 * codex-flow HTTP protocol, version 1: how a codex-flow client asks a codex-flow server
 * (`codex-flow serve`) for a completion. It is the provider interface sent over the wire.
 *
 *   POST {base}/v1/generate
 *   Authorization: Bearer <token>            (when the server wants one)
 *   Content-Type: application/json
 *   { "protocol": 1, "model"?: string, "system"?: string, "messages": Message[],
 *     "tools"?: ToolSpec[], "maxOutputTokens"?: number, "temperature"?: number, "stream": boolean }
 *
 * `stream: false` → 200 `application/json`:
 *   { "protocol": 1, "text", "toolCalls": [{id,name,input}], "usage": {input,output,cached},
 *     "finishReason", "model" }
 *
 * `stream: true` → 200 `text/event-stream`, one JSON event per `data:` line, ending with exactly
 * one `finish` or `error` event (a stream that ends without one was cut):
 *   data: {"type":"text","text":"Hel"}
 *   data: {"type":"tool-call","id":"call_1","name":"get_weather","input":{"city":"Paris"}}
 *   data: {"type":"finish","usage":{…},"finishReason":"stop","model":"…"}
 *   data: {"type":"error","error":{"kind":"server","message":"…"}}
 *
 * Errors before the stream starts are non-2xx with `{ "error": { "kind", "message" } }`, plus
 * `Retry-After` and `x-ratelimit-*` headers where they apply. `kind` uses ProviderErrorKind.
 */
import type { FinishReason, Message, ToolCall, ToolSpec, Usage } from './provider.js';

export const HTTP_PROTOCOL_VERSION = 1;
export const HTTP_GENERATE_PATH = '/v1/generate';

export interface HttpGenerateRequest {
  protocol: typeof HTTP_PROTOCOL_VERSION;
  model?: string;
  system?: string;
  messages: Message[];
  tools?: ToolSpec[];
  maxOutputTokens?: number;
  temperature?: number;
  stream: boolean;
}

export interface HttpGenerateResponse {
  protocol: typeof HTTP_PROTOCOL_VERSION;
  text: string;
  toolCalls: ToolCall[];
  usage: Usage;
  finishReason: FinishReason;
  model: string;
}

export type HttpStreamEvent =
  | { type: 'text'; text: string }
  | ({ type: 'tool-call' } & ToolCall)
  | { type: 'finish'; usage: Usage; finishReason: FinishReason; model: string }
  | { type: 'error'; error: { kind: string; message: string } };

/** Checks an event's shape; returns a reason when it is not one of the protocol's events. */
export function checkStreamEvent(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return 'not an object';
  const event = value as Record<string, unknown>;
  switch (event.type) {
    case 'text':
      return typeof event.text === 'string' ? undefined : 'text event without text';
    case 'tool-call':
      return typeof event.id === 'string' && typeof event.name === 'string' ? undefined : 'tool-call event without id or name';
    case 'finish':
      return event.usage && typeof event.usage === 'object' ? undefined : 'finish event without usage';
    case 'error':
      return event.error && typeof event.error === 'object' ? undefined : 'error event without error';
    default:
      return `unknown event type ${JSON.stringify(event.type)}`;
  }
}
