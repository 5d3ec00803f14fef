/**
 * AI SDK language models for the HTTP-API providers, one provider package each, loaded on first
 * use so a command that never calls a model never loads them.
 *
 * Every setting is passed explicitly: the SDK packages would otherwise read `OPENAI_BASE_URL`
 * and friends from `process.env`, bypassing the environment codex-flow was given.
 *
 * - openai: `@ai-sdk/openai`, Chat Completions (`.chat`). The Responses API is OpenAI-only; Chat
 *   Completions is what every OpenAI-compatible server speaks, so `OPENAI_BASE_URL` pointing at
 *   vLLM, LM Studio, llama.cpp or a gateway just works.
 * - anthropic: `@ai-sdk/anthropic`, Messages API.
 * - ollama: `ollama-ai-provider-v2`, the native `/api/chat` NDJSON stream, behind the NDJSON guard.
 * - openai-compatible: `@ai-sdk/openai-compatible`, with usage requested in streams.
 */
import type { LanguageModel } from 'ai';
import type { ProviderSettings } from './options.js';
import { ndjsonGuardFetch } from './ndjson-guard.js';

/** Local OpenAI-compatible servers take no key, but the SDK insists on one. */
const NO_KEY = 'no-key';

export async function createLanguageModel(settings: ProviderSettings): Promise<LanguageModel> {
  switch (settings.kind) {
    case 'openai': {
      const { createOpenAI } = await import('@ai-sdk/openai');
      return createOpenAI({ apiKey: settings.apiKey ?? NO_KEY, baseURL: settings.baseURL, name: settings.id }).chat(settings.model);
    }
    case 'anthropic': {
      const { createAnthropic } = await import('@ai-sdk/anthropic');
      const auth = settings.authToken ? { authToken: settings.authToken } : { apiKey: settings.apiKey ?? NO_KEY };
      return createAnthropic({ ...auth, baseURL: settings.baseURL }).messages(settings.model);
    }
    case 'ollama': {
      const { createOllama } = await import('ollama-ai-provider-v2');
      return createOllama({
        baseURL: settings.baseURL,
        headers: settings.apiKey ? { Authorization: `Bearer ${settings.apiKey}` } : undefined,
        fetch: ndjsonGuardFetch(settings.id),
      }).chat(settings.model);
    }
    case 'openai-compatible': {
      const { createOpenAICompatible } = await import('@ai-sdk/openai-compatible');
      return createOpenAICompatible({
        name: settings.id,
        baseURL: settings.baseURL!,
        apiKey: settings.apiKey,
        includeUsage: true,
      }).chatModel(settings.model);
    }
    default:
      throw new Error(`no AI SDK model for provider kind ${settings.kind}`);
  }
}
