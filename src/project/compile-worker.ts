/**
 * The hot reload's compiler thread (worker-compile.ts starts it): it holds the compile cache for
 * the watch's life and compiles (and publishes) the briefs each time it is asked, so the server's
 * event loop keeps answering routes while 1,000 briefs compile. After a publish it also reads the
 * published index.json and triggers.json back and checks them as a reader does (load.ts: JSON,
 * shapes, versions, one compile), so the reload on the event loop takes checked texts and parses
 * nothing. It answers with what the reload reads (diagnostics, whether a fleet was written, those
 * texts), not the definitions: those stay on disk.
 */
import { resolve } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { loadFleet } from '../fleet/load.js';
import { CompileCache } from '../compiler/compile.js';
import { convertFleet } from '../compiler/convert.js';
import type { CompilerOptions } from '../compiler/options.js';
import type { CompileReply, CompileRequest } from './worker-compile.js';

const options = workerData as CompilerOptions;
const cache = new CompileCache();
/** One compile at a time, in the order asked: two publishing at once would race for the fleet folder. */
let queue = Promise.resolve();

parentPort?.on('message', (request: CompileRequest) => {
  queue = queue.then(() => compileFor(request));
});

async function compileFor(request: CompileRequest): Promise<void> {
  await convertFleet(options, { cache }).then(
    (result): void => {
      // A published fleet that does not read back whole is opened from disk by the reload, which reports it.
      const checked = result.written ? loadFleet(resolve(options.root, options.out)) : undefined;
      const fleet = checked?.texts && !hasErrors(checked.diagnostics) ? checked.texts : undefined;
      parentPort?.postMessage({
        id: request.id,
        diagnostics: result.diagnostics,
        written: result.written,
        ...(fleet ? { fleet } : {}),
      } satisfies CompileReply);
    },
    (error: unknown): void =>
      parentPort?.postMessage({
        id: request.id,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      } satisfies CompileReply),
  );
}
