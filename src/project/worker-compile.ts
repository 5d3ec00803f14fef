/**
 * Compiles off the event loop: one worker thread (compile-worker.ts) per watch, asked once per
 * change. A compile that runs past its time is cut (the thread is terminated; the next change
 * starts a fresh one with a cold cache) and comes back as CF9600, so a hung compile keeps the
 * served fleet and never stops the server. Publishing is atomic in the compiler, so a thread cut
 * mid-publish leaves the last complete fleet on disk.
 *
 * @example
 * const compiler = new WorkerCompiler(options, 60_000);
 * const { diagnostics, written } = await compiler.compile();
 * await compiler.close();
 */
import { Worker } from 'node:worker_threads';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { CompilerOptions } from '../compiler/options.js';
import type { FleetTexts } from '../fleet/load.js';
import { workerSource } from './worker-source.js';

/** How long one compile may take before the thread is cut. */
export const COMPILE_TIMEOUT_MS = 120_000;

export interface CompileRequest {
  id: number;
}

export type CompileReply = { id: number; diagnostics: Diagnostic[]; written: boolean; fleet?: FleetTexts } | { id: number; error: string };

/** What the hot reload reads of a compile. */
export interface WorkerCompileResult {
  diagnostics: Diagnostic[];
  written: boolean;
  /** The published index.json and triggers.json, read back and checked on the thread. */
  fleet?: FleetTexts;
}

export class WorkerCompiler {
  private worker: Worker | undefined;
  private next = 0;
  private closed = false;

  constructor(
    private readonly options: CompilerOptions,
    private readonly timeoutMs = COMPILE_TIMEOUT_MS,
  ) {}

  /**
   * One compile on the thread; a thread that fails, exits or runs past the timeout answers a
   * diagnostic. After close() nothing compiles and no thread starts: a change that arrives while
   * the server stops would otherwise start a fresh thread in a process that is exiting.
   */
  async compile(): Promise<WorkerCompileResult> {
    if (this.closed) return { diagnostics: [], written: false };
    const worker = this.thread();
    const id = ++this.next;
    return new Promise<WorkerCompileResult>((settle) => {
      const done = (result: WorkerCompileResult) => {
        clearTimeout(timer);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        settle(result);
      };
      const failed = (code: 'CF9600' | 'CF9601', message: string) => {
        this.drop(worker);
        done({ diagnostics: [diagnostic(code, message)], written: false });
      };
      const onMessage = (reply: CompileReply) => {
        if (reply.id !== id) return;
        if ('error' in reply) failed('CF9601', `the compile failed: ${reply.error}`);
        else done({ diagnostics: reply.diagnostics, written: reply.written, ...(reply.fleet ? { fleet: reply.fleet } : {}) });
      };
      const onError = (error: Error) => failed('CF9601', `the compile thread failed: ${error.stack ?? error.message}`);
      const onExit = (code: number) => failed('CF9601', `the compile thread exited (${code})`);
      const timer = setTimeout(() => failed('CF9600', `the compile ran past ${this.timeoutMs} ms and was cut`), this.timeoutMs);
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.postMessage({ id } satisfies CompileRequest);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const { source, eval: evaluate } = workerSource('compile-worker');
    const worker = new Worker(source, { eval: evaluate, workerData: this.options });
    // A compile in flight hears about a failure itself; between compiles the next compile starts a new thread.
    worker.on('error', () => {}).on('exit', () => this.drop(worker));
    // Waiting for the next change does not keep the process alive; a compile's own timer does while it runs.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private drop(worker: Worker | undefined): void {
    if (!worker || worker !== this.worker) return;
    this.worker = undefined;
    void worker.terminate();
  }
}
