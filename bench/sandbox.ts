/**
 * What the command sandbox costs per Bash call: `runShell` (src/runner/process.ts) on the same
 * commands, interleaved in one run so the shared machine's load hits every variant alike:
 *   - `none`: a bash in its own process group (the runner without a sandbox);
 *   - `cgroup`: plus a pids cgroup made, joined through `/bin/sh`, emptied and removed per call;
 *   - `sandbox`: bubblewrap (namespaces, mounts, control paths read-only) plus the cgroup — what
 *     Bash and hooks run in.
 * Commands: `true` (the fixed cost) and `ls -R src | wc -l` (a command that reads the workspace).
 * Prints the median and p90 per call in ms, and the sandbox's extra cost over `none`.
 * Run: npx tsx bench/sandbox.ts [--rounds N]
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runIsolation } from '../src/runner/isolation.js';
import { runShell, type ShellOptions } from '../src/runner/process.js';
import { runnerOptions } from '../test/support/runner-fixtures.js';

const roundsFlag = process.argv.indexOf('--rounds');
const ROUNDS = roundsFlag > 0 ? Number(process.argv[roundsFlag + 1]) : 60;

const root = realpathSync(mkdtempSync(join(tmpdir(), 'cf-bench-sandbox-')));
mkdirSync(join(root, '.git'));
for (let i = 0; i < 50; i++) {
  mkdirSync(join(root, 'src', `m${i}`), { recursive: true });
  for (let j = 0; j < 10; j++) writeFileSync(join(root, 'src', `m${i}`, `f${j}.ts`), 'export {};\n');
}
const isolation = runIsolation({ root, workspace: root, options: runnerOptions() }).forAgent('bench');
if (!isolation.sandbox) {
  console.error(`no sandbox here: ${isolation.unsandboxed}`);
  process.exit(1);
}

const base: ShellOptions = { cwd: root, env: { PATH: process.env.PATH }, timeoutMs: 30_000, maxOutputBytes: 65_536 };
const variants: Record<string, ShellOptions> = {
  none: base,
  cgroup: { ...base, maxProcesses: isolation.maxProcesses! },
  sandbox: { ...base, sandbox: isolation.sandbox, maxProcesses: isolation.maxProcesses! },
};
const commands = ['true', 'ls -R src | wc -l'];

const samples = new Map<string, number[]>();
for (let round = 0; round < ROUNDS; round++) {
  for (const command of commands) {
    for (const [name, options] of Object.entries(variants)) {
      const started = performance.now();
      const result = await runShell(command, options);
      const ms = performance.now() - started;
      if (result.code !== 0) throw new Error(`${name} ${command}: exit ${result.code} ${result.stderr}`);
      if (round > 0) (samples.get(`${command}|${name}`) ?? samples.set(`${command}|${name}`, []).get(`${command}|${name}`)!).push(ms);
    }
  }
}
rmSync(root, { recursive: true, force: true });

const quantile = (values: number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;
console.log(`runShell per call, ${ROUNDS - 1} rounds (first dropped), interleaved\n`);
console.log('| command | variant | median ms | p90 ms | over none (median) |');
console.log('|---|---|---:|---:|---:|');
for (const command of commands) {
  const none = quantile(samples.get(`${command}|none`)!, 0.5);
  for (const name of Object.keys(variants)) {
    const values = samples.get(`${command}|${name}`)!;
    const median = quantile(values, 0.5);
    console.log(
      `| \`${command}\` | ${name} | ${median.toFixed(2)} | ${quantile(values, 0.9).toFixed(2)} | ${name === 'none' ? '—' : `+${(median - none).toFixed(2)}`} |`,
    );
  }
}
