/**
 * What every provider implementation shares: the redactor, the time limits, and one way to turn
 * what a backend returned into a ProviderResult (cost from the resolved price, rate-limit
 * snapshot from the headers), so usage and cost mean the same thing whichever backend answered.
 */
import { costOf } from './pricing.js';
import type { ProviderSettings } from './options.js';
import type { FinishReason, ProviderResult, ToolCall, Usage } from './provider.js';
import { rateLimitSnapshot } from './rate-limit.js';
import type { Redactor } from './redact.js';

export interface ProviderRuntime {
  redactor: Redactor;
  requestTimeoutMs: number;
  stallTimeoutMs: number;
}

export interface RawResult {
  model?: string;
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
    model: raw.model ?? settings.model,
    text: raw.text,
    toolCalls: raw.toolCalls,
    usage: raw.usage,
    costUsd: costOf(raw.usage, settings.price),
    finishReason: raw.finishReason,
    timings: { ttftMs: raw.ttftMs, totalMs: raw.totalMs },
  };
  const rateLimit = rateLimitSnapshot(raw.headers, Date.now());
  if (rateLimit) result.rateLimit = rateLimit;
  return result;
}

/** A rough token count for backends that report none (~4 characters per token in English). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
