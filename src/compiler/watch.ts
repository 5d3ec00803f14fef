/**
 * `convert --watch`: recompile when briefs change, reusing every unchanged brief's passes through
 * the compile cache. Changes are debounced so saving ten files recompiles once. `watchBriefs` is
 * the loop itself, for any caller (the server's hot reload); `watchFleet` is the command's shell.
 */
import { watch } from 'chokidar';
import { resolve } from 'node:path';
import { hasErrors } from '../diagnostics/diagnostic.js';
import type { CommandIO } from '../cli/io.js';
import { printDiagnostics, summarize } from '../cli/report.js';
import { CompileCache } from './compile.js';
import { convertFleet, type ConvertResult } from './convert.js';
import type { CompilerOptions } from './options.js';

/** Quiet period after the last change before recompiling: editors write files in bursts. */
export const WATCH_DEBOUNCE_MS = 150;

export interface BriefWatch {
  /** Settles when every compile scheduled so far has run (and its callback returned). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Compiles once, then again (incrementally, debounced) after each change under the brief folder;
 * `compiled` sees every result, one at a time, in order.
 *
 * @example const watch = await watchBriefs(options, (result) => reload(result));
 */
export async function watchBriefs(options: CompilerOptions, compiled: (result: ConvertResult, reason: string, ms: number) => void | Promise<void>, debounceMs = WATCH_DEBOUNCE_MS): Promise<BriefWatch> {
  const cache = new CompileCache();
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const compile = async (reason: string) => {
    const started = performance.now();
    const result = await convertFleet(options, { cache });
    await compiled(result, reason, Math.round(performance.now() - started));
  };
  await compile('start');
  const watcher = watch(resolve(options.root, options.src), { ignoreInitial: true });
  watcher.on('all', (_event, path) => {
    clearTimeout(timer);
    timer = setTimeout(() => { running = running.then(() => compile(String(path))); }, debounceMs);
  });
  await new Promise<void>((ready) => watcher.once('ready', () => ready()));
  return {
    idle: async () => { await running; },
    close: async () => {
      clearTimeout(timer);
      await running;
      await watcher.close();
    },
  };
}

export async function watchFleet(io: CommandIO, options: CompilerOptions, flags: { verbose?: boolean; json?: boolean }, signal?: AbortSignal): Promise<number> {
  const watching = await watchBriefs(options, (result, reason, ms) => {
    if (flags.json) {
      io.stdout(`${JSON.stringify({ event: 'compiled', reason, ms, stats: result.stats, written: result.written, ok: !hasErrors(result.diagnostics), diagnostics: result.diagnostics })}\n`);
      return;
    }
    printDiagnostics(io, result.diagnostics, flags);
    io.stdout(`[${reason}] compiled ${result.stats.compiled}/${result.stats.briefs} (${result.stats.recompiled} recompiled) in ${ms} ms${result.written ? '' : ', unchanged'}; ${summarize(result.diagnostics, flags.verbose)}\n`);
  });
  // Listening before saying so: a Ctrl-C the moment the prompt shows stops the watch (exit 0)
  // instead of meeting Node's default handler.
  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      signal?.removeEventListener('abort', stop);
      resolve();
    };
    signal?.addEventListener('abort', stop, { once: true });
    process.once('SIGINT', stop);
  });
  io.stderr(`watching ${options.src} (Ctrl-C to stop)\n`);
  await stopped;
  await watching.close();
  return 0;
}
