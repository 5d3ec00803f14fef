/**
 * The symlink-swap race, bounded: a separate process swaps a workspace folder for a link to an
 * outside folder and back as fast as it can, while LS, Glob, Grep, Read and Write run against it.
 * Nothing outside may be listed, read or created. The outside folder holds files and folders
 * whose names and contents say "outside", so a leak is visible in any tool's output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lsTool, readTool, writeTool } from '../../src/runner/tools/files.js';
import { globTool, grepTool } from '../../src/runner/tools/search.js';
import type { ToolContext, ToolOutcome } from '../../src/runner/tools/types.js';
import { Workspace } from '../../src/runner/tools/workspace.js';
import { runnerOptions, useTempProject } from '../support/runner-fixtures.js';

/** How long the race runs: long enough for thousands of swaps, short enough for every CI run. */
const RACE_MS = 3_000;

const project = useTempProject('cf-race-');
const outside = useTempProject('cf-race-outside-');
let swapper: ChildProcess | undefined;

function plant(folder: string, marker: string): void {
  mkdirSync(join(folder, 'sub', 'deeper'), { recursive: true });
  for (const dir of [folder, join(folder, 'sub'), join(folder, 'sub', 'deeper')]) {
    writeFileSync(join(dir, `${marker}-file.txt`), `${marker.toUpperCase()} CONTENT\n`);
  }
}

beforeAll(() => {
  plant(join(project.root, 'dir'), 'inside');
  plant(outside.root, 'outside');
  // Swap `dir` for a link to the outside folder and back, forever (killed in afterAll).
  const script = `
const { renameSync, symlinkSync, unlinkSync } = require('node:fs');
const { join } = require('node:path');
const [root, target] = process.argv.slice(1);
const real = join(root, 'dir'), link = join(root, 'dir-link'), parked = join(root, 'dir-real');
const pause = new Int32Array(new SharedArrayBuffer(4));
for (;;) {
  try {
    renameSync(real, parked);
    symlinkSync(target, link);
    renameSync(link, real);
    Atomics.wait(pause, 0, 0, 1);
    unlinkSync(real);
    renameSync(parked, real);
    Atomics.wait(pause, 0, 0, 1);
  } catch {}
}
`;
  swapper = spawn(process.execPath, ['-e', script, project.root, outside.root], { stdio: 'ignore' });
});
afterAll(() => {
  swapper?.kill('SIGKILL');
});

describe('symlink-swap race (bounded)', () => {
  it(
    `lists, reads and creates nothing outside the workspace in ${RACE_MS} ms of swapping`,
    async () => {
      const workspace = await Workspace.open(project.root);
      const context: ToolContext = {
        workspace,
        signal: new AbortController().signal,
        options: runnerOptions().tools,
        limits: {},
        env: {},
        remainingMs: () => 10_000,
        todos: [],
      };
      const leaks: Record<string, number> = { LS: 0, Glob: 0, Grep: 0, Read: 0, Write: 0 };
      const calls: Record<string, number> = { LS: 0, Glob: 0, Grep: 0, Read: 0, Write: 0 };
      const leaked = (outcome: { ok: boolean; output?: unknown; error?: string }) => /outside/i.test(JSON.stringify(outcome));
      // As the agent loop does (runTool): a tool that throws is an error result, not a crash.
      const call = (tool: string, outcome: Promise<ToolOutcome>) =>
        outcome.catch((error: Error): ToolOutcome => ({ ok: false, error: error.message })).then((result) => [tool, result] as const);
      const end = Date.now() + RACE_MS;
      let round = 0;
      let refusals = 0;
      while (Date.now() < end) {
        round++;
        const outcomes = await Promise.all([
          call('LS', lsTool.run({ path: 'dir' }, context)),
          call('LS', lsTool.run({ path: 'dir/sub' }, context)),
          call('Glob', globTool.run({ pattern: '**/*.txt', path: 'dir' }, context)),
          call('Glob', globTool.run({ pattern: '**/*file.txt' }, context)),
          call('Grep', grepTool.run({ pattern: 'CONTENT', path: 'dir' }, context)),
          call('Read', readTool.run({ file_path: 'dir/sub/inside-file.txt' }, context)),
          call('Read', readTool.run({ file_path: 'dir/sub/outside-file.txt' }, context)),
          call('Write', writeTool.run({ file_path: `dir/sub/made-${round}/new.txt`, content: 'x' }, context)),
          call('Write', writeTool.run({ file_path: `dir/made-${round}.txt`, content: 'x' }, context)),
        ]);
        for (const [tool, outcome] of outcomes) {
          calls[tool]!++;
          // A refusal may name the path the model gave ("dir/sub/outside-file.txt"): only results count.
          if (outcome.ok && leaked(outcome)) leaks[tool]!++;
          if (!outcome.ok && 'refused' in outcome && outcome.refused !== undefined) refusals++;
        }
      }
      const created = [outside.root, join(outside.root, 'sub')].flatMap((dir) =>
        readdirSync(dir).filter((name) => name.startsWith('made-')),
      );
      leaks.Write! += created.length;
      expect({ leaks, created }).toEqual({ leaks: { LS: 0, Glob: 0, Grep: 0, Read: 0, Write: 0 }, created: [] });
      expect(calls.LS).toBeGreaterThan(10);
      // The race was on: some calls met the link and were refused.
      expect(refusals).toBeGreaterThan(0);
    },
    RACE_MS + 20_000,
  );
});
