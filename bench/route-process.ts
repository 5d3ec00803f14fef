/**
 * The whole `codex-flow route` process on a 1,000-agent fleet: what a developer or a CI step waits
 * for. The corpus is replicated into 1,000 briefs on disk (fleet-fixtures.ts) and compiled with
 * `codex-flow convert`; one route warms the project's caches (.codex-flow/cache: lexical model,
 * keyword image, compiled globs, brief hashes), then tinybench times, in rounds that interleave
 * them so that load from other jobs hits all alike:
 *   - node running an empty ES module: the floor no command can go below;
 *   - `codex-flow route "<task>" --files <path>` (semantic stage on, learning on, stale check on);
 *   - the same with --no-stale-check;
 *   - the same started from the ES modules instead of the bundle (bench/launch-modules.mjs);
 *   - with `--against <repo>`: the same command from another checkout's build, the baseline.
 * With `--instructions`, each command also runs once under valgrind's callgrind, which counts the
 * instructions executed: the same count whatever else the machine is doing (wall times on two
 * shared cores move by ±30 %), so a change can be judged on a busy machine.
 * Run: npm run build && npx tsx bench/route-process.ts [--rounds N] [--against /path/to/checkout] [--instructions]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Bench } from 'tinybench';
import { corpusBriefs, replicate } from './fleet-fixtures.js';
import { option } from './support.js';

const AGENTS = 1000;
/** Rounds of ITERATIONS runs per command; 6 × 5 = 30 samples each. */
const rounds = Number(option('--rounds') ?? 6);
const ITERATIONS = 5;
const against = option('--against');

const project = mkdtempSync(join(tmpdir(), 'codex-route-process-'));
for (const source of replicate(await corpusBriefs(), AGENTS)) {
  const path = join(project, source.path);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, source.bytes);
}
const cli = join(import.meta.dirname, '../bin/codex-flow.js');
const env = { ...process.env, SOURCE_DATE_EPOCH: '0', CI: 'true' };
execFileSync(process.execPath, [cli, 'convert'], { cwd: project, stdio: 'ignore', env });
const empty = join(project, 'empty.mjs');
writeFileSync(empty, '');

const task = 'the checkout page jumps around when the web fonts load';
const routeArgs = ['route', task, '--files', 'src/components/Checkout.tsx', '--top', '3'];
// The modules instead of the bundle: what the bundle saves (scripts/bundle-cli.ts).
const fromModules = join(import.meta.dirname, 'launch-modules.mjs');
const run = (args: string[], runEnv: NodeJS.ProcessEnv) => () => {
  execFileSync(process.execPath, args, { cwd: project, stdio: 'ignore', env: runEnv });
};
const command = (name: string, args: string[], runEnv = env): [string, () => void, string[], NodeJS.ProcessEnv] => [
  name,
  run(args, runEnv),
  args,
  runEnv,
];
const commands = [
  command('node, empty module', [empty]),
  command('codex-flow route', [cli, ...routeArgs]),
  command('codex-flow route --no-stale-check', [cli, ...routeArgs, '--no-stale-check']),
  command('codex-flow route, from the modules', [fromModules, ...routeArgs]),
];
if (against) commands.push(command(`baseline: ${against}`, [join(against, 'bin/codex-flow.js'), ...routeArgs]));
// Warm the caches of every build (the baseline may keep other cache files).
for (const [, warm] of commands) warm();

const samples = new Map<string, number[]>(commands.map(([name]) => [name, []]));
for (let round = 0; round < rounds; round++) {
  const bench = new Bench({ iterations: ITERATIONS, time: 0, warmupIterations: 0, warmup: false, retainSamples: true });
  for (const [name, measured] of commands) bench.add(name, measured);
  await bench.run();
  for (const benchTask of bench.tasks)
    samples.get(benchTask.name)!.push(...((benchTask.result as { latency?: { samples?: number[] } }).latency?.samples ?? []));
}
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
const floor = quantile(samples.get('node, empty module')!, 0.5);
console.log(`| ${AGENTS}-agent fleet, whole process | median ms | p90 ms | over node's start-up | samples |\n|---|---:|---:|---:|---:|`);
for (const [name, values] of samples) {
  const median = quantile(values, 0.5);
  console.log(
    `| ${name} | ${median.toFixed(0)} | ${quantile(values, 0.9).toFixed(0)} | ${name.startsWith('node') ? '–' : `+${(median - floor).toFixed(0)}`} | ${values.length} |`,
  );
}
if (process.argv.includes('--instructions')) {
  console.log('\n| command | instructions (callgrind) | over node |\n|---|---:|---:|');
  const counts = commands.map(([name, , args, runEnv]) => [name, instructionsOf(args, runEnv)] as const);
  for (const [name, count] of counts)
    console.log(
      `| ${name} | ${(count / 1e6).toFixed(0)} M | ${name.startsWith('node') ? '–' : `+${((count - counts[0]![1]) / 1e6).toFixed(0)} M`} |`,
    );
}
rmSync(project, { recursive: true, force: true });

/** Instructions one run of node with `args` executes, counted by callgrind (NaN without valgrind). */
function instructionsOf(args: string[], runEnv: NodeJS.ProcessEnv): number {
  const run = spawnSync(
    'valgrind',
    ['--tool=callgrind', '--callgrind-out-file=/dev/null', '--smc-check=all-non-file', process.execPath, ...args],
    { cwd: project, env: runEnv, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return Number(/Collected : (\d+)/.exec(run.stderr?.toString() ?? '')?.[1] ?? Number.NaN);
}
