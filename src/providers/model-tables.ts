/**
 * `providers.models` of the config, checked against the providers that exist: per provider id, a
 * table from the names briefs use to model ids, laid over the built-in table of the provider's
 * kind (model-map.ts). providers-config.ts has already checked the shape (mappings of strings);
 * this checks the meaning. Each entry that cannot be right is a CF7022 warning naming it, with a
 * hint, and is ignored; the rest apply. Nothing here throws.
 *
 * @example
 * modelTables(settings, { anthropic: { opus: 'claude-opus-4-1' }, antropic: { haiku: 'x' } }, diagnostics);
 * // anthropic's opus → claude-opus-4-1; one warning: no provider named antropic (did you mean anthropic?)
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { closest } from '../util/closest.js';
import { MODEL_ALIASES, modelTable, type ModelTable } from './model-map.js';
import type { ProviderSettings } from './provider-settings.js';

const WHERE = 'in codex-flow.config.yaml';

/** Every provider's table: the built-in one of its kind with the config's valid entries on top. */
export function modelTables(
  providers: Record<string, ProviderSettings>,
  configured: Record<string, Record<string, string>> | undefined,
  diagnostics: Diagnostic[],
): Record<string, ModelTable> {
  const warn = (message: string, hint: string) => diagnostics.push(diagnostic('CF7022', message, undefined, { hint }));
  const ids = Object.keys(providers).sort();
  for (const id of Object.keys(configured ?? {})) {
    if (providers[id]) continue;
    const guess = closest(id, ids);
    warn(
      `providers.models.${id}: there is no provider named ${id}; ignored`,
      `${guess ? `did you mean ${guess}? ` : ''}use a provider name (${ids.join(', ')}) or one of providers.definitions ${WHERE}`,
    );
  }
  return Object.fromEntries(
    Object.entries(providers).map(([id, settings]) => [id, modelTable(settings.kind, checkedEntries(id, configured?.[id], warn))]),
  );
}

function checkedEntries(id: string, table: Record<string, string> | undefined, warn: (message: string, hint: string) => void): ModelTable {
  const kept: Record<string, string> = {};
  for (const [name, model] of Object.entries(table ?? {})) {
    const path = `providers.models.${id}.${name}`;
    if (name.toLowerCase() === 'inherit') {
      warn(`${path}: inherit always means the provider's own model; ignored`, `remove ${path} ${WHERE}`);
      continue;
    }
    if ((MODEL_ALIASES as readonly string[]).includes(model.toLowerCase())) {
      warn(
        `${path}: ${model} is an alias, not a model id; ignored`,
        `map ${name} to a full model id ${id} serves, or to inherit for its own model`,
      );
      continue;
    }
    const alias =
      /^[a-z]+$/i.test(name) && !(MODEL_ALIASES as readonly string[]).includes(name.toLowerCase())
        ? closest(name, MODEL_ALIASES)
        : undefined;
    // Kept: the table is open to names of the user's own, but a brief naming the alias will not reach this entry.
    if (alias)
      warn(
        `providers.models.${id}: \`${name}\` looks like a misspelt ${alias}; kept as a name of its own`,
        `did you mean ${alias}? rename the key ${WHERE}`,
      );
    kept[name] = model;
  }
  return kept;
}
