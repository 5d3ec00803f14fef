/**
 * Model names in briefs. Claude Code accepts aliases and full ids, and new aliases appear
 * (`fable` arrived in 2026), so the set is open: known aliases, id patterns of the common
 * families, and whatever the fleet config adds. Anything else compiles with a warning.
 */

/** Aliases Claude Code documents, plus `inherit` (use the caller's model). */
export const MODEL_ALIASES = ['fable', 'haiku', 'inherit', 'opus', 'sonnet'] as const;

/** Full model ids of families users route to; matched by prefix so new versions need no release. */
const MODEL_ID_PATTERN = /^(?:claude-|gpt-|o[1-9](?:-|$)|gemini-|llama|qwen|mistral|mixtral|deepseek|phi|gemma|codestral|command-)/i;

export function isKnownModel(model: string, extra: readonly string[]): boolean {
  return (MODEL_ALIASES as readonly string[]).includes(model) || extra.includes(model) || MODEL_ID_PATTERN.test(model);
}

export interface QualityPrior {
  reliability: number;
  responsiveness: number;
  quality: number;
}

/**
 * Routing priors before any outcome is recorded. Larger models are slower and stronger; the
 * numbers only order agents until the learning layer has evidence, so they are coarse on purpose.
 */
export function qualityPrior(model: string): QualityPrior {
  const name = model.toLowerCase();
  if (name.includes('opus')) return { reliability: 0.8, responsiveness: 0.4, quality: 0.85 };
  if (name.includes('sonnet') || name.includes('fable')) return { reliability: 0.75, responsiveness: 0.6, quality: 0.75 };
  if (name.includes('haiku')) return { reliability: 0.65, responsiveness: 0.85, quality: 0.6 };
  return { reliability: 0.7, responsiveness: 0.6, quality: 0.7 };
}
