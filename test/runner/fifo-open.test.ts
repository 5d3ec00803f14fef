/**
 * Read or Write of a FIFO never hangs (regression: the agent ran `mkfifo p`, then Read p; the open
 * waited for a writer on a libuv thread past the task's deadline and kept the process alive). A
 * scripted model (fixture provider server, OpenAI wire) reads and writes a FIFO in its workspace:
 * both come back at once, read as "not a file", write refused, and the FIFO is untouched. Grep
 * skips a file swapped for a FIFO after its folder was listed.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, openSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTasks } from '../../src/runner/runner.js';
import { grepTool } from '../../src/runner/tools/search.js';
import type { ToolContext } from '../../src/runner/tools/types.js';
import { Workspace } from '../../src/runner/tools/workspace.js';
import { useProviderServer } from '../support/use-provider-server.js';
import { agent, fleetOf, readEvents, requestSummary, runnerInit, runnerOptions, useTempProject } from '../support/runner-fixtures.js';

const server = useProviderServer();
const project = useTempProject('cf-fifo-');
const fleet = fleetOf(
  agent('piper', {
    capabilities: { detail: { tools: { allowed: ['Read', 'Write', 'Grep'], restricted: [] } } },
    runtime: { max_steps: 3 },
  }),
);
/** Longer than a correct run needs by far; a hung open is released after it so the file can end. */
const HANG_BOUND_MS = 5_000;

beforeAll(() => execFileSync('mkfifo', [join(project.root, 'p')]));

/** Opens the other end of the FIFO without blocking, which releases an open waiting on it. */
function releaseFifo(path = join(project.root, 'p')): void {
  for (const flags of [constants.O_RDONLY | constants.O_NONBLOCK, constants.O_WRONLY | constants.O_NONBLOCK]) {
    try {
      closeSync(openSync(path, flags));
    } catch {
      /* no one waiting on this end */
    }
  }
}

/** `work` or 'hung' after HANG_BOUND_MS; a hung open on `fifo` is released before returning. */
async function bounded<T>(work: Promise<T>, fifo: string): Promise<T | 'hung'> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), HANG_BOUND_MS);
  });
  const result = await Promise.race([work, hung]);
  clearTimeout(timer);
  if (result === 'hung') {
    // Free the blocked libuv threads before failing, so the test file can end.
    for (let attempt = 0; attempt < 20; attempt++) {
      releaseFifo(fifo);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await work.catch(() => {});
  }
  return result;
}

describe('FIFO in the workspace', () => {
  it('Read, Write and Grep of a FIFO return at once instead of hanging the task', async () => {
    server.enqueue('openai', {
      toolCalls: [
        { id: 'read', name: 'Read', input: { file_path: 'p' } },
        { id: 'write', name: 'Write', input: { file_path: 'p', content: 'x' } },
        { id: 'grep', name: 'Grep', input: { pattern: 'x', path: 'p' } },
      ],
    });
    server.enqueue('openai', { text: 'done' });
    const result = await bounded(
      runTasks([{ agent: 'piper', task: 'read the pipe' }], runnerInit(server, project.root, fleet)),
      join(project.root, 'p'),
    );
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

  it('Grep skips a file swapped for a FIFO after the folder was listed', async () => {
    const folder = join(project.root, 'swap');
    mkdirSync(folder);
    writeFileSync(join(folder, 'a.txt'), 'needle\n');
    writeFileSync(join(folder, 'b.txt'), 'needle\n');
    const workspace = await Workspace.open(project.root);
    const list = workspace.list.bind(workspace);
    // The listing sees two regular files; then b.txt becomes a FIFO before Grep opens it.
    workspace.list = async (input) => {
      const listed = await list(input);
      if (String(input).endsWith('swap')) {
        unlinkSync(join(folder, 'b.txt'));
        execFileSync('mkfifo', [join(folder, 'b.txt')]);
      }
      return listed;
    };
    const context: ToolContext = {
      workspace,
      signal: new AbortController().signal,
      options: runnerOptions().tools,
      limits: {},
      env: {},
      remainingMs: () => 10_000,
      todos: [],
    };
    const result = await bounded(grepTool.run({ pattern: 'needle', path: 'swap' }, context), join(folder, 'b.txt'));
    expect(result).not.toBe('hung');
    expect(result).toMatchObject({ ok: true, output: expect.stringContaining('a.txt:1:needle') });
    expect(JSON.stringify(result)).not.toContain('b.txt');
  }, 20_000);
});
