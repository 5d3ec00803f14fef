/**
 * Start-up a user feels: the whole `codex-flow route` process on a 1,000-agent fleet, timed by
 * hyperfine (Debian package `hyperfine`) beside `node -e 0` in the same run, so that the budget
 * "at most node's own start-up + 50 ms" is judged against the node of that moment on that machine.
 *   - warm: the project's caches filled by an earlier route (what a developer meets all day),
 *     without a config file and with the one `init` writes (what most projects have);
 *   - first route after convert: each run compiles the briefs afresh (hyperfine --prepare, not
 *     timed) into an empty fleet folder and project cache, then times the route alone.
 * With `--against <checkout>` the same two commands run from another checkout's build (the
 * baseline: `git archive main | tar -x -C /tmp/main && cd /tmp/main && npm run build`), each build
 * over a project of its own (the fleets and caches of two builds may differ in format).
 * Wall times on a shared machine move with its load; the table also gives CPU (user + system),
 * which moves much less. On Node < 22.1 the route bundle runs through the launcher's code cache
 * (bin/code-cache.js), which the warm-up runs fill; it belongs to the build, not to the project,
 * so "first after convert" starts with it warm too, as it does for a user who routed before.
 * Results of each run: docs/routing.md, "Start-up" and the passes after it.
 * Run: npm run build && npx tsx bench/route-startup.ts [--runs N] [--first-runs N] [--against /path/to/checkout] [--json out.json]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { STARTER_FILES } from '../src/cli/commands/init-templates.js';
import { corpusBriefs, replicate } from './fleet-fixtures.js';
import { option } from './support.js';

const AGENTS = 1000;
const runs = Number(option('--runs') ?? 30);
const firstRuns = Number(option('--first-runs') ?? 5);
const against = option('--against');
const jsonOut = option('--json');
/** The config `init` writes (a user's project has one), read through `--config` by the rows that say so. */
const CONFIG_FILE = 'init.config.yaml';

const task = 'the checkout page jumps around when the web fonts load';
const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;
const routeArgs = ['route', task, '--files', 'src/components/Checkout.tsx', '--top', '3'];

const work = mkdtempSync(join(tmpdir(), 'codex-route-startup-'));
const sources = replicate(await corpusBriefs(), AGENTS);
const env = { ...process.env, SOURCE_DATE_EPOCH: '0' };

interface Build {
  label: string;
  cli: string;
  project: string;
}
const builds: Build[] = [{ label: 'this build', cli: resolve(import.meta.dirname, '../bin/codex-flow.js'), project: join(work, 'this') }];
if (against) builds.push({ label: 'baseline', cli: resolve(against, 'bin/codex-flow.js'), project: join(work, 'baseline') });

for (const build of builds) {
  for (const source of sources) {
    const path = join(build.project, source.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, source.bytes);
  }
  execFileSync(process.execPath, [build.cli, 'convert'], { cwd: build.project, stdio: 'ignore', env });
  // The config `init` writes, under a name no command finds by itself: the "with config" rows pass it.
  writeFileSync(join(build.project, CONFIG_FILE), STARTER_FILES['codex-flow.config.yaml']!);
}

const node = quote(process.execPath);
const route = (build: Build, config = false) =>
  `cd ${quote(build.project)} && ${node} ${quote(build.cli)} ${[...routeArgs, ...(config ? ['--config', CONFIG_FILE] : [])].map(quote).join(' ')} >/dev/null`;
// A fresh compile into an empty fleet folder and an empty project cache, as after editing briefs.
const recompile = (build: Build) =>
  `cd ${quote(build.project)} && rm -rf codex .codex-flow && SOURCE_DATE_EPOCH=0 ${node} ${quote(build.cli)} convert >/dev/null`;

interface Measured {
  command: string;
  mean: number;
  stddev: number;
  min: number;
  user: number;
  system: number;
}
function hyperfine(name: string, args: string[], commands: Array<[string, string]>): Measured[] {
  const out = join(work, `${name}.json`);
  execFileSync('hyperfine', [...args, '--export-json', out, ...commands.flatMap(([label, command]) => ['-n', label, command])], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env,
  });
  return (JSON.parse(readFileSync(out, 'utf8')) as { results: Measured[] }).results;
}

const warm = hyperfine(
  'warm',
  ['--warmup', '3', '--runs', String(runs)],
  [
    ['node -e 0', `${node} -e 0`],
    ...builds.flatMap((build): Array<[string, string]> => [
      [`route, warm (${build.label})`, route(build)],
      [`route, warm, with init's config (${build.label})`, route(build, true)],
    ]),
  ],
);
const first = builds.map(
  (build) =>
    hyperfine(
      `first-${build.label.replace(/\W/g, '')}`,
      ['--runs', String(firstRuns), '--prepare', recompile(build)],
      [[`route, first after convert (${build.label})`, route(build)]],
    )[0]!,
);

const ms = (seconds: number) => `${(seconds * 1000).toFixed(0)} ms`;
const rows = [...warm, ...first];
const floor = warm[0]!;
console.log(`\n${AGENTS} agents; node ${process.version}; ${runs} runs warm, ${firstRuns} after convert\n`);
console.log('| command | wall mean ± σ | wall min | CPU (user + sys) | wall − node -e 0 |');
console.log('|---|---|---|---|---|');
for (const row of rows) {
  console.log(
    `| ${row.command} | ${ms(row.mean)} ± ${ms(row.stddev)} | ${ms(row.min)} | ${ms(row.user + row.system)} | ${row === floor ? '—' : `+${ms(row.mean - floor.mean)}`} |`,
  );
}
if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify({ agents: AGENTS, node: process.version, rows }, null, 2)}\n`);
rmSync(work, { recursive: true, force: true });
