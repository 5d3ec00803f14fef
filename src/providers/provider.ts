/**
 * The provider interface, version 1. Every backend — OpenAI, Anthropic, Ollama, an
 * OpenAI-compatible server, a CLI binary, codex-flow's own HTTP server — implements it, and the
 * failover chain implements it again on top of them, so a caller never knows which one answered.
 *
 * A provider call either resolves/finishes with a complete result or fails with a ProviderError
 * (see errors.ts): never a silently truncated answer.
 *
 * @example
 * const result = await provider.generate({ messages: [{ role: 'user', content: 'Say hi' }] });
 * for await (const event of provider.stream(request)) if (event.type === 'text') write(event.text);
 */
import type { ProviderError } from './errors.js';

/** Bumped when a field changes meaning; additions do not bump it. */
export const PROVIDER_INTERFACE_VERSION = 1;

export type ProviderKind = 'openai' | 'anthropic' | 'ollama' | 'openai-compatible' | 'cli' | 'http';

/** A tool the model may call; `parameters` is a JSON Schema for an object. */
export interface ToolSpec {
  name: string;
  description?: string;
  parameters: Record<string, unknown>;
}
export interface ToolCall {
  id: string;
  name: string;
  input: unknown;
}

export type Message =
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; toolName: string; result: unknown; isError?: boolean };

export interface ProviderRequest {
  /**
   * The model as a brief names it (`sonnet`, `opus`, `haiku`, a full id, `inherit`). The chain
   * maps it per provider (model-map.ts) and hands each provider the concrete id; absent, every
   * provider uses its own model.
   */
  model?: string;
  system?: string;
  messages: Message[];
  tools?: ToolSpec[];
  maxOutputTokens?: number;
  temperature?: number;
  /** Cap on the whole call; defaults to the resolved `requestTimeoutMs`. */
  timeoutMs?: number;
}

/** Tokens; `input` includes `cached` (cache reads). `estimated` when the backend reports none. */
export interface Usage {
  input: number;
  output: number;
  cached: number;
  estimated?: boolean;
}
export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'other';

/** What the response headers said about the remaining quota, when they said anything. */
export interface RateLimitSnapshot {
  remainingFraction: number;
  resetAtMs: number | null;
  source: string;
}

export interface ProviderResult {
  provider: string;
  model: string;
  text: string;
  toolCalls: ToolCall[];
  usage: Usage;
  /** USD; null when no price is known for the model. */
  costUsd: number | null;
  finishReason: FinishReason;
  /** Milliseconds; `ttftMs` is null for non-streamed calls. */
  timings: { ttftMs: number | null; totalMs: number };
  rateLimit?: RateLimitSnapshot;
}

export type StreamEvent =
  | { type: 'text'; text: string }
  | { type: 'tool-call-start'; id: string; name: string }
  | { type: 'tool-call'; call: ToolCall }
  /** Chain only: prose continues on another provider after the first chunk (opt-in). */
  | { type: 'failover'; from: string; to: string; reason: string }
  | { type: 'finish'; result: ProviderResult }
  /** Chain only: a stream with tool calls in flight was cut; `partial` is what arrived. */
  | { type: 'incomplete'; error: ProviderError; partial: ProviderResult };

export interface Provider {
  /** The name used in chains and on the command line: `openai`, `ollama`, `vllm`… */
  readonly id: string;
  readonly kind: ProviderKind;
  readonly model: string;
  readonly supportsTools: boolean;
  generate(request: ProviderRequest, signal?: AbortSignal): Promise<ProviderResult>;
  /** Yields text / tool-call events and ends with exactly one `finish`, or throws a ProviderError. */
  stream(request: ProviderRequest, signal?: AbortSignal): AsyncIterable<StreamEvent>;
}
