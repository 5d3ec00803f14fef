/**
 * Route-call benchmark: the staged router (stages 0–2 plus scoring; semantic off) against the
 * naive reference loop from the design note, in the same run, on fleets of 100 / 1,000 / 10,000
 * agents built from the corpora, tasks of 100 / 500 / 2,000 characters and 0 / 10 / 100 changed
 * paths. Prints medians and the speed-up. The machine is shared: run it twice and compare.
 * Compare step: medians are compared with bench/baselines/router.json (written by `--save`); a
 * cell more than BASELINE_TOLERANCE slower than its stored value is flagged (`--check`: exit 1).
 * Run: npm run build && npx tsx bench/router.ts [--quick] [--agents 1000,10000] [--staged-only] [--save | --check]
 * (`--quick`: the 1,000 / 500 / 10 cell only; `--agents`: that cell at the fleet sizes given.)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import picomatch from 'picomatch';
import { Bench } from 'tinybench';
import { createRouter } from '../src/router/staged-router.js';
import { loadFleet } from '../src/fleet/load.js';
import { compiledCorpora, pathsOf, syntheticTable, taskOf } from './router-fleet.js';
import type { TriggerTable } from '../src/fleet/types.js';
import { latencyOf } from './task-stats.js';

/** The design note's matcher, plus the obvious glob loop (one picomatch matcher per agent pattern). */
function naiveRouter(table: TriggerTable) {
  const matchers = Object.entries(table.file_patterns).flatMap(([glob, ids]) =>
    ids.map((id) => ({ id, test: picomatch(glob, { dot: true, basename: !glob.includes('/') }) })),
  );
  return (task: string, files: readonly string[]): string[] => {
    const t = task.toLowerCase();
    const set = new Set<string>();
    for (const [k, ids] of Object.entries(table.keywords)) if (t.includes(k)) ids.forEach((id) => set.add(id));
    for (const r of table.regex) if (new RegExp(r.pattern, 'i').test(t)) r.agents.forEach((id) => set.add(id));
    for (const file of files) for (const m of matchers) if (m.test(file)) set.add(m.id);
    return [...set];
  };
}

/**
 * A cell this much slower than the baseline is flagged. 1.5× because two shared cores move
 * medians by ±15–30 % between runs; a real regression of the hot path shows up well above that.
 */
const BASELINE_TOLERANCE = 1.5;
const BASELINE_FILE = new URL('./baselines/router.json', import.meta.url);
const baseline = existsSync(BASELINE_FILE)
  ? (JSON.parse(readFileSync(BASELINE_FILE, 'utf8')) as { staged_us: Record<string, number> })
  : undefined;
const measured: Record<string, number> = {};
const flagged: string[] = [];

