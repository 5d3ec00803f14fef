/**
 * Held-out learning curves on the four dev sets, one shuffle per seed, with the spread over
 * seeds: what docs/learning.md reports. Fleets are compiled from the corpora into a temp dir.
 * Run: npx tsx bench/learn-curves.ts [--seeds 1-5] [--sets sample,voltagent,voltagent-team,wshobson] [--fleets dir]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFleet, type LoadedFleet } from '../src/fleet/load.js';
import { createRouter } from '../src/router/staged-router.js';
import { parseLabels } from '../src/router/eval.js';
import { learningCurve } from '../src/learn/learning-curve.js';
import { priorsFrom } from '../src/learn/model.js';
import { loadCompiledCollection } from '../test/support/corpus.js';

const root = join(import.meta.dirname, '..');
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const [from, to] = arg('--seeds', '1-5').split('-').map(Number) as [number, number];
const sets = arg('--sets', 'sample,voltagent,voltagent-team,wshobson').split(',');
const suffix = arg('--suffix', '.dev.jsonl');
const collections: Record<string, string | undefined> = {
  sample: undefined,
  voltagent: 'VoltAgent__awesome-claude-code-subagents',
  'voltagent-team': 'VoltAgent__awesome-claude-code-subagents',
  wshobson: 'wshobson__agents',
};

async function fleetOf(set: string): Promise<LoadedFleet> {
  const collection = collections[set];
  if (!collection) return loadFleet(join(root, 'codex/agents')).fleet!;
  // A fleet compiled by `codex-flow convert` (what `eval --learn` reads), when given.
  const compiledDir = arg('--fleets', '');
  if (compiledDir) return loadFleet(join(compiledDir, collection)).fleet!;
  return loadCompiledCollection(collection);
}

const pct = (x: number) => (x * 100).toFixed(1);
for (const set of sets) {
  const fleet = await fleetOf(set);
  const file = join(root, 'test/fixtures/routing', `${set}${suffix}`);
  const { labels } = parseLabels(readFileSync(file, 'utf8'), file);
  const perSeed: number[][] = [];
  const seen: number[][] = [];
  for (let seed = from; seed <= to; seed++) {
    const curve = learningCurve(
      (learned) =>
        createRouter(fleet, {
          learned,
          options: {
            weights: { reward: Number(arg('--reward', '1')), ...(arg('--lambda', '') ? { learned: Number(arg('--lambda', '')) } : {}) },
          },
        }),
      labels,
      priorsFrom(fleet.triggers),
      { repeats: 1, seed, priorStrength: Number(arg('--k', '2')) },
    );
    perSeed.push(curve.points.map((p) => p.top1));
    seen.push(curve.points.map((p) => p.seenTop1 ?? 0));
  }
  const mean = (rows: number[][], i: number) => rows.reduce((s, r) => s + r[i]!, 0) / rows.length;
  const gains = perSeed.map((r) => r[4]! - r[0]!);
  console.log(
    `${set}${suffix} (${labels.length}) seeds ${from}-${to}: held-out top-1 ${[0, 1, 2, 3, 4].map((i) => pct(mean(perSeed, i))).join(' / ')}; gain at 100 % min ${pct(Math.min(...gains))} max ${pct(Math.max(...gains))}; per seed ${gains.map(pct).join(' ')}; seen ${[1, 2, 3, 4].map((i) => pct(mean(seen, i))).join(' / ')}`,
  );
}
