/**
 * Compiling on every core. The per-brief passes (parse, normalize, infer, assemble, validate,
 * render) are independent, and they are nine tenths of a cold compile, so a large fleet is split
 * into contiguous chunks of the sorted briefs: this thread compiles the first, worker threads
 * the others, with the same `BriefCompiler` code. The fleet-level steps run here once.
 * Invariant: the result is identical, byte for byte and diagnostic for diagnostic, to
 * `compileSources` on one thread (a test compares both on the corpus); only `stats` order of work
 * differs, and nothing observable depends on it.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { AgentDefinition } from '../schema/definition.js';
import { BriefCompiler, finishFleet, planFleet, sortSources, type BriefSummary, type CompileResult, type DefinitionOutcome, type SourceInput } from './compile.js';
import { primeRendered } from './emit.js';
import type { CompilerOptions } from './options.js';

/** Below this many briefs a worker's start-up (~100 ms of module loading) costs more than it saves. */
export const PARALLEL_MIN_BRIEFS = 300;

/** At most this many worker threads: beyond the core count they only compete. */
export const MAX_COMPILE_WORKERS = 7;

export type WorkerRequest =
  | { type: 'summarize'; options: CompilerOptions; sources: SourceInput[] }
  | { type: 'definitions'; fleetIds: string[]; accepted: string[] };

export type WorkerResponse =
  | { type: 'summaries'; summaries: BriefSummary[] }
  | { type: 'outcomes'; outcomes: DefinitionOutcome[] }
  | { type: 'error'; message: string };

/** Threads `auto` picks for `count` briefs on this machine (1 means: compile on this thread). */
export function compileThreads(count: number): number {
  if (count < PARALLEL_MIN_BRIEFS) return 1;
  return Math.max(1, Math.min(availableParallelism(), MAX_COMPILE_WORKERS + 1, Math.floor(count / (PARALLEL_MIN_BRIEFS / 2))));
}

/** Splits sorted sources into `parts` contiguous chunks of about equal bytes. */
function chunk(sources: readonly SourceInput[], parts: number): SourceInput[][] {
  const size = (source: SourceInput) => ('bytes' in source ? source.bytes.length : 0) + 256;
  const total = sources.reduce((sum, source) => sum + size(source), 0);
  const chunks: SourceInput[][] = [[]];
  let filled = 0;
  for (const source of sources) {
    if (filled >= (total / parts) * chunks.length && chunks.length < parts) chunks.push([]);
    chunks[chunks.length - 1]!.push(source);
    filled += size(source);
  }
  return chunks;
}

/** The worker's entry: compiled JS next to this file, or the TypeScript source under a TS loader. */
function workerUrl(): URL {
  return new URL(`./compile-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
}

class CompileWorker {
  private readonly worker: Worker;
  private pending: { resolve: (response: WorkerResponse) => void; reject: (error: Error) => void } | undefined;

  constructor() {
    const url = workerUrl();
    // Running from TypeScript sources (tests, tsx): register tsx in the worker before loading it.
    this.worker = url.pathname.endsWith('.ts')
      ? new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); })`, { eval: true })
      : new Worker(url);
    this.worker.on('message', (response: WorkerResponse) => this.pending?.resolve(response));
    this.worker.on('error', (error) => this.pending?.reject(error));
  }

  ask<T extends WorkerResponse['type']>(request: WorkerRequest, expected: T): Promise<Extract<WorkerResponse, { type: T }>> {
    return new Promise((resolve, reject) => {
      this.pending = {
        resolve: (response) => {
          if (response.type === expected) resolve(response as Extract<WorkerResponse, { type: T }>);
          else reject(new Error(response.type === 'error' ? `compile worker failed: ${response.message}` : `unexpected ${response.type}`));
        },
        reject,
      };
      this.worker.postMessage(request);
    });
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}

/**
 * Compiles briefs on `threads` threads (this one included). Same result as `compileSources`.
 *
 * @example await compileInParallel(sources, options, () => stamp, compileThreads(sources.length))
 */
export async function compileInParallel(sources: readonly SourceInput[], options: CompilerOptions, generatedAt: (hash: string) => string, threads: number): Promise<CompileResult> {
  const ordered = sortSources(sources);
  const [own = [], ...rest] = chunk(ordered, Math.max(1, threads));
  const workers = rest.map(() => new CompileWorker());
  try {
    const local = new BriefCompiler(options);
    const remote = workers.map((worker, index) => worker.ask({ type: 'summarize', options, sources: rest[index]! }, 'summaries'));
    const summaries = [local.summarize(own), ...(await Promise.all(remote)).map((response) => response.summaries)];
    const plan = planFleet(summaries.flat());
    const acceptedBy = summaries.map((part) => {
      const paths = new Set(part.map((summary) => summary.path));
      return plan.accepted.filter((path) => paths.has(path));
    });
    const fleetIds = [...plan.fleetIds];
    const remoteOutcomes = workers.map((worker, index) => worker.ask({ type: 'definitions', fleetIds, accepted: acceptedBy[index + 1]! }, 'outcomes'));
    const outcomes = [local.definitions(plan.fleetIds, acceptedBy[0]!, false), ...(await Promise.all(remoteOutcomes)).map((response) => response.outcomes)].flat();
    for (const outcome of outcomes) if (outcome.definition && outcome.rendered !== undefined) primeRendered(outcome.definition as AgentDefinition, outcome.rendered);
    return finishFleet(summaries.flat(), plan, outcomes, options, generatedAt);
  } finally {
    await Promise.all(workers.map((worker) => worker.close()));
  }
}
