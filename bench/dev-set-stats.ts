/**
 * The statistics issue #17 compares dev sets with real requests by: median words, content words,
 * share of requests that share a rare word (in ≤ 10 % of the agents) with an expected brief, share
 * that name the agent, share that start with "we / our / I / users". Fleets as in route-quality.ts.
 * Run: npx tsx bench/dev-set-stats.ts [--fleets /tmp/cf-fleets]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFleet } from '../src/fleet/load.js';
import { parseLabels } from '../src/router/eval.js';
import { tokenize } from '../src/util/words.js';
import { option } from './support.js';

const root = join(import.meta.dirname, '..');
const fleets = option('--fleets', '/tmp/cf-fleets');
const VOLT = 'VoltAgent__awesome-claude-code-subagents',
  WSH = 'wshobson__agents';
const SETS: Array<[string, string]> = [
  ['voltagent.dev', VOLT],
  ['voltagent-team.dev', VOLT],
  ['wshobson.dev', WSH],
  ['voltagent.real', VOLT],
  ['wshobson.real', WSH],
  ['fresh-voltagent.real', VOLT],
  ['fresh-wshobson.real', WSH],
];
/** Words of an id that do not name it alone ("engineer", "pro"). */
const ROLE = new Set([
  'pro',
  'expert',
  'engineer',
  'developer',
  'specialist',
  'architect',
  'manager',
  'analyst',
  'reviewer',
  'code',
  'review',
  'auditor',
  'tester',
  'designer',
  'optimizer',
  'admin',
  'master',
  'coder',
  'writer',
  'builder',
  'api',
  'data',
  'test',
  'security',
  'team',
  'ui',
  'ux',
  'the',
]);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const share = (xs: boolean[]) => (xs.filter(Boolean).length / Math.max(1, xs.length)).toFixed(2);
console.log('set\tn\tmedian words\tcontent words\trare shared\tnames agent\twe/our/I/users');
const all: Record<string, { words: number[]; content: number[]; rare: boolean[]; names: boolean[]; we: boolean[] }> = {};
for (const [set, collection] of SETS) {
  const file = join(root, 'test/fixtures/routing', `${set}.jsonl`);
  if (!existsSync(file)) continue;
  const fleet = loadFleet(join(fleets, collection)).fleet!;
  const docs = new Map<string, Set<string>>();
  const df = new Map<string, number>();
  for (const entry of fleet.index.agents) {
    const d = fleet.definition(entry.id)!;
    const terms = new Set(tokenize(`${d.agent.name} ${d.agent.description} ${d.prompt.system}`));
    docs.set(entry.id, terms);
    for (const t of terms) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const n = docs.size;
  const { labels } = parseLabels(readFileSync(file, 'utf8'), file);
  const row = { words: [] as number[], content: [] as number[], rare: [] as boolean[], names: [] as boolean[], we: [] as boolean[] };
  for (const label of labels.filter((l) => l.task.length > 0)) {
    const task = label.task.toLowerCase();
    row.words.push(task.split(/\s+/).filter(Boolean).length);
    const terms = tokenize(task);
    row.content.push(terms.length);
    row.rare.push(terms.some((t) => (df.get(t) ?? 0) <= 0.1 * n && label.expected.some((id) => docs.get(id)?.has(t))));
    row.names.push(
      label.expected.some(
        (id) =>
          task.includes(id) ||
          task.includes(id.replace(/-/g, ' ')) ||
          id
            .split('-')
            .filter((w) => w.length > 2 && !ROLE.has(w))
            .some((w) => new RegExp(`\\b${w}\\b`).test(task) && fleet.index.agents.filter((a) => a.id.includes(w)).length <= 3),
      ),
    );
    row.we.push(/^(we|we're|we've|our|i|i'm|i've|users?)\b/.test(task));
  }
  all[set] = row;
  console.log(
    [
      set,
      row.words.length,
      median(row.words),
      (row.content.reduce((a, b) => a + b, 0) / row.content.length).toFixed(1),
      share(row.rare),
      share(row.names),
      share(row.we),
    ].join('\t'),
  );
}
