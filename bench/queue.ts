/**
 * Queue benchmark: what running tasks through BullMQ workers costs beside the in-process
 * scheduler, and how throughput grows with workers.
 *
 * In the same run, on one project (the sample fleet, aliases without tools) and one local model
 * server speaking the OpenAI wire:
 *   - overhead: the same tasks (instant model answers, one alias with limit 24) through
 *     `codex-flow run --tasks` in process, then through the queue with 3 worker processes
 *     (`--concurrency 8`); overhead per task = (queue wall − in-process wall) / tasks;
 *   - throughput: tasks whose model call waits 50 ms, limit 64, with 1, 2 and 3 workers
 *     (`--concurrency 16` each): tasks per second, and the same in process for scale.
 * Workers are started (and warmed by a first batch) before the clock starts: a worker's start is
 * paid once per machine, not per run. Beside the wall time, each run's CPU time is summed over the
 * processes that do its work (this one, which also serves the model, the workers and
 * redis-server, read from /proc): on a shared machine the wall time measures the other sessions'
 * load as much as the queue, the CPU time per task much less so. The load average is printed
 * before and after; run it twice and compare.
 * `--profile <dir>`: the overhead run's workers write CPU profiles (`--cpu-prof`) there.
 * `--only overhead` or `--only throughput`: one of the two parts.
 * Run: npx tsx bench/queue.ts [--quick] [--profile <dir>] [--only overhead|throughput]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Redis } from 'ioredis';
import { main } from '../src/cli/main.js';
import { memoryIO } from '../src/cli/io.js';
import { startRedis } from '../test/support/runner-redis.js';
import { startCountingProvider, type CountingProvider } from '../test/queue/support/provider.js';
import { workerBundle, writeTasks } from '../test/queue/support/project.js';
import { BENCH_ALIAS, benchProject, IN_PROCESS_CONFIG } from './queue-project.js';

const quick = process.argv.includes('--quick');
const OVERHEAD_TASKS = quick ? 100 : 300;
const THROUGHPUT_TASKS = quick ? 150 : 400;
const profileAt = process.argv.indexOf('--profile');
const PROFILE_DIR = profileAt > 0 ? process.argv[profileAt + 1] : undefined;
const onlyAt = process.argv.indexOf('--only');
const ONLY = onlyAt > 0 ? process.argv[onlyAt + 1] : undefined;
const ENV = { OPENAI_API_KEY: 'sk-bench-queue-0123456789abcdef', CODEX_FLOW_PROVIDER: 'openai', CI: 'true' };

async function startWorkers(
  bundle: string,
  root: string,
  provider: CountingProvider,
  count: number,
  concurrency: number,
  profileDir?: string,
): Promise<ChildProcess[]> {
  return Promise.all(
    Array.from(
      { length: count },
      (_, index) =>
        new Promise<ChildProcess>((resolve, reject) => {
          const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
          const child = spawn(
            process.execPath,
            [...profile, bundle, '--concurrency', String(concurrency), '--aliases', BENCH_ALIAS, '--grace-ms', '2000'],
            {
              cwd: root,
              env: { ...process.env, ...ENV, OPENAI_BASE_URL: provider.baseUrl(index + 1) },
              stdio: ['ignore', 'ignore', 'pipe'],
            },
          );
          let text = '';
          child.stderr!.on('data', (chunk: Buffer) => {
            text += chunk.toString();
            if (text.includes('at once per alias')) resolve(child);
          });
          child.once('exit', (code) => reject(new Error(`worker exited ${code}: ${text}`)));
        }),
    ),
  );
}

async function stopWorkers(workers: ChildProcess[]): Promise<void> {
  await Promise.all(
    workers.map(
      (child) =>
        new Promise<void>((resolve) => {
          child.removeAllListeners('exit');
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
}

/** User + system CPU of a process so far, in ms (Linux /proc; 0 elsewhere). */
function cpuMsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks of 10 ms (CLK_TCK 100).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

interface Timed {
  wall: number;
  /** CPU of this process, the workers and redis-server during the run. */
  cpu: number;
  /** The same, apart: this process, then each of `others` in order. */
  parts: number[];
}

