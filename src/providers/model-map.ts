/**
 * A brief's `model:` on each provider. Briefs name a model the way Claude Code does — an alias
 * (`sonnet`, `opus`, `haiku`, `fable`), a full model id, or `inherit` — but every provider has its
 * own names, and a chain may fail over from one provider to another. So the name is mapped per
 * provider through a table: built-in defaults per provider kind, overridden (or extended, with
 * any name) by `providers.models.<provider id>` in the config. Resolution for one provider:
 *
 * 1. absent or `inherit`: the provider's own model (`OPENAI_MODEL`, the built-in default…);
 * 2. a name in the provider's table (case-insensitive): the model it maps to (`inherit`: its own);
 * 3. a Claude Code alias with no entry: the provider's own model;
 * 4. an unknown alias — a misspelt Claude Code alias anywhere, or any bare word on a hosted
 *    provider (OpenAI and Anthropic ids always carry a digit or a dash): the provider's own model,
 *    flagged `unknown` so the run warns (CF7021) with a hint, since sending it would fail with a
 *    404 and stop the chain instead of serving the request;
 * 5. a full id of a hosted family the provider does not serve (`claude-…` on OpenAI, `gpt-…` on
 *    Anthropic or Ollama): the provider's own model, for the same reason;
 * 6. any other full id: passed through unchanged.
 *
 * The CLI provider runs a fixed command: a model reaches it only through a `{model}` word in
 * CODEX_FLOW_CLI_CMD, so without one the command's own model is reported.
 *
 * @example
 * resolveModel(settings.anthropic, 'opus', table.anthropic); // { model: 'claude-opus-4-5', source: 'mapped' }
 * resolveModel(settings.openai, 'claude-opus-4-5', table.openai); // { model: 'gpt-4.1-mini', source: 'default', … }
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { closest } from '../util/closest.js';
import type { ProviderKind } from './provider.js';

/** The aliases a Claude Code brief can name (the compiler's list, less `inherit`). */
export const MODEL_ALIASES = ['opus', 'sonnet', 'haiku', 'fable'] as const;

/** The word of CODEX_FLOW_CLI_CMD the mapped model replaces. */
export const MODEL_PLACEHOLDER = '{model}';

/**
 * Built-in tables by provider kind. Anthropic's aliases are its current models; OpenAI's follow
 * the same large / medium / small split within the GPT-4.1 family, whose mini is OpenAI's default
 * here, so a `sonnet` brief keeps that default. Ollama, OpenAI-compatible servers, the CLI and
 * the HTTP provider have none: they serve whatever someone installed, so every alias uses the
 * provider's own model until the config maps it.
 */
export const DEFAULT_MODEL_TABLES: Partial<Record<ProviderKind, ModelTable>> = {
  anthropic: { opus: 'claude-opus-4-5', sonnet: 'claude-sonnet-4-5', haiku: 'claude-haiku-4-5' },
  openai: { opus: 'gpt-4.1', sonnet: 'gpt-4.1-mini', haiku: 'gpt-4.1-nano' },
};

export type ModelTable = Readonly<Record<string, string>>;

export interface ResolvedModel {
  model: string;
  /** `default`: the provider's own model · `mapped`: from the table · `passthrough`: the full id as given. */
  source: 'default' | 'mapped' | 'passthrough';
  /** Why a named model was not used, when it was not. */
  note?: string;
  /** The name is neither an alias, a table entry nor a model id: a run warns (CF7021). */
  unknown?: true;
  /** A known alias the unknown name is probably a typo of. */
  suggestion?: string;
}

/** The table of a provider: the built-in one of its kind, then the config's entries on top, keys in lower case. */
export function modelTable(kind: ProviderKind, configured: ModelTable | undefined): ModelTable {
  const table: Record<string, string> = { ...DEFAULT_MODEL_TABLES[kind] };
  for (const [name, model] of Object.entries(configured ?? {})) table[name.toLowerCase()] = model;
  return table;
}

/** The provider family a full model id belongs to, when its name says so. */
function familyOf(model: string): 'anthropic' | 'openai' | undefined {
  if (model.startsWith('claude-') || model.startsWith('anthropic/')) return 'anthropic';
  if (/^(gpt-|chatgpt-|o\d(-|$)|openai\/)/.test(model)) return 'openai';
  return undefined;
}

/** Hosted APIs whose model ids all carry a digit or a dash: a bare word there is never an id. */
function hostedFamily(kind: ProviderKind): 'anthropic' | 'openai' | undefined {
  return kind === 'anthropic' || kind === 'openai' ? kind : undefined;
}

/**
 * The model one provider uses for a brief's `model:`.
 *
 * @example resolveModel({ kind: 'ollama', model: 'llama3.2' }, 'sonnet', {}).model === 'llama3.2'
 */
export function resolveModel(
  settings: { kind: ProviderKind; model: string; command?: string },
  requested: string | undefined,
  table: ModelTable,
): ResolvedModel {
  const name = requested?.trim();
  const own = (note?: string): ResolvedModel => ({ model: settings.model, source: 'default', ...(note ? { note } : {}) });
  if (!name || name.toLowerCase() === 'inherit') return own();
  if (settings.kind === 'cli' && !settings.command?.includes(MODEL_PLACEHOLDER))
    return own(`the command picks the model (no ${MODEL_PLACEHOLDER} in its template)`);
  const lower = name.toLowerCase();
  const mapped = table[lower];
  if (mapped) return mapped === 'inherit' ? own(`${name} is mapped to inherit`) : { model: mapped, source: 'mapped' };
  if ((MODEL_ALIASES as readonly string[]).includes(lower)) return own(`no ${lower} model mapped for this provider`);
  const hosted = hostedFamily(settings.kind);
  if (/^[a-z]+$/i.test(name)) {
    const suggestion = closest(lower, MODEL_ALIASES);
    if (suggestion || hosted) {
      return {
        ...own(`${name} is not a model name${suggestion ? `: did you mean ${suggestion}?` : ` this provider knows`}`),
        unknown: true,
        ...(suggestion ? { suggestion } : {}),
      };
    }
  }
  const family = familyOf(lower);
  // A gateway (OpenAI-compatible, HTTP, a CLI) may serve any family; Ollama serves local models only.
  const foreign = family !== undefined && (hosted ? family !== hosted : settings.kind === 'ollama');
  if (foreign) return own(`${name} is an ${family} model`);
  return { model: name, source: 'passthrough' };
}

/** CF7021 for a name `provider` could not map: what runs instead, and how to name or map it. */
export function unknownModelDiagnostic(provider: string, requested: string, resolved: ResolvedModel): Diagnostic {
  const guess = resolved.suggestion ? `did you mean ${resolved.suggestion}? ` : '';
  return diagnostic(
    'CF7021',
    `model \`${requested}\` is not a model name ${provider} knows: it runs ${resolved.model}, the provider's own model`,
    undefined,
    {
      hint: `${guess}name sonnet, opus, haiku, inherit or a full model id in the brief's model:, or map it under providers.models.${provider}.${requested.toLowerCase()} in codex-flow.config.yaml`,
    },
  );
}
