/**
 * Read or Write of a FIFO never hangs (regression: the agent ran `mkfifo p`, then Read p; the open
 * waited for a writer on a libuv thread past the task's deadline and kept the process alive). A
 * scripted model (fixture provider server, OpenAI wire) reads and writes a FIFO in its workspace:
 * both come back at once, read as "not a file", write refused, and the FIFO is untouched.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTasks } from '../../src/runner/runner.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { agent, fleetOf, readEvents, requestSummary, runnerInit, useTempProject } from '../support/runner-fixtures.js';

const server = useProviderServer();
const project = useTempProject('cf-fifo-');
const fleet = fleetOf(agent('piper', { capabilities: { detail: { tools: { allowed: ['Read', 'Write', 'Grep'], restricted: [] } } }, runtime: { max_steps: 3 } }));
/** Longer than a correct run needs by far; a hung open is released after it so the file can end. */
const HANG_BOUND_MS = 5_000;

beforeAll(() => execFileSync('mkfifo', [join(project.root, 'p')]));

/** Opens the other end of the FIFO without blocking, which releases an open waiting on it. */
function releaseFifo(): void {
  for (const flags of [constants.O_RDONLY | constants.O_NONBLOCK, constants.O_WRONLY | constants.O_NONBLOCK]) {
    try { closeSync(openSync(join(project.root, 'p'), flags)); } catch { /* no one waiting on this end */ }
  }
}

describe('FIFO in the workspace', () => {
  it('Read, Write and Grep of a FIFO return at once instead of hanging the task', async () => {
    server.enqueue('openai', { toolCalls: [
      { id: 'read', name: 'Read', input: { file_path: 'p' } },
      { id: 'write', name: 'Write', input: { file_path: 'p', content: 'x' } },
      { id: 'grep', name: 'Grep', input: { pattern: 'x', path: 'p' } },
    ] });
    server.enqueue('openai', { text: 'done' });
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<'hung'>((resolve) => { timer = setTimeout(() => resolve('hung'), HANG_BOUND_MS); });
    const run = runTasks([{ agent: 'piper', task: 'read the pipe' }], runnerInit(server, project.root, fleet));
    const result = await Promise.race([run, hung]);
    clearTimeout(timer);
    if (result === 'hung') {
      // Free the blocked libuv threads before failing, so the test file can end.
      for (let attempt = 0; attempt < 20; attempt++) { releaseFifo(); await new Promise((resolve) => setTimeout(resolve, 50)); }
      await run.catch(() => {});
    }
    expect(result).not.toBe('hung');
    if (result === 'hung') return;
    expect(result.tasks[0]).toMatchObject({ ok: true, tool_calls: 3 });
    const refused = readEvents(join(project.root, result.record!)).filter((event) => event.event === 'tool-refused');
    expect(refused.map((event) => event.call_id)).toEqual(['write']);
    const { toolResults } = requestSummary(server.requests[1]!.body);
    expect(toolResults[0]).toContain('not a file');
    expect(toolResults[2]).toContain('no matches');
    expect(statSync(join(project.root, 'p')).isFIFO()).toBe(true);
  }, 20_000);
});
