/**
 * What every provider implementation shares: the redactor, the time limits, one way to turn
 * what a backend returned into a ProviderResult (cost from the resolved price, rate-limit
 * snapshot from the headers), so usage and cost mean the same thing whichever backend answered,
 * and one tally of what a stream delivered.
 *
 * @example
 * const tally = new StreamTally();
 * for await (const piece of pieces) yield tally.addText(piece);
 * yield { type: 'finish', result: buildResult(settings, { text: tally.text, toolCalls: tally.toolCalls, usage, finishReason: 'stop', ttftMs: tally.ttftMs, totalMs: tally.elapsedMs() }) };
 */
import { costOf } from './pricing.js';
import type { ProviderSettings } from './options.js';
import { priceFor } from './provider-settings.js';
import type { FinishReason, ProviderResult, StreamEvent, ToolCall, Usage } from './provider.js';
import { rateLimitSnapshot } from './rate-limit.js';
import type { Redactor } from './redact.js';

export interface ProviderRuntime {
  redactor: Redactor;
  requestTimeoutMs: number;
  stallTimeoutMs: number;
}

export interface RawResult {
  /** The model the response names (may be a dated snapshot of the requested one). */
  model?: string;
  /** The model the request asked for; prices the call. Default: the provider's own model. */
  requestedModel?: string;
  text: string;
  toolCalls: ToolCall[];
  usage: Usage;
  finishReason: FinishReason;
  ttftMs: number | null;
  totalMs: number;
  headers?: Record<string, string | undefined>;
}

export function buildResult(settings: ProviderSettings, raw: RawResult): ProviderResult {
  const result: ProviderResult = {
    provider: settings.id,
    model: raw.model ?? raw.requestedModel ?? settings.model,
    text: raw.text,
    toolCalls: raw.toolCalls,
    usage: raw.usage,
    costUsd: costOf(raw.usage, priceFor(settings, raw.requestedModel)),
    finishReason: raw.finishReason,
    timings: { ttftMs: raw.ttftMs, totalMs: raw.totalMs },
  };
  const rateLimit = rateLimitSnapshot(raw.headers, Date.now());
  if (rateLimit) result.rateLimit = rateLimit;
  return result;
}

/** What one stream has delivered so far: text, tool calls and the time to its first token. */
export class StreamTally {
  readonly started = performance.now();
  ttftMs: number | null = null;
  text = '';
  readonly toolCalls: ToolCall[] = [];

  /** `onFirst` runs once, when the first output arrives (the call scope ends its first-data timeout). */
  constructor(private readonly onFirst?: () => void) {}

  /** The model produced something (a token, reasoning, a tool call starting). */
  mark(): void {
    if (this.ttftMs !== null) return;
    this.ttftMs = performance.now() - this.started;
    this.onFirst?.();
  }

  addText(piece: string): StreamEvent {
    this.mark();
    this.text += piece;
    return { type: 'text', text: piece };
  }

  addToolCall(call: ToolCall): StreamEvent {
    this.mark();
    this.toolCalls.push(call);
    return { type: 'tool-call', call };
  }

  elapsedMs(): number {
    return performance.now() - this.started;
  }
}

/** A rough token count for backends that report none (~4 characters per token in English). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
