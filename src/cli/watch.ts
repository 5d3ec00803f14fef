/**
 * `convert --watch`: recompile when briefs change, reusing every unchanged brief's passes through
 * the compile cache. Changes are debounced so saving ten files recompiles once.
 */
import { watch } from 'chokidar';
import { resolve } from 'node:path';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { CompileCache } from '../compiler/compile.js';
import { convertFleet } from '../compiler/convert.js';
import type { CompilerOptions } from '../compiler/options.js';
import type { CommandIO } from './io.js';
import { printDiagnostics, summarize } from './report.js';

/** Quiet period after the last change before recompiling: editors write files in bursts. */
export const WATCH_DEBOUNCE_MS = 150;

export async function watchFleet(io: CommandIO, options: CompilerOptions, flags: { verbose?: boolean; json?: boolean }, signal?: AbortSignal): Promise<number> {
  const cache = new CompileCache();
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const compile = async (reason: string) => {
    const started = performance.now();
    const result = await convertFleet(options, { cache });
    const ms = Math.round(performance.now() - started);
    if (flags.json) {
      io.stdout(`${JSON.stringify({ event: 'compiled', reason, ms, stats: result.stats, written: result.written, ok: !hasErrors(result.diagnostics), diagnostics: result.diagnostics })}\n`);
      return;
    }
    printDiagnostics(io, result.diagnostics, flags);
    io.stdout(`[${reason}] compiled ${result.stats.compiled}/${result.stats.briefs} (${result.stats.recompiled} recompiled) in ${ms} ms${result.written ? '' : ', unchanged'}; ${summarize(result.diagnostics, flags.verbose)}\n`);
  };
  await compile('start');
  const watcher = watch(resolve(options.root, options.src), { ignoreInitial: true });
  const schedule = (path: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => { running = running.then(() => compile(path)); }, WATCH_DEBOUNCE_MS);
  };
  watcher.on('all', (_event, path) => schedule(String(path)));
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
  clearTimeout(timer);
  await running;
  await watcher.close();
  return 0;
}
