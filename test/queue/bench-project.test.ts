/**
 * bench/queue.ts measured nothing at full size: its overhead run of 300 tasks on one alias at
 * limit 24 had 20 tasks rejected with CF8001 (24 running + the default 256 waiting), in process
 * and through the queue alike, and the bench stopped. That rejection is the product's documented
 * backpressure (SPEC.md §5); the bench's project now sets the alias's threshold to its largest run.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { BENCH_ALIAS, benchProject, IN_PROCESS_CONFIG } from '../../bench/queue-project.js';
import { startCountingProvider, type CountingProvider } from './support/provider.js';
import { writeTasks, type QueueProject } from './support/project.js';

const ENV = { OPENAI_API_KEY: 'sk-test-queue-0123456789abcdef', CODEX_FLOW_PROVIDER: 'openai', CI: 'true' };

describe('the queue bench project', () => {
  let provider: CountingProvider | undefined;
  let project: QueueProject | undefined;
  afterAll(async () => {
    await provider?.close();
    project?.remove();
  });

  it('bench overhead run rejected 20 of 300 tasks: the bench project admits every task of its largest run', async () => {
    provider = await startCountingProvider(0);
    // The queue's URL is never dialled: the in-process config has no queue section.
    project = benchProject('redis://127.0.0.1:1/0', 24, 300);
    writeTasks(project.root, [BENCH_ALIAS], 300);
    const io = memoryIO(project.root, { ...ENV, OPENAI_BASE_URL: provider.baseUrl(9) }, '');
    const code = await main(['run', '--tasks', 'tasks.jsonl', '--json', '--config', IN_PROCESS_CONFIG], io);
    const result = JSON.parse(io.out()) as { counts: { ok: number; failed: number; rejected: number } };
    expect(result.counts).toEqual({ ok: 300, failed: 0, rejected: 0 });
    expect(code).toBe(0);
    expect(provider.total()).toBe(300);
  }, 120_000);
});
