/**
 * "The same briefs give the same bytes on any machine": two fresh compiles of the same briefs,
 * each a separate process in its own empty project at a different path, working directory and
 * time zone, write byte-identical fleets. Without SOURCE_DATE_EPOCH the index carries no
 * timestamp; with it, both carry the pinned one.
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTree } from '../../src/compiler/publish.js';

const repository = join(import.meta.dirname, '../..');
let scratch: string;
let launcher: string;
/** tsx by location: the projects have no node_modules to resolve it from. */
const tsxLoader = import.meta.resolve('tsx');

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'cf-reproducible-'));
  launcher = join(scratch, 'cli.mts');
  const main = JSON.stringify(join(repository, 'src/cli/main.ts'));
  const io = JSON.stringify(join(repository, 'src/cli/io.ts'));
  await writeFile(
    launcher,
    `import { main } from ${main};\nimport { processIO } from ${io};\nprocess.exitCode = await main(process.argv.slice(2), processIO());\n`,
  );
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A project at `path` holding a copy of the repository's sample briefs. */
async function project(path: string): Promise<string> {
  await mkdir(path, { recursive: true });
  await cp(join(repository, '.claude/agents'), join(path, '.claude/agents'), { recursive: true });
  return path;
}

/** `codex-flow convert` as its own process; SOURCE_DATE_EPOCH only when given. */
function convert(cwd: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const base = { ...process.env };
  delete base.SOURCE_DATE_EPOCH;
  const child = spawn(process.execPath, ['--import', tsxLoader, launcher, 'convert'], {
    cwd,
    env: { ...base, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`convert in ${cwd} did not finish within 50 s`));
    }, 50_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('fresh compiles are byte-identical', () => {
  it('two convert processes in two empty folders (other path, working directory, time zone) write the same bytes', async () => {
    const first = await project(join(scratch, 'one'));
    const second = await project(join(scratch, 'elsewhere/deeper/two'));
    expect(await convert(first, { TZ: 'UTC' })).toMatchObject({ code: 0 });
    await new Promise((resolve) => setTimeout(resolve, 20)); // a wall-clock timestamp would now differ
    expect(await convert(second, { TZ: 'Pacific/Kiritimati', LANG: 'de_DE.UTF-8' })).toMatchObject({ code: 0 });
    const one = await readTree(join(first, 'codex/agents'));
    const two = await readTree(join(second, 'codex/agents'));
    expect(one.size).toBeGreaterThan(3);
    expect([...two.keys()].sort()).toEqual([...one.keys()].sort());
    for (const [path, content] of one) expect(two.get(path), path).toEqual(content);
    expect(JSON.parse(one.get('index.json') as string)).not.toHaveProperty('generatedAt');
  }, 120_000);

  it('SOURCE_DATE_EPOCH still pins generatedAt, identically in both folders', async () => {
    const first = await project(join(scratch, 'pinned-one'));
    const second = await project(join(scratch, 'pinned/two'));
    expect(await convert(first, { SOURCE_DATE_EPOCH: '1700000000', TZ: 'UTC' })).toMatchObject({ code: 0 });
    expect(await convert(second, { SOURCE_DATE_EPOCH: '1700000000', TZ: 'Asia/Kolkata' })).toMatchObject({ code: 0 });
    const one = await readFile(join(first, 'codex/agents/index.json'), 'utf8');
    expect(await readFile(join(second, 'codex/agents/index.json'), 'utf8')).toBe(one);
    expect(JSON.parse(one).generatedAt).toBe('2023-11-14T22:13:20.000Z');
  }, 120_000);
});
