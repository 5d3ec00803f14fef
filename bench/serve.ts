/**
 * Served routing under load with hot reload: a 1,000-agent fleet (the corpus replicated, as
 * bench/route-startup.ts builds it), `codex-flow serve --watch` as its own process, autocannon
 * sending POST /v1/route at a fixed rate for the duration while a brief is edited `--edits` times
 * (each edit recompiles and swaps the fleet under load). Reports p50/p99 latency, requests/s,
 * failed and non-200 answers, the fleet hashes answers named, and beside them the time of the
 * whole `codex-flow route` process on the same fleet in the same run (the CLI's cost per route).
 * The server process carries bench/event-loop-probe.cjs: the event loop's delay during the load
 * (p50/p99/max) and each stall past 10 ms, listed beside the reloads that landed near it.
 * `--cli <bin>` benches another build (a checkout of main, for a baseline in the same machine
 * state); `--cpu-prof <dir>` writes the server's CPU profile there (node --cpu-prof).
 * Run: npm run build && npx tsx bench/serve.ts [--seconds 20] [--rate 500] [--edits 10] [--connections 10] [--record]
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
const cpuProfile = option('--cpu-prof');
// With --record every route records its decision, as a client that sends feedback needs.
const recordDecisions = process.argv.includes('--record');
const CLI_RUNS = 5;
/** The longest stalls listed, in time order. */
const LONGEST_STALLS = 15;
/** A reload logged this close to a stall is listed beside it. */
const NEAR_MS = 250;

const cli = resolve(option('--cli', resolve(import.meta.dirname, '../bin/codex-flow.js')));
const probe = resolve(import.meta.dirname, 'event-loop-probe.cjs');
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
const route = (task: string) => ({ task, files: ['src/components/Checkout.tsx'], top: 3, record: recordDecisions });

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

const probeFile = join(project, 'event-loop.json');
const nodeFlags = ['--require', probe, ...(cpuProfile ? ['--cpu-prof', '--cpu-prof-dir', resolve(cpuProfile)] : [])];
const server = spawn(process.execPath, [...nodeFlags, cli, 'serve', '--port', '0', '--watch'], {
  cwd: project,
  env: { ...env, CODEX_FLOW_LOOP_PROBE: probeFile },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let serverLog = '';
let loadStarted = 0;
/** Server log lines with the time they arrived, in ms since the load started. */
const logLines: Array<{ at: number; line: string }> = [];
server.stderr.on('data', (chunk) => {
  serverLog += chunk;
  const at = Math.round(performance.now() - loadStarted);
  for (const line of String(chunk).split('\n')) if (line.trim() !== '') logLines.push({ at, line: line.trim() });
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
server.kill('SIGUSR2');
loadStarted = performance.now();
const hashes = new Map<string, number>();
let mismatched = 0;
// Every answer's own latency, as the client saw it: autocannon's histogram (result.latency)
// corrects for coordinated omission with an expected interval of ceil(1 / per-connection rate)
// = 1 ms, which records an answer of L ms as L samples (L, L-1, …, 1), so a rare stall weighs
// L times in its percentiles. Both are reported; the raw figures are each answer once.
const latencies: number[] = [];
const cannon = autocannon({
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
cannon.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
  if (status === 200) latencies.push(responseTime);
});
const result = await cannon;
clearInterval(editTimer);
server.kill('SIGUSR2');
const loadAfter = loadavg()[0]!;
const loop = await probeReport(probeFile);
const metrics = await (await fetch(`${url}/metrics`)).text();
server.kill('SIGTERM');
await new Promise((done) => server.on('exit', done));
rmSync(project, { recursive: true, force: true });
if (process.argv.includes('--log')) process.stderr.write(serverLog);

const loadLines = logLines.filter((entry) => entry.at >= 0 && entry.at <= seconds * 1000);
const reloadTimes = loadLines.filter((entry) => entry.line.includes('serving fleet'));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const reloads = /codex_flow_fleet_reloads_total\{result="loaded"\} (\d+)/.exec(metrics)?.[1];
const kept = /codex_flow_fleet_reloads_total\{result="kept"\} (\d+)/.exec(metrics)?.[1] ?? '0';
console.log(
  `codex-flow serve, ${AGENTS} agents, ${seconds} s at ${rate} req/s offered over ${connections} connections, ${edited} brief edits during the load`,
);
console.log(
  `  served route (autocannon, corrected at a 1 ms interval): p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms; ${result.requests.average.toFixed(0)} req/s; ${result.requests.total} requests`,
);
latencies.sort((a, b) => a - b);
const rawPercentile = (share: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * share))]?.toFixed(1);
console.log(
  `  served route, each answer once: p50 ${rawPercentile(0.5)} ms, p99 ${rawPercentile(0.99)} ms, p99.9 ${rawPercentile(0.999)} ms, max ${latencies.at(-1)?.toFixed(1)} ms over ${latencies.length} answers`,
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
console.log(
  `  event loop during the load: delay p50 ${loop.p50_ms} ms, p99 ${loop.p99_ms} ms, max ${loop.max_ms} ms; ${loop.stalls.length} stalls over 10 ms`,
);
const longest = [...loop.stalls].sort((a, b) => b.stalled_ms - a.stalled_ms).slice(0, LONGEST_STALLS);
for (const stall of longest.sort((a, b) => a.at_ms - b.at_ms)) {
  const near = reloadTimes.filter((entry) => Math.abs(entry.at - stall.at_ms) <= NEAR_MS).map((entry) => `${entry.at} ms: ${entry.line}`);
  console.log(`    at ${stall.at_ms} ms: stalled ${stall.stalled_ms} ms${near.length > 0 ? `  (near ${near.join('; ')})` : ''}`);
}
if (cpuProfile) console.log(`  CPU profile of the server in ${resolve(cpuProfile)}`);

/** The probe's report, written when it gets the second SIGUSR2 (waits for it, at most 10 s). */
async function probeReport(
  file: string,
): Promise<{ p50_ms: number; p99_ms: number; max_ms: number; stalls: Array<{ at_ms: number; stalled_ms: number }> }> {
  const deadline = performance.now() + 10_000;
  for (;;) {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Awaited<ReturnType<typeof probeReport>>;
    } catch (error) {
      if (performance.now() > deadline) throw new Error(`the event-loop probe wrote nothing: ${(error as Error).message}`);
      await new Promise((done) => setTimeout(done, 100));
    }
  }
}
