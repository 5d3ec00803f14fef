/**
 * The background compaction's thread (background-compaction.ts starts it): folds a learning
 * folder's outcome log into its snapshot when asked, so the rotation, the wait for open appends
 * and the fold never run on the server's event loop. It shares nothing with the main thread but
 * the files, which the compaction already guards with its lock and append markers (learn/store.ts).
 */
import { parentPort } from 'node:worker_threads';
import { Learning } from '../learn/learner.js';
import type { CompactionReply, CompactionRequest } from './background-compaction.js';

parentPort?.on('message', (request: CompactionRequest) => {
  let reply: CompactionReply;
  try {
    // The folder as given: a Learning's folder is its root joined with options.dir.
    reply = { id: request.id, compacted: new Learning(request.dir, { ...request.options, dir: '.' }).compact() };
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  parentPort?.postMessage(reply);
});
