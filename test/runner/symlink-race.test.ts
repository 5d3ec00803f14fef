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
import type { ToolContext } from '../../src/runner/tools/types.js';
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
import os, sys, time
root, target = sys.argv[1], sys.argv[2]
real, link, tmp = os.path.join(root, 'dir'), os.path.join(root, 'dir-link'), os.path.join(root, 'dir-real')
while True:
    try:
        os.rename(real, tmp)
        os.symlink(target, link)
        os.rename(link, real)
        time.sleep(0.001)
        os.unlink(real)
        os.rename(tmp, real)
        time.sleep(0.001)
    except OSError:
        pass
`;
  swapper = spawn('python3', ['-c', script, project.root, outside.root], { stdio: 'ignore' });
});
afterAll(() => { swapper?.kill('SIGKILL'); });

describe('symlink-swap race (bounded)', () => {
  it(`lists, reads and creates nothing outside the workspace in ${RACE_MS} ms of swapping`, async () => {
    const workspace = await Workspace.open(project.root);
    const context: ToolContext = { workspace, signal: new AbortController().signal, options: runnerOptions().tools, limits: {}, env: {}, remainingMs: () => 10_000, todos: [] };
    const leaks: Record<string, number> = { LS: 0, Glob: 0, Grep: 0, Read: 0, Write: 0 };
    const calls: Record<string, number> = { LS: 0, Glob: 0, Grep: 0, Read: 0, Write: 0 };
    const leaked = (outcome: { ok: boolean; output?: unknown; error?: string }) => /outside/i.test(JSON.stringify(outcome));
    const end = Date.now() + RACE_MS;
    let round = 0;
    while (Date.now() < end) {
      round++;
      const outcomes = await Promise.all([
        lsTool.run({ path: 'dir' }, context).then((o) => ['LS', o] as const),
        lsTool.run({ path: 'dir/sub' }, context).then((o) => ['LS', o] as const),
        globTool.run({ pattern: '**/*.txt', path: 'dir' }, context).then((o) => ['Glob', o] as const),
        globTool.run({ pattern: '**/*file.txt' }, context).then((o) => ['Glob', o] as const),
        grepTool.run({ pattern: 'CONTENT', path: 'dir' }, context).then((o) => ['Grep', o] as const),
        readTool.run({ file_path: 'dir/sub/inside-file.txt' }, context).then((o) => ['Read', o] as const),
        readTool.run({ file_path: 'dir/sub/outside-file.txt' }, context).then((o) => ['Read', o] as const),
        writeTool.run({ file_path: `dir/sub/made-${round}/new.txt`, content: 'x' }, context).then((o) => ['Write', o] as const),
        writeTool.run({ file_path: `dir/made-${round}.txt`, content: 'x' }, context).then((o) => ['Write', o] as const),
      ]);
      for (const [tool, outcome] of outcomes) {
        calls[tool]!++;
        // A refusal may name the path the model gave ("dir/sub/outside-file.txt"): only results count.
        if (outcome.ok && leaked(outcome)) leaks[tool]!++;
      }
    }
    const created = [outside.root, join(outside.root, 'sub')].flatMap((dir) => readdirSync(dir).filter((name) => name.startsWith('made-')));
    leaks.Write! += created.length;
    expect({ leaks, created }).toEqual({ leaks: { LS: 0, Glob: 0, Grep: 0, Read: 0, Write: 0 }, created: [] });
    expect(calls.LS).toBeGreaterThan(10);
  }, RACE_MS + 20_000);
});
