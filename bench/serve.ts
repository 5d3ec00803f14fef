/**
 * Served routing under load with hot reload: a 1,000-agent fleet (the corpus replicated, as
 * bench/route-startup.ts builds it), `codex-flow serve --watch` as its own process, autocannon
 * sending POST /v1/route at a fixed rate for the duration while a brief is edited `--edits` times
 * (each edit recompiles and swaps the fleet under load). Reports p50/p99 latency, requests/s,
 * failed and non-200 answers, the fleet hashes answers named, and beside them the time of the
 * whole `codex-flow route` process on the same fleet in the same run (the CLI's cost per route).
 * Run: npm run build && npx tsx bench/serve.ts [--seconds 20] [--rate 500] [--edits 10] [--connections 10]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { corpusBriefs, replicate } from './fleet-fixtures.js';
import { option } from './support.js';

const AGENTS = 1000;
const seconds = Number(option('--seconds', '20'));
const rate = Number(option('--rate', '500'));
const edits = Number(option('--edits', '10'));
const connections = Number(option('--connections', '10'));
const CLI_RUNS = 5;

const cli = resolve(import.meta.dirname, '../bin/codex-flow.js');
const project = mkdtempSync(join(tmpdir(), 'codex-serve-bench-'));
const env = { ...process.env, SOURCE_DATE_EPOCH: '0', CI: 'true' };
const sources = replicate(await corpusBriefs(), AGENTS);
for (const source of sources) {
  const path = join(project, source.path);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, source.bytes);
}
execFileSync(process.execPath, [cli, 'convert'], { cwd: project, stdio: 'ignore', env });

const tasks = [
  'the checkout page jumps around when the web fonts load',
  'add a GraphQL resolver for orders',
  'fix the flaky login test',
  'tune the postgres query planner for reports',
];
const route = (task: string) => ({ task, files: ['src/components/Checkout.tsx'], top: 3, record: false });

// The CLI's time per route on the same fleet, measured before the server loads the machine.
execFileSync(process.execPath, [cli, 'route', tasks[0]!, '--top', '3', '--no-record'], { cwd: project, stdio: 'ignore', env });
const cliMs: number[] = [];
for (let run = 0; run < CLI_RUNS; run++) {
  const started = performance.now();
  execFileSync(
    process.execPath,
    [cli, 'route', tasks[run % tasks.length]!, '--files', 'src/components/Checkout.tsx', '--top', '3', '--no-record'],
    { cwd: project, stdio: 'ignore', env },
  );
  cliMs.push(performance.now() - started);
}

const server = spawn(process.execPath, [cli, 'serve', '--port', '0', '--watch'], { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'] });
let serverLog = '';
server.stderr.on('data', (chunk) => {
  serverLog += chunk;
});
const url = await new Promise<string>((resolveUrl, reject) => {
  let out = '';
  const timer = setTimeout(() => reject(new Error(`serve did not start: ${serverLog}`)), 120_000);
  server.stdout.on('data', (chunk) => {
    out += chunk;
    const match = /listening on (http:\/\/\S+)/.exec(out);
    if (match) {
      clearTimeout(timer);
      resolveUrl(match[1]!);
    }
  });
});

// A server that has run a while has compiled once: its compile thread's cache is warm, and an edit
// recompiles one brief. The load starts after that first compile (its time is reported).
const warmStarted = performance.now();
for (let ready = false; !ready;) {
  if (performance.now() - warmStarted > 600_000) throw new Error(`the start compile did not end in 600 s: ${serverLog}`);
  ready = ((await (await fetch(`${url}/readyz`)).json()) as { compiles?: number }).compiles! >= 1;
  if (!ready) await new Promise((done) => setTimeout(done, 500));
}
const warmMs = performance.now() - warmStarted;

// Brief edits spread over the load: each changes one description, so each publishes a new fleet.
const brief = join(project, sources[0]!.path);
const original = readFileSync(brief, 'utf8');
let edited = 0;
const editTimer = setInterval(
  () => {
    if (edited >= edits) return;
    edited++;
    writeFileSync(brief, original.replace(/description:\s*/, `description: (edit ${edited}) `));
  },
  (seconds * 1000) / (edits + 1),
);

const loadBefore = loadavg()[0]!;
const hashes = new Map<string, number>();
let mismatched = 0;
const result = await autocannon({
  url: `${url}/v1/route`,
  method: 'POST',
  connections,
  overallRate: rate,
  duration: seconds,
  headers: { 'content-type': 'application/json' },
  requests: tasks.map((task) => ({
    body: JSON.stringify(route(task)),
    onResponse: (status: number, body: string, _context: unknown, headers: Record<string, string>) => {
      if (status !== 200) return;
      const hash = headers['x-codex-flow-fleet'] ?? '';
      if ((JSON.parse(body) as { fleet_hash: string }).fleet_hash !== hash) mismatched++;
      hashes.set(hash, (hashes.get(hash) ?? 0) + 1);
    },
  })),
});
clearInterval(editTimer);
const loadAfter = loadavg()[0]!;
const metrics = await (await fetch(`${url}/metrics`)).text();
server.kill('SIGTERM');
await new Promise((done) => server.on('exit', done));
rmSync(project, { recursive: true, force: true });
if (process.argv.includes('--log')) process.stderr.write(serverLog);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const reloads = /codex_flow_fleet_reloads_total\{result="loaded"\} (\d+)/.exec(metrics)?.[1];
const kept = /codex_flow_fleet_reloads_total\{result="kept"\} (\d+)/.exec(metrics)?.[1] ?? '0';
console.log(
  `codex-flow serve, ${AGENTS} agents, ${seconds} s at ${rate} req/s offered over ${connections} connections, ${edited} brief edits during the load`,
);
console.log(
  `  served route: p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms; ${result.requests.average.toFixed(0)} req/s; ${result.requests.total} requests`,
);
console.log(
  `  failed: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-200; header/body hash mismatches: ${mismatched}`,
);
console.log(`  fleets named by answers: ${hashes.size} (reloads: ${reloads ?? '?'} loaded, ${kept} kept)`);
console.log(`  start compile on the compile thread (1,000 briefs, before the load): ${(warmMs / 1000).toFixed(1)} s`);
console.log(`  load average (1 min) ${loadBefore.toFixed(1)} before the load, ${loadAfter.toFixed(1)} after it`);
console.log(
  `  CLI \`codex-flow route\` process (same fleet, same run): median ${median(cliMs).toFixed(0)} ms over ${CLI_RUNS} runs (min ${Math.min(...cliMs).toFixed(0)} ms)`,
);
