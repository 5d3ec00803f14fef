/** Small TriggerTables for tests. */
import type { TriggerTable } from '../../../src/fleet/types.js';

export interface AgentSpec {
  keywords?: string[];
  regex?: Array<{ pattern: string; priority: number }>;
  files?: string[];
  tier?: 'specialist' | 'generalist' | 'coordinator';
  topics?: string[];
}

/** Builds a table the way the compiler does: sorted keys, sorted agent lists. */
export function tableOf(agents: Record<string, AgentSpec>, hash = 'sha256:test'): TriggerTable {
  const keywords: Record<string, string[]> = {};
  const file_patterns: Record<string, string[]> = {};
  const regex: TriggerTable['regex'] = [];
  for (const [id, spec] of Object.entries(agents)) {
    for (const k of spec.keywords ?? []) (keywords[k] ??= []).push(id);
    for (const f of spec.files ?? []) (file_patterns[f] ??= []).push(id);
    for (const r of spec.regex ?? []) regex.push({ ...r, agents: [id] });
  }
  const sorted = (o: Record<string, string[]>) =>
    Object.fromEntries(
      Object.entries(o)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, [...new Set(v)].sort()]),
    );
  return {
    format: 'codex-flow/fleet',
    format_version: 1,
    hash,
    keywords: sorted(keywords),
    regex,
    file_patterns: sorted(file_patterns),
    agents: Object.fromEntries(
      Object.entries(agents).map(([id, spec]) => [
        id,
        { domain: 'd', tier: spec.tier ?? 'specialist', prior: 0.5, topics: spec.topics ?? [] },
      ]),
    ),
    generalists: Object.entries(agents)
      .filter(([, spec]) => spec.tier === 'generalist')
      .map(([id]) => id)
      .sort(),
  };
}
