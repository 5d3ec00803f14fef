/**
 * `router.embeddings` → a text embedder: the provider's settings from the same environment as
 * the chat providers (key, base URL), overridden by the section's `baseURL` and `apiKeyEnv`, and
 * its embedding model. A provider that cannot be used (no key, no URL) is a reason, not an
 * error: the route goes on with words alone and says why.
 *
 * @example
 * const opened = await openTextEmbedder({ provider: 'ollama', model: 'nomic-embed-text' }, { root, env });
 * if ('problem' in opened) warn(opened.problem);
 */
import type { EmbeddingsConfig } from './config.js';
import { DEFAULT_EMBEDDING_MODELS, resolveEmbeddingsConfig } from './config.js';
import type { CountedEmbedder } from './ai-sdk-embeddings.js';

type Env = Record<string, string | undefined>;

export type OpenedEmbedder = { embedder: CountedEmbedder; model: string } | { problem: string };

export async function openTextEmbedder(section: EmbeddingsConfig, context: { root: string; env: Env }): Promise<OpenedEmbedder> {
  const config = resolveEmbeddingsConfig(section);
  const [{ builtinProviderSettings }, { Redactor, secretsFromEnv }, { aiSdkEmbeddingProvider }] = await Promise.all([
    import('../provider-settings.js'),
    import('../redact.js'),
    import('./ai-sdk-embeddings.js'),
  ]);
  const base = builtinProviderSettings(context.env, {})[config.provider]!;
  const apiKey = config.apiKeyEnv ? context.env[config.apiKeyEnv]?.trim() || undefined : base.apiKey;
  const baseURL = config.baseURL?.replace(/\/+$/, '') ?? base.baseURL;
  const model = config.model ?? DEFAULT_EMBEDDING_MODELS[config.provider];
  const problem = missingSetting(config.provider, { apiKey, baseURL, model, apiKeyEnv: config.apiKeyEnv ?? base.credentialEnv });
  if (problem) return { problem };
  const settings = { ...base, apiKey, baseURL, model: model!, configured: true, missing: undefined };
  const redactor = new Redactor(secretsFromEnv(context.env));
  return { model: model!, embedder: await aiSdkEmbeddingProvider(settings, config, redactor) };
}

/** Why the provider cannot be called, or undefined. */
function missingSetting(
  provider: 'openai' | 'ollama' | 'compatible',
  found: { apiKey?: string; baseURL?: string; model?: string; apiKeyEnv?: string },
): string | undefined {
  if (!found.baseURL) return `router.embeddings: ${provider} has no base URL (set router.embeddings.baseURL)`;
  if (!found.model) return `router.embeddings: ${provider} needs a model (set router.embeddings.model)`;
  if (provider === 'openai' && !found.apiKey && found.baseURL === 'https://api.openai.com/v1') {
    return `router.embeddings: ${found.apiKeyEnv ?? 'OPENAI_API_KEY'} is not set`;
  }
  return undefined;
}