/** One `run --tasks` of `count` tasks on the bench alias; `queue` false runs them in process. */
async function timedRun(root: string, count: number, queue: boolean, others: number[], provider?: CountingProvider): Promise<Timed> {
  writeTasks(root, [BENCH_ALIAS], count);
  const env = queue ? ENV : { ...ENV, OPENAI_BASE_URL: provider!.baseUrl(9) };
  const io = memoryIO(root, env, '');
  const args = ['run', '--tasks', 'tasks.jsonl', '--json', ...(queue ? [] : ['--config', IN_PROCESS_CONFIG])];
  const cpuBefore = process.cpuUsage();
  const othersBefore = others.map(cpuMsOf);
  const started = performance.now();
  const code = await main(args, io);
  const wall = performance.now() - started;
  const own = process.cpuUsage(cpuBefore);
  const parts = [(own.user + own.system) / 1000, ...others.map((pid, index) => cpuMsOf(pid) - othersBefore[index]!)];
  const cpu = parts.reduce((sum, part) => sum + part, 0);
  const result = JSON.parse(io.out());
  if (code !== 0 || result.counts.ok !== count) throw new Error(`run failed: ${JSON.stringify(result.counts)} ${io.err().slice(0, 2000)}`);
  return { wall, cpu, parts };
}

const perTask = (ms: number, count: number) => `${(ms / count).toFixed(2)} ms/task`;
const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');

const redis = await startRedis();
const info = new Redis(redis.url);
const redisPid = Number(/process_id:(\d+)/.exec(await info.info('server'))?.[1] ?? 0);
info.disconnect();
const bundle = await workerBundle();
const lines: string[] = [];
const say = (line: string) => {
  lines.push(line);
  console.log(line);
};
say(`load average at start ${load()} (${process.env.HOSTNAME ?? 'this machine'})`);
try {
  // Overhead: instant model.
  if (ONLY !== 'throughput') {
    const provider = await startCountingProvider(0);
    const made = benchProject(redis.url, 24, OVERHEAD_TASKS);
    const workers = await startWorkers(bundle.file, made.root, provider, 3, 8, PROFILE_DIR);
    const pids = [redisPid, ...workers.map((child) => child.pid!)];
    await timedRun(made.root, 24, true, pids); // warm the workers and the submitter
    await timedRun(made.root, 24, false, pids, provider);
    const inProcess = await timedRun(made.root, OVERHEAD_TASKS, false, pids, provider);
    const queued = await timedRun(made.root, OVERHEAD_TASKS, true, pids);
    await stopWorkers(workers);
    await provider.close();
    made.remove();
    say(`overhead, ${OVERHEAD_TASKS} tasks, instant model, limit 24:`);
    say(`  in process            wall ${perTask(inProcess.wall, OVERHEAD_TASKS)}, CPU ${perTask(inProcess.cpu, OVERHEAD_TASKS)}`);
    say(`  queue, 3 workers      wall ${perTask(queued.wall, OVERHEAD_TASKS)}, CPU ${perTask(queued.cpu, OVERHEAD_TASKS)}`);
    const [submitter, redisCpu, ...workerCpu] = queued.parts as [number, number, ...number[]];
    const workersCpu = workerCpu.reduce((sum, part) => sum + part, 0);
    say(
      `    of which: the run ${perTask(submitter, OVERHEAD_TASKS)}, workers ${perTask(workersCpu, OVERHEAD_TASKS)}, redis-server ${perTask(redisCpu, OVERHEAD_TASKS)}`,
    );
    say(
      `  overhead              wall ${perTask(queued.wall - inProcess.wall, OVERHEAD_TASKS)}, CPU ${perTask(queued.cpu - inProcess.cpu, OVERHEAD_TASKS)} (target ≤ 2 ms/task)`,
    );
  }
  // Throughput: tasks whose model call waits 50 ms.
  if (ONLY !== 'overhead') {
    const provider = await startCountingProvider(50);
    const made = benchProject(redis.url, 64, THROUGHPUT_TASKS);
    await timedRun(made.root, 16, false, [], provider);
    const inProcess = await timedRun(made.root, THROUGHPUT_TASKS, false, [], provider);
    say(`throughput, ${THROUGHPUT_TASKS} tasks waiting 50 ms, limit 64:`);
    say(`  in process            ${(THROUGHPUT_TASKS / (inProcess.wall / 1000)).toFixed(0)} tasks/s`);
    for (const count of [1, 2, 3]) {
      const workers = await startWorkers(bundle.file, made.root, provider, count, 16);
      await timedRun(made.root, 16 * count, true, []);
      const { wall } = await timedRun(made.root, THROUGHPUT_TASKS, true, []);
      await stopWorkers(workers);
      say(`  queue, ${count} worker(s)    ${(THROUGHPUT_TASKS / (wall / 1000)).toFixed(0)} tasks/s (wall ${Math.round(wall)} ms)`);
    }
    await provider.close();
    made.remove();
  }
  say(`load average at end ${load()}`);
} finally {
  bundle.remove();
  await redis.stop();
}
process.exit(0);
