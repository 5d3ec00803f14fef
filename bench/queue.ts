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
 * paid once per machine, not per run. The machine is shared: run it twice and compare.
 * Run: npx tsx bench/queue.ts [--quick]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { main } from '../src/cli/main.js';
import { memoryIO } from '../src/cli/io.js';
import { startRedis } from '../test/support/runner-redis.js';
import { startCountingProvider, type CountingProvider } from '../test/queue/support/provider.js';
import { workerBundle, writeTasks } from '../test/queue/support/project.js';
import { BENCH_ALIAS, benchProject, IN_PROCESS_CONFIG } from './queue-project.js';

const quick = process.argv.includes('--quick');
const OVERHEAD_TASKS = quick ? 100 : 300;
const THROUGHPUT_TASKS = quick ? 150 : 400;
const ENV = { OPENAI_API_KEY: 'sk-bench-queue-0123456789abcdef', CODEX_FLOW_PROVIDER: 'openai', CI: 'true' };

async function startWorkers(
  bundle: string,
  root: string,
  provider: CountingProvider,
  count: number,
  concurrency: number,
): Promise<ChildProcess[]> {
  return Promise.all(
    Array.from(
      { length: count },
      (_, index) =>
        new Promise<ChildProcess>((resolve, reject) => {
          const child = spawn(
            process.execPath,
            [bundle, '--concurrency', String(concurrency), '--aliases', BENCH_ALIAS, '--grace-ms', '2000'],
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

/** Wall time of one `run --tasks` of `count` tasks on alias b; `queue` false runs them in process. */
async function timedRun(root: string, count: number, queue: boolean, provider?: CountingProvider): Promise<number> {
  writeTasks(root, [BENCH_ALIAS], count);
  const env = queue ? ENV : { ...ENV, OPENAI_BASE_URL: provider!.baseUrl(9) };
  const io = memoryIO(root, env, '');
  const args = ['run', '--tasks', 'tasks.jsonl', '--json', ...(queue ? [] : ['--config', IN_PROCESS_CONFIG])];
  const started = performance.now();
  const code = await main(args, io);
  const wall = performance.now() - started;
  const result = JSON.parse(io.out());
  if (code !== 0 || result.counts.ok !== count) throw new Error(`run failed: ${JSON.stringify(result.counts)} ${io.err().slice(0, 2000)}`);
  return wall;
}

const redis = await startRedis();
const bundle = await workerBundle();
const lines: string[] = [];
const say = (line: string) => {
  lines.push(line);
  console.log(line);
};
try {
  // Overhead: instant model.
  {
    const provider = await startCountingProvider(0);
    const made = benchProject(redis.url, 24, OVERHEAD_TASKS);
    const workers = await startWorkers(bundle.file, made.root, provider, 3, 8);
    await timedRun(made.root, 24, true); // warm the workers and the submitter
    await timedRun(made.root, 24, false, provider);
    const inProcess = await timedRun(made.root, OVERHEAD_TASKS, false, provider);
    const queued = await timedRun(made.root, OVERHEAD_TASKS, true);
    await stopWorkers(workers);
    await provider.close();
    made.remove();
    say(`overhead, ${OVERHEAD_TASKS} tasks, instant model, limit 24:`);
    say(`  in process            ${(inProcess / OVERHEAD_TASKS).toFixed(2)} ms/task (wall ${Math.round(inProcess)} ms)`);
    say(`  queue, 3 workers      ${(queued / OVERHEAD_TASKS).toFixed(2)} ms/task (wall ${Math.round(queued)} ms)`);
    say(`  overhead              ${((queued - inProcess) / OVERHEAD_TASKS).toFixed(2)} ms/task (target ≤ 2)`);
  }
  // Throughput: tasks whose model call waits 50 ms.
  {
    const provider = await startCountingProvider(50);
    const made = benchProject(redis.url, 64, THROUGHPUT_TASKS);
    await timedRun(made.root, 16, false, provider);
    const inProcess = await timedRun(made.root, THROUGHPUT_TASKS, false, provider);
    say(`throughput, ${THROUGHPUT_TASKS} tasks waiting 50 ms, limit 64:`);
    say(`  in process            ${(THROUGHPUT_TASKS / (inProcess / 1000)).toFixed(0)} tasks/s`);
    for (const count of [1, 2, 3]) {
      const workers = await startWorkers(bundle.file, made.root, provider, count, 16);
      await timedRun(made.root, 16 * count, true);
      const wall = await timedRun(made.root, THROUGHPUT_TASKS, true);
      await stopWorkers(workers);
      say(`  queue, ${count} worker(s)    ${(THROUGHPUT_TASKS / (wall / 1000)).toFixed(0)} tasks/s (wall ${Math.round(wall)} ms)`);
    }
    await provider.close();
    made.remove();
  }
} finally {
  bundle.remove();
  await redis.stop();
}
process.exit(0);
