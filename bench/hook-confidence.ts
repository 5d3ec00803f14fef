/**
 * How often the Claude Code hook's "confident" rule (src/integrations/confidence.ts) is right, and
 * how often it speaks, on the four dev sets: each labelled request with a task is routed as a
 * prompt (no files: a prompt hook sees none), and the rule is swept over a grid of its two
 * thresholds. What docs/integrations.md reports.
 * Run: npx tsx bench/hook-confidence.ts [--sets sample,voltagent,voltagent-team,wshobson] [--grid]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRouter } from '../src/router/staged-router.js';
import { parseLabels } from '../src/router/eval.js';
import { confidentChoice, DEFAULT_CONFIDENCE, type ConfidenceRule } from '../src/integrations/confidence.js';
import type { RouteResult } from '../src/router/types.js';
import { devSetFleet, option, root } from './support.js';

const sets = option('--sets', 'sample,voltagent,voltagent-team,wshobson').split(',');

interface Row {
  result: RouteResult;
  expected: string[];
}
const rowsBySet = new Map<string, Row[]>();
for (const set of sets) {
  const router = createRouter(await devSetFleet(set));
  const file = join(root, 'test/fixtures/routing', `${set}.dev.jsonl`);
  const { labels } = parseLabels(readFileSync(file, 'utf8'), file);
  rowsBySet.set(
    set,
    labels
      .filter((label) => label.task.trim() !== '')
      .map((label) => ({ result: router.route({ task: label.task }, { top: 3 }), expected: label.expected })),
  );
}

const pct = (x: number) => (x * 100).toFixed(1).padStart(5);
function measure(rows: Row[], rule: ConfidenceRule): { spoke: number; right: number; top1: number } {
  let spoke = 0;
  let right = 0;
  let top1 = 0;
  for (const { result, expected } of rows) {
    if (expected.includes(result.candidates[0]?.id ?? '')) top1++;
    const choice = confidentChoice(result, rule);
    if (!choice) continue;
    spoke++;
    if (expected.includes(choice.id)) right++;
  }
  return { spoke, right, top1 };
}
function line(name: string, rule: ConfidenceRule): string {
  const all = [...rowsBySet.values()].flat();
  const cells = [...rowsBySet.entries(), ['all', all] as const].map(([set, rows]) => {
    const { spoke, right, top1 } = measure(rows, rule);
    return `${set} ${pct(right / Math.max(spoke, 1))}% right, speaks ${pct(spoke / rows.length)}% (top-1 ${pct(top1 / rows.length)}%, n ${rows.length})`;
  });
  return `${name.padEnd(22)} ${cells.join(' | ')}`;
}

console.log(line(`default ${DEFAULT_CONFIDENCE.minScore}/${DEFAULT_CONFIDENCE.minMargin}`, DEFAULT_CONFIDENCE));
if (process.argv.includes('--grid')) {
  for (const minScore of [0, 0.5, 1, 1.5, 2, 3, 4]) {
    for (const minMargin of [0, 0.1, 0.2, 0.3, 0.4, 0.5])
      console.log(line(`score ≥ ${minScore} margin ≥ ${minMargin}`, { minScore, minMargin }));
  }
}
