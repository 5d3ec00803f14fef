/**
 * Compiler benchmark on realistic input: the shared corpus replicated into 1,000 briefs with
 * distinct names (fleet-fixtures.ts). Measured in one run:
 *   - cold compile of all briefs (every pass, no cache) — the budget is 1 s;
 *   - incremental recompile after one brief changed (compile cache, as `convert --watch` uses);
 *   - the naive baseline: the design note's converter (parse front-matter, dump YAML; no repair,
 *     inference, validation or fleet checks), to show what the real passes cost on top of I/O-free
 *     parsing and printing;
 *   - the whole `codex-flow convert` process on 1,000 briefs on disk (cold write, then no-op).
 * The machine has 2 shared cores: run twice and read medians, not single samples.
 * Run: npm run build && npx tsx bench/compile.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Bench } from 'tinybench';
import { parse, stringify } from 'yaml';
import { CompileCache, compileSources } from '../src/compiler/compile.js';
import { resolveCompilerOptions } from '../src/compiler/options.js';
import { corpusBriefs, replicate } from './fleet-fixtures.js';
import { latencyOf } from './task-stats.js';

const COUNT = 1000;
const sources = replicate(await corpusBriefs(), COUNT);
const options = resolveCompilerOptions('/project');
const stamp = () => '2026-01-01T00:00:00.000Z';

/** The design note's converter: split on `---`, yaml.load, yaml.dump. Fails on 8 corpus briefs. */
function naiveConvert(): number {
  let written = 0;
  for (const source of sources) {
    const text = Buffer.from(source.bytes).toString('utf8');
    const match = /^---\n([\s\S]*?)\n---\n?([\s\S]*)$/.exec(text);
    if (!match) continue;
    try {
      const front = parse(match[1]!) as Record<string, unknown>;
      written += stringify({ agent: { id: front.name, description: front.description }, tools: front.tools, body: match[2] }).length;
    } catch {
      // the naive converter just skips what it cannot parse
    }
  }
  return written;
}

const cache = new CompileCache();
compileSources(sources, options, stamp, cache);
let flip = 0;
const bench = new Bench({ time: 3000, iterations: 5 });
bench
  .add(`cold compile, ${COUNT} briefs (no cache)`, () => {
    compileSources(sources, options, stamp);
  })
  .add(`incremental recompile, 1 of ${COUNT} changed`, () => {
    const changed = [...sources];
    const first = changed[0]!;
    changed[0] = { ...first, bytes: Buffer.concat([first.bytes, Buffer.from(`\n<!-- edit ${flip++} -->\n`)]) };
    const result = compileSources(changed, options, stamp, cache);
    if (result.stats.recompiled !== 1) throw new Error(`expected 1 recompiled brief, got ${result.stats.recompiled}`);
  })
  .add(`naive baseline: parse + dump, ${COUNT} briefs`, () => {
    naiveConvert();
  });
await bench.run();

const rows = bench.tasks.map((task) => {
  const latency = latencyOf(task);
  return `| ${task.name} | ${latency ? latency.p50.toFixed(1) : 'n/a'} | ${latency ? latency.min.toFixed(1) : 'n/a'} | ${latency?.samples ?? 0} |`;
});
console.log('| task | median ms | min ms | samples |\n|---|---:|---:|---:|');
console.log(rows.join('\n'));

// Whole process: write the briefs to disk and time `codex-flow convert` end to end.
const project = mkdtempSync(join(tmpdir(), 'codex-bench-'));
for (const source of sources) {
  const path = join(project, source.path);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, source.bytes);
}
const cli = join(import.meta.dirname, '../bin/codex-flow.js');
const time = (label: string) => {
  const started = performance.now();
  execFileSync(process.execPath, [cli, 'convert', '--json'], {
    cwd: project,
    stdio: 'ignore',
    env: { ...process.env, SOURCE_DATE_EPOCH: '0' },
  });
  console.log(`| ${label} | ${(performance.now() - started).toFixed(0)} ms |`);
};
console.log('\n| `codex-flow convert` process, 1,000 briefs on disk | wall |\n|---|---:|');
time('first run (writes the fleet)');
time('second run (unchanged, writes nothing)');
time('third run (unchanged)');
rmSync(project, { recursive: true, force: true });
