/**
 * Recompile when briefs change, reusing every unchanged brief's passes through the compile cache.
 * Changes are debounced so saving ten files recompiles once. This is the loop itself, for any
 * caller: `convert --watch` (cli/watch.ts) prints its results, the server's hot reload swaps fleets.
 */
import { watch } from 'chokidar';
import { resolve } from 'node:path';
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
export async function watchBriefs(
  options: CompilerOptions,
  compiled: (result: ConvertResult, reason: string, ms: number) => void | Promise<void>,
  debounceMs = WATCH_DEBOUNCE_MS,
): Promise<BriefWatch> {
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
    timer = setTimeout(() => {
      running = running.then(() => compile(String(path)));
    }, debounceMs);
  });
  await new Promise<void>((ready) => watcher.once('ready', () => ready()));
  return {
    idle: async () => {
      await running;
    },
    close: async () => {
      clearTimeout(timer);
      await running;
      await watcher.close();
    },
  };
}
