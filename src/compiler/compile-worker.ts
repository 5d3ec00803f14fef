/**
 * A compile worker thread: runs `BriefCompiler` on its share of the briefs. It keeps the
 * per-brief results between the two requests (`summarize`, then `definitions` once the main
 * thread knows the fleet's ids), and answers with plain data only.
 */
import { parentPort } from 'node:worker_threads';
import { BriefCompiler } from './compile.js';
import type { WorkerRequest, WorkerResponse } from './parallel.js';

let compiler: BriefCompiler | undefined;

parentPort!.on('message', (request: WorkerRequest) => {
  let response: WorkerResponse;
  try {
    if (request.type === 'summarize') {
      compiler = new BriefCompiler(request.options);
      response = { type: 'summaries', summaries: compiler.summarize(request.sources) };
    } else {
      response = { type: 'outcomes', outcomes: compiler!.definitions(new Set(request.fleetIds), request.accepted, true) };
    }
  } catch (error) {
    response = { type: 'error', message: error instanceof Error ? `${error.message}\n${error.stack}` : String(error) };
  }
  parentPort!.postMessage(response);
});
