/**
 * The misses of one dev set, for analysis by shape (docs/routing.md "Misses by shape"): each
 * request whose top-1 is wrong, with where the right agent ranked and what put the winner first
 * (its score terms and strongest evidence). The fresh held-out stand-ins are refused: their
 * per-request results are not looked at while developing.
 * `--shapes`: only the count of each shape of issue #17 among the misses (a miss can have several;
 * "first" counts each under the first that applies, in the table's order).
 * Run: npx tsx bench/route-misses.ts --set voltagent.real [--fleets /tmp/cf-fleets] [--shapes]
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadFleet } from '../src/fleet/load.js';
import { createRouter } from '../src/router/staged-router.js';
import { parseLabels } from '../src/router/eval.js';
import { compileCollection } from '../test/support/corpus.js';
import { option } from './support.js';
import type { Evidence, RouteCandidate } from '../src/router/types.js';
import { tokenize } from '../src/util/words.js';

const root = join(import.meta.dirname, '..');
const set = option('--set', 'voltagent.real');
if (set.startsWith('fresh')) throw new Error('the fresh sets are held out: only their totals are reported (bench/route-quality.ts)');
const collection = set.startsWith('wshobson') ? 'wshobson__agents' : set === 'sample' ? '' : 'VoltAgent__awesome-claude-code-subagents';
const dir = join(option('--fleets', join(tmpdir(), `cf-fleets-${process.pid}`)), collection);
if (collection && !existsSync(join(dir, 'index.json')))
  for (const [file, text] of (await compileCollection(collection)).files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
const fleet = loadFleet(collection ? dir : join(root, 'codex/agents')).fleet!;
const file = join(root, 'test/fixtures/routing', set.endsWith('.real') ? `${set}.jsonl` : `${set}.dev.jsonl`);
const { labels } = parseLabels(readFileSync(file, 'utf8'), file);
const router = createRouter(fleet);
const show = (e: Evidence): string =>
  e.stage === 'semantic'
    ? `${e.term}@${e.field}${e.from ? `<${e.from}` : ''}`
    : e.stage === 'keyword'
      ? `kw:${e.keyword}`
      : e.stage === 'mention'
        ? `@${e.alias}`
        : e.stage === 'files'
          ? `glob:${e.glob}`
          : `re:${e.pattern}`;
const SHAPES = ['follow-up', 'decision', 'emotion', 'keyword hijack', 'no role word', 'passing word', 'other'] as const;
const counts = new Map<string, { any: number; first: number }>(SHAPES.map((shape) => [shape, { any: 0, first: 0 }]));
const aboutOf = (id: string): Set<string> => {
  const entry = fleet.index.agents.find((a) => a.id === id);
  return new Set(tokenize(`${id.replace(/-/g, ' ')} ${entry?.description ?? ''}`));
};
/** The shapes of one miss (issue #17's "Recurring shapes"), by plain rules on the request and the winner. */
function shapesOf(task: string, expected: readonly string[], first: RouteCandidate | undefined): string[] {
  const text = task.toLowerCase();
  const out: string[] = [];
  if (
    /\b(finished|done with|just (shipped|deployed|merged|pushed|put|released|finished|changed|added|rewrote))\b|what now|what next|what's next/.test(
      text,
    )
  )
    out.push('follow-up');
  if (/\b(or|vs\.?|versus|which|should (we|i)|worth)\b/.test(text) && text.includes('?')) out.push('decision');
  if (/\b(furious|angry|upset|frustrated|annoyed|unhappy|complain\w*|hate|mad|livid|yelling)\b/.test(text)) out.push('emotion');
  if (first?.evidence.some((e) => e.stage === 'keyword' || e.stage === 'mention')) out.push('keyword hijack');
  const words = tokenize(task);
  if (!expected.some((id) => words.some((w) => aboutOf(id).has(w)))) out.push('no role word');
  const semantic = (first?.evidence ?? []).filter((e) => e.stage === 'semantic');
  if (semantic.length > 0 && semantic.every((e) => e.stage === 'semantic' && (e.field === 'body' || e.field === 'responsibilities')))
    out.push('passing word');
  return out.length > 0 ? out : ['other'];
}
const onlyShapes = process.argv.includes('--shapes');
let misses = 0;
for (const label of labels) {
  const result = router.route({ task: label.task, files: label.files }, { top: 15 });
  const ids = result.candidates.map((c) => c.id);
  if (label.expected.includes(ids[0] ?? '')) continue;
  misses++;
  const shapes = shapesOf(label.task, label.expected, result.candidates[0]);
  shapes.forEach((shape, i) => {
    counts.get(shape)!.any++;
    if (i === 0) counts.get(shape)!.first++;
  });
  if (onlyShapes) continue;
  const rank = ids.findIndex((id) => label.expected.includes(id)) + 1;
  const first = result.candidates[0];
  const terms = first?.terms.filter((t) => t.contribution !== 0).map((t) => `${t.name}=${t.contribution}`) ?? [];
  console.log(`${label.task}\n  want ${label.expected.slice(0, 3).join(',')} at ${rank || '>15'}; got ${ids.slice(0, 3).join(', ')}`);
  console.log(`  winner ${terms.join(' ')} | ${(first?.evidence ?? []).slice(0, 5).map(show).join(' ')}`);
}
console.log(`${misses} misses of ${labels.length}`);
for (const [shape, { any, first }] of counts) console.log(`${shape}\t${any}\t${first}`);
