/**
 * The composition root for providers: resolved settings in, a Provider out. Implementations are
 * imported on first use, so loading the library (or a CLI command that never calls a model)
 * does not load the AI SDK.
 *
 * @example
 * const options = resolveProviderOptions(env);
 * const provider = await createProvider(options.providers.openai, env, runtimeFor(options));
 */
import { ProviderError, UnknownProviderError } from './errors.js';
import type { ResolvedProviderOptions, ProviderSettings } from './options.js';
import type { Provider } from './provider.js';
import { Redactor } from './redact.js';
import type { ProviderRuntime } from './runtime.js';

export function runtimeFor(options: ResolvedProviderOptions, redactor = new Redactor(options.secrets)): ProviderRuntime {
  return { redactor, requestTimeoutMs: options.requestTimeoutMs, stallTimeoutMs: options.stallTimeoutMs };
}

export async function createProvider(
  settings: ProviderSettings,
  env: Record<string, string | undefined>,
  runtime: ProviderRuntime,
): Promise<Provider> {
  if (!settings.configured) {
    throw new ProviderError('request', `${settings.id} is not configured: ${settings.missing}`, {
      provider: settings.id,
      hint: `set ${settings.missing?.split(' ')[0] ?? 'its settings'}`,
    });
  }
  switch (settings.kind) {
    case 'cli': {
      const { CliProvider } = await import('./cli-provider.js');
      return new CliProvider(settings, env, runtime);
    }
    case 'http': {
      const { HttpProvider } = await import('./http-provider.js');
      return new HttpProvider(settings, runtime);
    }
    default: {
      const [{ AiSdkProvider }, { createLanguageModel }] = await Promise.all([import('./ai-sdk-provider.js'), import('./models.js')]);
      return new AiSdkProvider(settings, await createLanguageModel(settings), runtime, (model) =>
        createLanguageModel({ ...settings, model }),
      );
    }
  }
}

/** Whether a provider kind can be sent a request that declares tools. */
export function kindSupportsTools(kind: ProviderSettings['kind']): boolean {
  return kind !== 'cli';
}

/** `unknown provider "x"` with the names that do exist. */
export function unknownProvider(name: string, options: ResolvedProviderOptions): UnknownProviderError {
  return new UnknownProviderError(name, Object.keys(options.providers).sort());
}