const quick = process.argv.includes('--quick');
/** `--staged-only` skips the naive reference (seconds per call at 10,000 agents): for --save / --check. */
const stagedOnly = process.argv.includes('--staged-only');
const corpora = compiledCorpora();
const agentsArgument = process.argv.includes('--agents') ? process.argv[process.argv.indexOf('--agents') + 1] : undefined;
const cellOnly = quick || agentsArgument !== undefined;
const sizes = agentsArgument ? agentsArgument.split(',').map(Number) : quick ? [1000] : [100, 1000, 10000];
const lengths = cellOnly ? [500] : [100, 500, 2000];
const pathCounts = cellOnly ? [10] : [0, 10, 100];
const rows: string[] = [
  '| agents | task chars | paths | staged median µs | naive median µs | speed-up | vs baseline |',
  '|---:|---:|---:|---:|---:|---:|---:|',
];
const fmt = (ms: number) => (ms * 1000).toFixed(ms < 0.01 ? 2 : 1);
for (const size of sizes) {
  const table = syntheticTable(corpora, size);
  const started = performance.now();
  const router = createRouter({ triggers: table }, { options: { semantic: 'off' } });
  const buildMs = performance.now() - started;
  const naive = naiveRouter(table);
  console.error(
    `fleet ${size}: ${Object.keys(table.keywords).length} keywords, ${table.regex.length} regexes, ${Object.keys(table.file_patterns).length} globs; router built in ${buildMs.toFixed(0)} ms`,
  );
  for (const length of lengths) {
    for (const count of pathCounts) {
      const tasks = [0, 1, 2, 3].map((seed) => taskOf(corpora, length, seed * 13));
      const files = pathsOf(count);
      let i = 0;
      const bench = new Bench({ time: cellOnly ? 300 : 150, warmupTime: 30 });
      bench.add('staged', () => {
        router.route({ task: tasks[i++ & 3]!, files });
      });
      if (!stagedOnly)
        bench.add('naive', () => {
          naive(tasks[i++ & 3]!, files);
        });
      await bench.run();
      const [staged, reference] = bench.tasks.map((t) => latencyOf(t)?.p50 ?? NaN);
      const cell = `${size}/${length}/${count}`;
      measured[cell] = Math.round(staged! * 1e5) / 100;
      const before = baseline?.staged_us[cell];
      const ratio = before === undefined ? undefined : (staged! * 1000) / before;
      if (ratio !== undefined && ratio > BASELINE_TOLERANCE) flagged.push(`${cell}: ${fmt(staged!)} µs vs ${before} µs`);
      rows.push(
        `| ${size} | ${length} | ${count} | ${fmt(staged!)} | ${stagedOnly ? '–' : fmt(reference!)} | ${stagedOnly ? '–' : `${(reference! / staged!).toFixed(0)}×`} | ${ratio === undefined ? '–' : `${ratio.toFixed(2)}×`} |`,
      );
      console.error(rows[rows.length - 1]);
    }
  }
}
// The semantic stage costs extra per call when it runs (always mode); reported apart.
const table = syntheticTable(corpora, 1000);
const withSemantic = createRouter(
  { triggers: table, index: { ...corpora[0]!.index, agents: [...corpora[0]!.index.agents, ...corpora[1]!.index.agents] } },
  { options: { semantic: 'always' } },
);
const task = taskOf(corpora, 500, 3);
withSemantic.route({ task });
// The same with every agent's brief (body, responsibilities) in the lexical model, as a compiled
// fleet on disk has it: replicated agents read their source agent's definition.
const definitions = corpora.map((c) => loadFleet(c.dir).fleet!);
const definitionOf = (id: string) => {
  const source = id.replace(/-r\d+$/, '');
  for (const fleet of definitions) if (fleet.index.agents.some((a) => a.id === source)) return fleet.definition(source);
  return undefined;
};
const withBodies = createRouter(
  {
    triggers: table,
    index: { ...corpora[0]!.index, agents: [...corpora[0]!.index.agents, ...corpora[1]!.index.agents] },
    definition: definitionOf,
  },
  { options: { semantic: 'always' } },
);
withBodies.route({ task });
const semanticBench = new Bench({ time: 300 });
semanticBench.add('staged + semantic (index fields only)', () => {
  withSemantic.route({ task, files: pathsOf(10) });
});
semanticBench.add('staged + semantic (with brief bodies)', () => {
  withBodies.route({ task, files: pathsOf(10) });
});
await semanticBench.run();
const semanticMedian = latencyOf(semanticBench.tasks[0])?.p50 ?? NaN;
const bodiesMedian = latencyOf(semanticBench.tasks[1])?.p50 ?? NaN;
console.log(rows.join('\n'));
console.log(
  `\n1,000 agents, 500 chars, 10 paths with the semantic stage on (always): median ${fmt(semanticMedian)} µs over index fields, ${fmt(bodiesMedian)} µs with brief bodies`,
);
if (process.argv.includes('--save')) {
  mkdirSync(new URL('./baselines/', import.meta.url), { recursive: true });
  const merged = { ...(baseline?.staged_us ?? {}), ...measured };
  writeFileSync(
    BASELINE_FILE,
    `${JSON.stringify({ node: process.version, staged_us: Object.fromEntries(Object.entries(merged).sort()) }, null, 2)}\n`,
  );
  console.log(`baseline written: ${Object.keys(measured).length} cells`);
} else if (flagged.length > 0) {
  console.log(`\nslower than the baseline by more than ${BASELINE_TOLERANCE}×:\n  ${flagged.join('\n  ')}`);
  if (process.argv.includes('--check')) process.exitCode = 1;
}
