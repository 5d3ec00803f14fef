/**
 * Routing quality on every dev set at once: top-1, top-3, MRR and recall@5/10/15, the figures
 * docs/routing.md reports for each change. Fleets are compiled from the corpora in-process and
 * kept in `--fleets <dir>` (default: a temp folder per run).
 * Run: npx tsx bench/route-quality.ts [--fleets /tmp/cf-fleets] [--sets a,b] [--json]
 * Fused with embeddings: `--vectors file.json` (precomputed), or `--local <dir>` (the local
 * encoder installed in <dir>, vectors cached in <dir>/vector-cache), with
 * `--fusion linear|zscore|rrf|gated --weight w`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadFleet, type LoadedFleet } from '../src/fleet/load.js';
import { createRouter } from '../src/router/staged-router.js';
import { evaluate, parseLabels } from '../src/router/eval.js';
import { compileCollection } from '../test/support/corpus.js';
import { fusedModelFactory, type FusionOptions } from '../src/router/fusion.js';
import { lexicalModelFactory } from '../src/router/stages/semantic/semantic-stage.js';
import { EmbeddingCache, type EmbeddingProvider } from '../src/router/embeddings.js';
import { localEmbeddingProvider } from './local-encoder.js';
import { option } from './support.js';

/** `--vectors file.json`: precomputed vectors by text (a scratch run of an embedding model), as a provider. */
const vectorsFile = option('--vectors', '');
const localDir = option('--local', '');
const vectors: Record<string, number[]> = vectorsFile ? JSON.parse(readFileSync(vectorsFile, 'utf8')) : {};
const precomputed: EmbeddingProvider = {
  id: 'precomputed',
  embed: async (texts) =>
    texts.map((t) => {
      const v = vectors[t];
      if (!v) throw new Error(`no vector for ${t.slice(0, 60)}`);
      return v;
    }),
};
const memoryCache = { get: () => undefined, set: () => undefined } as unknown as EmbeddingCache;
const provider = localDir ? localEmbeddingProvider({ from: localDir }) : precomputed;
const cache = localDir ? new EmbeddingCache(join(localDir, 'vector-cache')) : memoryCache;
const fused = vectorsFile !== '' || localDir !== '';
const fusion: FusionOptions = {
  method: option('--fusion', 'linear') as FusionOptions['method'],
  weight: Number(option('--weight', '0.5')),
  k: Number(option('--k', '60')),
};

const root = join(import.meta.dirname, '..');
const VOLT = 'VoltAgent__awesome-claude-code-subagents';
const WSH = 'wshobson__agents';
const SETS: Record<string, string | undefined> = {
  sample: undefined,
  voltagent: VOLT,
  'voltagent-team': VOLT,
  wshobson: WSH,
  'voltagent.real': VOLT,
  'wshobson.real': WSH,
  'fresh-voltagent.real': VOLT,
  'fresh-wshobson.real': WSH,
};
const sets = option('--sets', Object.keys(SETS).join(',')).split(',');
const fleetsDir = option('--fleets', join(tmpdir(), `cf-fleets-${process.pid}`));

async function fleetOf(collection: string | undefined): Promise<LoadedFleet> {
  if (!collection) return loadFleet(join(root, 'codex/agents')).fleet!;
  const dir = join(fleetsDir, collection);
  if (!existsSync(join(dir, 'index.json'))) {
    for (const [file, text] of (await compileCollection(collection)).files) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
  }
  return loadFleet(dir).fleet!;
}

const pct = (x: number) => (x * 100).toFixed(1);
const rows: Array<Record<string, number | string>> = [];
for (const set of sets) {
  const file = join(root, 'test/fixtures/routing', set.endsWith('.real') ? `${set}.jsonl` : `${set}.dev.jsonl`);
  if (!existsSync(file)) continue;
  const fleet = await fleetOf(SETS[set]);
  const { labels } = parseLabels(readFileSync(file, 'utf8'), file);
  const router = createRouter(fleet, {
    options: JSON.parse(option('--options', '{}')),
    ...(fused ? { semanticModel: fusedModelFactory(lexicalModelFactory, provider, cache, fusion) } : {}),
  });
  if (fused) for (const label of labels) await router.prepare({ task: label.task, files: label.files });
  const report = evaluate(router, labels, 15);
  const recall = report.recall;
  const row = {
    set,
    n: report.total,
    top1: pct(report.top1),
    top3: pct(report.top3),
    mrr: report.mrr.toFixed(3),
    r5: pct(recall[5] ?? 0),
    r10: pct(recall[10] ?? 0),
    r15: pct(recall[15] ?? 0),
    followUps: `${report.followUps.hits}/${report.followUps.answered}`,
  };
  rows.push(row);
  if (!process.argv.includes('--json')) console.log(Object.values(row).join('\t'));
}
if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
