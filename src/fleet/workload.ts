/**
 * The agent's workload tier: which kind of model chain serves it (the config maps each tier to an
 * ordered provider/model chain, docs/learning.md "Workload tiers"). Decided, in this order:
 * 1. a coordinator (src/compiler/infer/classify.ts) is an `orchestrator`: it plans and hands off, many short turns;
 * 2. the brief's `model:` when it names a size: `opus` asks for deep `reasoning`, `haiku` for a
 *    cheap fast `librarian` (lookup, summarising, documentation);
 * 3. role words in the id and folders: reviewers, architects, auditors and analysts reason;
 *    documentation, research and search agents are librarians;
 * 4. everything else writes code: `coding`.
 * `codex: agent.classification.workload` overrides the result (src/compiler/assemble.ts merges it).
 * Only the id, folders, tier and model are read, never the body (a coder's body often says "review").
 */
/** The routing tier (compiler/infer/classify.ts). */
type Tier = 'specialist' | 'generalist' | 'coordinator';

export const WORKLOADS = ['orchestrator', 'reasoning', 'coding', 'librarian'] as const;
export type Workload = (typeof WORKLOADS)[number];

const REASONING_ROLE =
  /(^|-)(architect|architecture|reviewer|review|auditor|audit|analyst|analysis|security|strategist|planner|debugger|investigator|researcher-deep|compliance|legal|risk)(-|$)/;
const LIBRARIAN_ROLE =
  /(^|-)(docs?|documentation|documenter|writer|librarian|research|researcher|search|knowledge|summarizer|summariser|explainer|tutor|readme|changelog|glossary|translator|context)(-|$)/;

export interface WorkloadInput {
  id: string;
  domain: string;
  subdomain?: string;
  model: string;
  tier: Tier;
}

/**
 * @example workloadOf({ id: 'code-reviewer', domain: 'quality', model: 'sonnet', tier: 'specialist' }) === 'reasoning'
 * @example workloadOf({ id: 'api-documenter', domain: 'docs', model: 'haiku', tier: 'specialist' }) === 'librarian'
 */
export function workloadOf(input: WorkloadInput): Workload {
  if (input.tier === 'coordinator') return 'orchestrator';
  const model = input.model.toLowerCase();
  if (model.includes('opus')) return 'reasoning';
  if (model.includes('haiku')) return 'librarian';
  const names = [input.id, input.domain, input.subdomain ?? ''].map((name) => name.toLowerCase().replace(/^\d+-/, ''));
  if (names.some((name) => REASONING_ROLE.test(name))) return 'reasoning';
  if (names.some((name) => LIBRARIAN_ROLE.test(name))) return 'librarian';
  return 'coding';
}

/** The workload of a compiled definition: its own field, or inferred for fleets compiled before tiers existed. */
export function definitionWorkload(definition: {
  agent: { id: string; model: string; classification: { domain: string; subdomain?: string; tier: Tier; workload?: Workload } };
}): Workload {
  const { agent } = definition;
  return (
    agent.classification.workload ??
    workloadOf({
      id: agent.id,
      domain: agent.classification.domain,
      ...(agent.classification.subdomain ? { subdomain: agent.classification.subdomain } : {}),
      model: agent.model,
      tier: agent.classification.tier,
    })
  );
}
