/**
 * Embedding endpoints through the AI SDK (`embedMany`): OpenAI `/v1/embeddings`, Ollama
 * `/api/embed`, and any OpenAI-compatible server. The base URL and key come from the same
 * environment as the chat providers (OPENAI_API_KEY, OLLAMA_HOST, OPENAI_COMPATIBLE_BASE_URL…),
 * unless `router.embeddings` names its own. Every call is bounded: at most `maxBatch` texts per
 * request, `timeoutMs` per request, no retry (a failed embedding call costs the route its
 * embedding term, never the route). Failures are ProviderErrors classified like the chat
 * providers'; a bug of ours stays what it is.
 *
 * @example
 * const provider = await aiSdkEmbeddingProvider(settings, { timeoutMs: 10_000, maxBatch: 96 }, redactor);
 * const vectors = await provider.embed(['add a resolver', 'fix the flaky test']);
 */
import type { EmbeddingModel } from 'ai';
import { classifyError } from '../classify.js';
import { ProviderError } from '../errors.js';
import type { ProviderSettings } from '../provider-settings.js';
import type { Redactor } from '../redact.js';
import type { TextEmbedder } from './types.js';

export interface EmbeddingCallLimits {
  timeoutMs: number;
  maxBatch: number;
}

/** What the calls cost so far: requests and the tokens the server reported. */
export interface EmbeddingUsage {
  calls: number;
  tokens: number;
}

export interface CountedEmbedder extends TextEmbedder {
  readonly usage: EmbeddingUsage;
}

/** Local servers take no key, but the SDK packages insist on one. */
const NO_KEY = 'no-key';

export async function aiSdkEmbeddingProvider(
  settings: ProviderSettings,
  limits: EmbeddingCallLimits,
  redactor: Redactor,
): Promise<CountedEmbedder> {
  const model = await embeddingModel(settings);
  const usage: EmbeddingUsage = { calls: 0, tokens: 0 };
  return {
    id: `${settings.id}:${settings.model}`,
    usage,
    async embed(texts) {
      const vectors: number[][] = [];
      for (let start = 0; start < texts.length; start += limits.maxBatch) {
        const batch = texts.slice(start, start + limits.maxBatch);
        vectors.push(...(await embedBatch(model, batch, settings, limits.timeoutMs, redactor, usage)));
      }
      return vectors;
    },
  };
}

async function embedBatch(
  model: EmbeddingModel,
  values: string[],
  settings: ProviderSettings,
  timeoutMs: number,
  redactor: Redactor,
  usage: EmbeddingUsage,
): Promise<number[][]> {
  const { embedMany } = await import('ai');
  const timeout = AbortSignal.timeout(timeoutMs);
  usage.calls++;
  let result: Awaited<ReturnType<typeof embedMany>>;
  try {
    result = await embedMany({ model, values, maxRetries: 0, maxParallelCalls: 1, abortSignal: timeout });
  } catch (error) {
    if (timeout.aborted) {
      throw new ProviderError('timeout', `no embeddings from ${settings.id} within ${timeoutMs} ms`, {
        provider: settings.id,
        hint: 'raise router.embeddings.timeoutMs, or check the server',
      });
    }
    throw classifyError(error, { settings, streamStarted: false, redactor });
  }
  usage.tokens += result.usage?.tokens ?? 0;
  const vectors = result.embeddings;
  const dimensions = vectors[0]?.length ?? 0;
  const wellFormed =
    vectors.length === values.length &&
    dimensions > 0 &&
    vectors.every((vector) => vector.length === dimensions && vector.every((x) => Number.isFinite(x)));
  if (!wellFormed) {
    throw new ProviderError(
      'malformed',
      `${settings.id} answered ${vectors.length} vector(s) for ${values.length} text(s), not all of one length of finite numbers`,
      { provider: settings.id },
    );
  }
  return vectors;
}

async function embeddingModel(settings: ProviderSettings): Promise<EmbeddingModel> {
  switch (settings.kind) {
    case 'openai': {
      const { createOpenAI } = await import('@ai-sdk/openai');
      return createOpenAI({ apiKey: settings.apiKey ?? NO_KEY, baseURL: settings.baseURL, name: settings.id }).embedding(settings.model);
    }
    case 'ollama': {
      const { createOllama } = await import('ollama-ai-provider-v2');
      return createOllama({
        baseURL: settings.baseURL,
        headers: settings.apiKey ? { Authorization: `Bearer ${settings.apiKey}` } : undefined,
      }).embedding(settings.model);
    }
    case 'openai-compatible': {
      const { createOpenAICompatible } = await import('@ai-sdk/openai-compatible');
      return createOpenAICompatible({ name: settings.id, baseURL: settings.baseURL!, apiKey: settings.apiKey }).embeddingModel(
        settings.model,
      );
    }
    default:
      throw new ProviderError('unsupported', `${settings.id} (${settings.kind}) has no embedding endpoint`, {
        provider: settings.id,
        hint: 'set router.embeddings.provider to openai, ollama or compatible',
      });
  }
}
