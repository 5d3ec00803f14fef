/**
 * Held-out learning curves on the four dev sets, one shuffle per seed, with the spread over
 * seeds: what docs/learning.md reports. Fleets are compiled from the corpora into a temp dir.
 * Run: npx tsx bench/learn-curves.ts [--seeds 1-5] [--sets sample,voltagent,voltagent-team,wshobson] [--fleets dir]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRouter } from '../src/router/staged-router.js';
import { parseLabels } from '../src/router/eval.js';
import { learningCurve } from '../src/learn/learning-curve.js';
import { priorsFrom } from '../src/learn/model.js';
import { devSetFleet, option, root } from './support.js';

const [from, to] = option('--seeds', '1-5').split('-').map(Number) as [number, number];
const sets = option('--sets', 'sample,voltagent,voltagent-team,wshobson').split(',');
const suffix = option('--suffix', '.dev.jsonl');

const pct = (x: number) => (x * 100).toFixed(1);
for (const set of sets) {
  const fleet = await devSetFleet(set, option('--fleets', ''));
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
            weights: {
              reward: Number(option('--reward', '1')),
              ...(option('--lambda', '') ? { learned: Number(option('--lambda', '')) } : {}),
            },
          },
        }),
      labels,
      priorsFrom(fleet.triggers),
      { repeats: 1, seed, priorStrength: Number(option('--k', '2')) },
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
