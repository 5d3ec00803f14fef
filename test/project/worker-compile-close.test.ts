/**
 * Regression: a brief change that reached the compile thread's owner after close() (the server
 * stopping) started a fresh compile thread in the exiting process; loading the native regex
 * module there aborted node with a V8 fatal error, so `serve` crashed on SIGTERM during edits.
 * After close() a compile starts no thread and writes nothing.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { resolveCompilerOptions } from '../../src/compiler/options.js';
import { WorkerCompiler } from '../../src/project/worker-compile.js';

describe('WorkerCompiler after close', () => {
  it('a compile asked after close() starts no thread and publishes nothing', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cf-worker-close-'));
    const io = memoryIO(root, {});
    expect(await main(['init'], io), io.err()).toBe(0);
    const options = resolveCompilerOptions(root, {}, {}, {});
    const compiler = new WorkerCompiler(options, 60_000);
    await compiler.close();
    const result = await compiler.compile();
    expect(result).toEqual({ diagnostics: [], written: false });
    expect(existsSync(join(root, 'codex/agents/index.json'))).toBe(false);
  }, 90_000);
});
