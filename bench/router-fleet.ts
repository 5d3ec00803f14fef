/**
 * Benchmark fleets and requests built from the shared corpora: both collections compiled with
 * `codex-flow convert` (needs `npm run build`) into a temp folder, then replicated to 100, 1,000
 * and 10,000 agents with distinct ids. Copies keep half their keywords as they are (real fleets
 * share vocabulary: "react", "api") and rename the other half (real fleets also grow their
 * vocabulary), so the automaton and the regex sets grow with the fleet.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FleetIndex, TriggerTable } from '../src/fleet/types.js';

const CORPORA = {
  voltagent: '/work/shared/corpus/VoltAgent__awesome-claude-code-subagents/categories',
  wshobson: '/work/shared/corpus/wshobson__agents/plugins',
};

export interface CompiledCorpus {
  name: string;
  dir: string;
  index: FleetIndex;
  triggers: TriggerTable;
}

/** Compiles each corpus once into os.tmpdir()/codex-flow-bench/<name>/agents. */
export function compiledCorpora(root = process.env.CORPUS_ROOT): CompiledCorpus[] {
  return Object.entries(CORPORA).map(([name, src]) => {
    const dir = join(tmpdir(), 'codex-flow-bench', name, 'agents');
    if (!existsSync(join(dir, 'index.json'))) {
      execFileSync('node', ['bin/codex-flow.js', 'convert', '--src', root ? join(root, name) : src, '--out', dir], { stdio: 'ignore' });
    }
    return {
      name,
      dir,
      index: JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as FleetIndex,
      triggers: JSON.parse(readFileSync(join(dir, 'triggers.json'), 'utf8')) as TriggerTable,
    };
  });
}

/** A TriggerTable of `size` agents replicated from the corpora's tables. */
export function syntheticTable(corpora: CompiledCorpus[], size: number): TriggerTable {
  const sources = corpora.flatMap((c) => Object.keys(c.triggers.agents).map((id) => ({ id, table: c.triggers })));
  const keywords: Record<string, string[]> = {};
  const files: Record<string, string[]> = {};
  const regex: TriggerTable['regex'] = [];
  const agents: TriggerTable['agents'] = {};
  const perAgent = sources.map(({ id, table }) => ({
    keywords: Object.entries(table.keywords)
      .filter(([, ids]) => ids.includes(id))
      .map(([k]) => k),
    files: Object.entries(table.file_patterns)
      .filter(([, ids]) => ids.includes(id))
      .map(([g]) => g),
    regex: table.regex.filter((r) => r.agents.includes(id)),
    info: table.agents[id]!,
  }));
  for (let n = 0; n < size; n++) {
    const copy = Math.floor(n / sources.length);
    const source = perAgent[n % sources.length]!;
    const id = `${sources[n % sources.length]!.id}${copy === 0 ? '' : `-r${copy}`}`;
    source.keywords.forEach((k, i) => (keywords[copy > 0 && i % 2 === 1 ? `${k} ${copy}` : k] ??= []).push(id));
    for (const g of source.files) (files[g] ??= []).push(id);
    source.regex.forEach((r, i) =>
      regex.push({ pattern: copy > 0 && i % 2 === 1 ? `${r.pattern}${copy}` : r.pattern, priority: r.priority, agents: [id] }),
    );
    agents[id] = source.info;
  }
  return {
    format: 'codex-flow/fleet',
    format_version: 1,
    hash: `sha256:bench-${size}`,
    keywords,
    regex,
    file_patterns: files,
    agents,
    generalists: [],
  };
}

/** Task text of about `length` characters from the corpora's descriptions (real English). */
export function taskOf(corpora: CompiledCorpus[], length: number, seed: number): string {
  const sentences = corpora.flatMap((c) => c.index.agents.map((a) => a.description.replace(/\s+/g, ' ')));
  let text = '';
  for (let i = seed; text.length < length; i += 7) text += `${sentences[i % sentences.length]} `;
  return text.slice(0, length);
}

const DIRS = [
  'src',
  'src/server',
  'src/components',
  'infra',
  'infra/modules/vpc',
  'docs',
  '.github/workflows',
  'packages/api/src',
  'scripts',
  'test',
];
const FILES = [
  'index.ts',
  'App.tsx',
  'main.tf',
  'README.md',
  'ci.yml',
  'schema.graphql',
  'handler.py',
  'main.go',
  'Dockerfile',
  'styles.css',
  '.env.local',
  'package.json',
];

/** `count` distinct changed paths. */
export function pathsOf(count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) =>
      `${DIRS[i % DIRS.length]}/${i >= DIRS.length * FILES.length ? `f${i}-` : ''}${FILES[(i * 5 + Math.floor(i / DIRS.length)) % FILES.length]}`,
  );
}
