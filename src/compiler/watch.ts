/**
 * Recompile when briefs change, reusing every unchanged brief's passes through the compile cache.
 * Changes are debounced so saving ten files recompiles once. This is the loop itself, for any
 * caller: `convert --watch` (cli/watch.ts) prints its results, the server's hot reload swaps fleets
 * and compiles off its event loop (a `compile` of its own).
 * A compile or a callback that throws, and an error of the file watcher itself, go to `onError`;
 * the loop keeps watching and the next change compiles again.
 */
import { watch } from 'chokidar';
import { resolve } from 'node:path';
import { CompileCache } from './compile.js';
import { convertFleet, type ConvertResult } from './convert.js';
import type { CompilerOptions } from './options.js';

/** A recompile waits for this much quiet after the last change: editors write files in bursts. */
export const WATCH_DEBOUNCE_MS = 150;

export interface BriefWatch {
  /** Settles when every compile scheduled so far has run (and its callback returned). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface BriefWatchSettings<Result> {
  debounceMs?: number;
  /** Runs one compile (`reason` is `start` or the changed path); the default compiles in this thread with one cache for the watch's life. */
  compile?: (reason: string) => Promise<Result>;
  /** Returns once the watcher is ready, without waiting for the start compile (its failure goes to `onError`). */
  startInBackground?: boolean;
  /** A compile, callback or watcher that failed; `reason` is the change that set it off, or `watcher`. */
  onError?: (error: unknown, reason: string) => void;
}

/** Without an `onError`, a failure is said on stderr: the watch goes on either way. */
function reportOnStderr(error: unknown, reason: string): void {
  process.stderr.write(`codex-flow: watch (${reason}): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
}

/**
 * Compiles once, then again (incrementally, debounced) after each change under the brief folder;
 * `compiled` sees every result, one at a time, in order. A start compile that throws is the
 * caller's (unless it runs in the background).
 *
 * @example const watch = await watchBriefs(options, (result) => reload(result));
 */
export async function watchBriefs<Result = ConvertResult>(
  options: CompilerOptions,
  compiled: (result: Result, reason: string, ms: number) => void | Promise<void>,
  settings: BriefWatchSettings<Result> = {},
): Promise<BriefWatch> {
  const { debounceMs = WATCH_DEBOUNCE_MS, onError = reportOnStderr } = settings;
  const cache = new CompileCache();
  const compileOnce = settings.compile ?? (() => convertFleet(options, { cache }) as Promise<Result>);
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const compile = async (reason: string) => {
    const started = performance.now();
    const result = await compileOnce(reason);
    await compiled(result, reason, Math.round(performance.now() - started));
  };
  // Watching before the start compile: a change saved while it runs compiles after it.
  const watcher = watch(resolve(options.root, options.src), { ignoreInitial: true });
  // Without a listener an `error` event would throw out of chokidar.
  watcher.on('error', (error) => onError(error, 'watcher'));
  watcher.on('all', (_event, path) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const reason = String(path);
      // Caught here, so the chain stays resolved: the next change compiles again and nothing is left unhandled.
      running = running.then(() => compile(reason)).catch((error: unknown) => onError(error, reason));
    }, debounceMs);
  });
  const ready = new Promise<void>((settle) => watcher.once('ready', () => settle()));
  const start = compile('start');
  running = start.catch((error: unknown) => {
    if (settings.startInBackground) onError(error, 'start');
  });
  if (!settings.startInBackground) {
    try {
      await start;
    } catch (error) {
      await watcher.close();
      throw error;
    }
  }
  await ready;
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
