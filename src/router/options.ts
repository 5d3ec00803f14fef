/**
 * Every default of the router, resolved in one place. The config loader passes the `router:`
 * section of codex-flow.config.yaml here; library callers pass what they want to change.
 *
 * @example
 * const options = resolveRouterOptions({ top: 3, weights: { files: 3 } });
 */

/** How the lexical/embedding stage takes part: only when 0–2 found nothing, always, or never. */
export type SemanticMode = 'fallback' | 'always' | 'off';

/** Weights of S = μ·mention + α·keyword + β·regex + φ·files + γ·affinity + δ·R + σ·semantic + λ·learned − penalties. */
export interface RouterWeights {
  /** μ: the request names the agent (its id, name or brief file name): the strongest evidence. */
  mention: number;
  /** α: one fully specific keyword (used by a single agent) is worth 1. */
  keyword: number;
  /** β: a regex at priority 10 is worth one specific keyword; priority p counts p/10. */
  regex: number;
  /** φ: matching every changed file with a specific glob. */
  files: number;
  /** γ: share of the languages/frameworks in play that the agent names. */
  affinity: number;
  /** δ: the learned quality R(agent) in [0, 1]; neutral (0) until the learning layer fills it. */
  reward: number;
  /** σ: the lexical (or embedding) similarity, 1 for the best-matching agent: worth two keywords. */
  semantic: number;
  /** λ: the learned stage's score in [0, 1] (share of the request's learned evidence); 0 until something is learned. */
  learned: number;
}

export interface RouterOptions {
  weights: RouterWeights;
  /** Candidates returned by default (`--top`). */
  top: number;
  semantic: SemanticMode;
  /** Semantic candidates below this share of the best semantic score are dropped. */
  semanticMinRelative: number;
  /** Agents never routed to (reported as "disabled" by --explain). */
  disabled: string[];
}

export interface RouterConfig {
  weights?: Partial<RouterWeights>;
  top?: number;
  semantic?: SemanticMode;
  semanticMinRelative?: number;
  disabled?: string[];
}

/**
 * Defaults. A keyword is the unit; files weigh double because a changed path is hard evidence of
 * what is being worked on; affinity and R only reorder agents that triggers already found.
 */
export const DEFAULT_WEIGHTS: Readonly<RouterWeights> = Object.freeze({
  mention: 3,
  keyword: 1,
  regex: 1,
  files: 2,
  affinity: 0.5,
  reward: 0.25,
  semantic: 2,
  // λ = 4: a learned score of 0.25 (a quarter of the request's features tie it to the agent) is
  // worth one specific keyword (docs/learning.md has the held-out curves behind it).
  learned: 4,
});

/**
 * The semantic stage runs on every request by default, not only when the triggers found nothing:
 * a keyword match is often a side remark ("context" in a Go question), and the similarity puts
 * the request's subject first (docs/routing.md). `fallback` is the SPEC's cheaper behaviour.
 */
export const DEFAULT_SEMANTIC_MODE: SemanticMode = 'always';

/** Five names fit on one screen with their scores; eval asks for more to compute MRR. */
export const DEFAULT_TOP = 5;

/**
 * Semantic matches weaker than 35% of the best one are noise in practice (one shared generic
 * word); keeping them would make every fallback answer a long tail.
 */
export const DEFAULT_SEMANTIC_MIN_RELATIVE = 0.35;

/** Largest `top` accepted: beyond this a ranking is a listing. */
export const MAX_TOP = 1_000;

const SEMANTIC_MODES: readonly SemanticMode[] = ['fallback', 'always', 'off'];

export class RouterConfigError extends Error {
  override readonly name = 'RouterConfigError';
}

/** Resolves a partial router config into complete options; throws RouterConfigError on bad values. */
export function resolveRouterOptions(config: RouterConfig = {}): RouterOptions {
  const problems: string[] = [];
  const weights = { ...DEFAULT_WEIGHTS };
  for (const [name, value] of Object.entries(config.weights ?? {})) {
    if (!(name in DEFAULT_WEIGHTS))
      problems.push(`router.weights.${name} is not a weight (use ${Object.keys(DEFAULT_WEIGHTS).join(', ')})`);
    else if (value === undefined) continue;
    else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      problems.push(`router.weights.${name} must be a number ≥ 0`);
    else weights[name as keyof RouterWeights] = value;
  }
  const top = config.top ?? DEFAULT_TOP;
  if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) problems.push(`router.top must be an integer from 1 to ${MAX_TOP}`);
  const semantic = config.semantic ?? DEFAULT_SEMANTIC_MODE;
  if (!SEMANTIC_MODES.includes(semantic)) problems.push(`router.semantic must be one of ${SEMANTIC_MODES.join(', ')}`);
  const semanticMinRelative = config.semanticMinRelative ?? DEFAULT_SEMANTIC_MIN_RELATIVE;
  if (typeof semanticMinRelative !== 'number' || semanticMinRelative < 0 || semanticMinRelative > 1) {
    problems.push('router.semanticMinRelative must be a number from 0 to 1');
  }
  const disabled = config.disabled ?? [];
  if (!Array.isArray(disabled) || disabled.some((id) => typeof id !== 'string'))
    problems.push('router.disabled must be a list of agent ids');
  if (problems.length > 0) throw new RouterConfigError(problems.join('; '));
  return { weights, top, semantic, semanticMinRelative, disabled: [...disabled].sort() };
}
