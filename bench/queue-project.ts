/**
 * The project bench/queue.ts measures on: the sample fleet, one alias `b` (api-designer without
 * tools) at the given limit, the queue's URL, and `in-process.yaml`, the same config without the
 * queue section, for the in-process side of each comparison.
 *
 * The alias's `max_queued` is the largest run's task count: the bench measures what running tasks
 * costs, not backpressure. With the default threshold (256) a run of 300 tasks at limit 24 has 20
 * tasks rejected with CF8001, in process and through the queue alike, as SPEC.md §5 asks.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { queueProject, type QueueProject } from '../test/queue/support/project.js';

export const BENCH_ALIAS = 'b';
/** The in-process side's config file, beside codex-flow.config.yaml. */
export const IN_PROCESS_CONFIG = 'in-process.yaml';

export function benchProject(redisUrl: string, limit: number, largestRun: number): QueueProject {
  const made = queueProject(redisUrl, { [BENCH_ALIAS]: limit });
  const file = join(made.root, 'codex-flow.config.yaml');
  const config = readFileSync(file, 'utf8').replace(/^runner:\n/m, `runner:\n  queue: { max_queued: ${largestRun} }\n`);
  writeFileSync(file, config);
  writeFileSync(join(made.root, IN_PROCESS_CONFIG), config.replace(/^queue:\n( {2}.*\n)*/m, ''));
  return made;
}
