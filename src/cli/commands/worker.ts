/**
 * `codex-flow worker [--concurrency N] [--aliases a,b]`: takes tasks from the queue (queue.url or
 * CODEX_FLOW_QUEUE_URL) and runs them with this machine's compiled fleet, config and providers,
 * until SIGTERM or SIGINT: then it stops taking jobs, gives those in hand `--grace-ms` to finish,
 * and puts the rest back in their queue. Redis unreachable at start: CF8501 within seconds, exit 1.
 */
import type { Command } from 'commander';
import { untilStopSignal } from '../../util/stop-signal.js';
import { diagnostic, hasErrors } from '../../diagnostics/diagnostic.js';
import { withProviderFlags, chainSpecFromFlags, type ProviderFlags } from '../provider-flags.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError, type CommandIO } from '../io.js';
import { withCommonFlags, type CommonFlags } from '../options.js';
import { printDiagnostics } from '../report.js';
import { openQueueClient } from './queue.js';
import type { Runner as RunnerType } from '../../runner/runner.js';

export interface WorkerFlags extends CommonFlags, ProviderFlags {
  concurrency?: string;
  aliases?: string;
  graceMs?: string;
  fleet?: string;
}

/** Jobs of one alias a worker runs at once unless told: agent tasks wait on the network, not the CPU. */
const DEFAULT_CONCURRENCY = 4;
/** On SIGTERM, the time jobs in hand get to finish; what is still running then is put back in the queue. */
const DEFAULT_GRACE_MS = 30_000;

function positive(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new UsageError(`${flag} takes a whole number ≥ 1, not "${value}"`);
  return parsed;
}

export async function runWorker(io: CommandIO, flags: WorkerFlags, stop?: AbortSignal): Promise<number> {
  const concurrency = positive(flags.concurrency, DEFAULT_CONCURRENCY, '--concurrency');
  const graceMs = positive(flags.graceMs, DEFAULT_GRACE_MS, '--grace-ms');
  const aliases = flags.aliases
    ?.split(',')
    .map((alias) => alias.trim())
    .filter(Boolean);
  const opened = await openQueueClient(io, flags, 'worker');
  if (typeof opened === 'number') return opened;
  const { redis, options } = opened;
  const { closeQuietly } = await import('../../queue/connection.js');
  const { openRunContext } = await import('../../project/open-run.js');
  const { Runner } = await import('../../runner/runner.js');
  const open = (fleetDir?: string) =>
    openRunContext({
      root: io.cwd,
      env: io.env,
      needsRouter: false,
      inProcess: true,
      chain: chainSpecFromFlags(flags),
      ...(flags.config ? { configFile: flags.config } : {}),
      ...(fleetDir ? { fleetDir } : {}),
    });
  const context = await open(flags.fleet);
  const { init, chain, fleetHash } = context;
  if (!init || !chain || !fleetHash || hasErrors(context.diagnostics)) {
    printDiagnostics(io, context.redactor.value(context.diagnostics), flags);
    await closeQuietly(redis);
    return EXIT_FINDINGS;
  }
  printDiagnostics(io, context.redactor.value(context.diagnostics), flags);
  const write = { stdout: io.stderr, stderr: io.stderr };
  const runner = await Runner.create({ ...init, record: false, write });
  const { estimateCallUsd } = await import('../../providers/budget.js');
  const { priceFor } = await import('../../providers/provider-settings.js');
  const { QueueWorker } = await import('../../queue/worker.js');
  const others = new Map<string, Promise<RunnerType | undefined>>();
  const runnerFor = async (hash: string) => {
    if (!options.fleets) return undefined;
    const { storedFleetDir } = await import('../../queue/fleet-store.js');
    const { existsSync } = await import('node:fs');
    const { isAbsolute, join } = await import('node:path');
    const store = isAbsolute(options.fleets) ? options.fleets : join(io.cwd, options.fleets);
    const dir = storedFleetDir(store, hash);
    // A job naming no fleet hash, or one the store lacks, gets the worker's CF8502 refusal.
    if (dir === undefined || !existsSync(join(dir, 'index.json'))) return undefined;
    let found = others.get(hash);
    if (!found) {
      found = open(dir).then((other) =>
        other.init && other.fleetHash === hash ? Runner.create({ ...other.init, record: false, write }) : undefined,
      );
      others.set(hash, found);
    }
    return found;
  };
  // The providers' SDKs load at start-up, not inside a job: a load there blocks the event loop
  // long enough for the job's lock to lapse on a slow machine.
  const { createLanguageModel } = await import('../../providers/models.js');
  await Promise.all(
    chain.members
      .filter((member) => member.settings.configured)
      .map((member) => createLanguageModel(member.settings).catch(() => undefined)),
  );
  await import('ai').catch(() => undefined);
  // So do the alias check (the merged definition against the schema, compiled on first use) and
  // the fleet's definitions, which the first task's memory rules read and parse all at once.
  for (const alias of aliases ?? Object.keys(init.options.aliases)) runner.resolver.resolve(alias);
  for (const id of init.fleet.ids) init.fleet.definition(id);
  const worker = await QueueWorker.start({
    options,
    redis,
    runner,
    fleetHash,
    model: init.model,
    concurrency,
    runnerFor,
    estimate: (request) =>
      estimateCallUsd(
        request,
        chain.members.map((member) => priceFor(member.settings, chain.modelFor(member, request).model)),
      ),
    ...(aliases && aliases.length > 0 ? { aliases } : {}),
    log: io.stderr,
  });
  io.stderr(
    `codex-flow worker ${worker.name}: fleet ${fleetHash.slice(0, 12)}, ${aliases ? `aliases ${aliases.join(', ')}` : 'every alias a run uses'}, ${concurrency} at once per alias\n`,
  );
  await untilStopSignal(stop ? [] : ['SIGTERM', 'SIGINT'], stop);
  io.stderr(`codex-flow worker ${worker.name}: stopping (${graceMs} ms for the jobs in hand)\n`);
  const released = await worker.stop(graceMs);
  if (released > 0) printDiagnostics(io, [diagnostic('CF8505', `${released} job(s) put back in their queue`)], flags);
  chain.flush();
  await Promise.all([closeQuietly(redis), init.memory?.close()]);
  io.stderr(`codex-flow worker ${worker.name}: stopped after ${worker.processed} job(s)\n`);
  return EXIT_OK;
}

export function register(program: Command, io: CommandIO, setExit: (code: number) => void): void {
  withProviderFlags(
    withCommonFlags(
      program
        .command('worker')
        .description("take tasks from the queue (queue.url) and run them with this machine's fleet, until SIGTERM")
        .option(
          '--concurrency <n>',
          `jobs of each alias this worker runs at once (default ${DEFAULT_CONCURRENCY}); the alias's max_parallel_tasks caps all workers together`,
        )
        .option('--aliases <names>', 'comma-separated aliases to serve (default: every alias a run uses)')
        .option('--grace-ms <ms>', `on SIGTERM, how long jobs in hand may finish before they are put back (default ${DEFAULT_GRACE_MS})`)
        .option('--fleet <dir>', 'compiled fleet folder (default: compiler.out or codex/agents)'),
    ),
  ).action(async (flags: WorkerFlags) => setExit(await runWorker(io, flags)));
}
