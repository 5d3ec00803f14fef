/**
 * Readers of the fleet's files (validate, convert --check) read one complete fleet while a publish
 * swaps folders (regression: readTree listed the folder, then read file by file; a publish renaming
 * the folder in between gave ENOENT, exit 70, or a mix of two fleets, a false CF5021). The race is
 * made deterministic: the reader's open of one file waits until a whole publish has run.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { publishFleet, readTree } from '../../src/compiler/publish.js';
import type { OutputFiles } from '../../src/compiler/emit.js';

/** The reader's first open (or readFile) of a path ending so waits for `release`; `reached` resolves when it does. */
let gate: { suffix: string; reached: () => void; released: Promise<void> } | undefined;

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const held = async (path: unknown) => {
    const current = gate;
    if (!current || !String(path).endsWith(current.suffix)) return;
    gate = undefined;
    current.reached();
    await current.released;
  };
  const open = (async (path: string, ...rest: unknown[]) => {
    await held(path);
    return (actual.open as (...args: unknown[]) => unknown)(path, ...rest);
  }) as typeof actual.open;
  const readFile = (async (path: string, ...rest: unknown[]) => {
    await held(path);
    return (actual.readFile as (...args: unknown[]) => unknown)(path, ...rest);
  }) as typeof actual.readFile;
  return { ...actual, default: { ...actual, open, readFile }, open, readFile };
});

const projects: string[] = [];
afterEach(() => {
  gate = undefined;
  for (const dir of projects.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function brief(name: string, topic: string): string {
  return `---\nname: ${name}\ndescription: Use this agent for ${topic}.\ntools: Read, Grep\n---\n\nYou work on ${topic}.\n`;
}

/** A project whose fleet was compiled from alpha and beta briefs, with `alphaTopic` for alpha. */
async function compiled(alphaTopic: string): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'cf-read-race-'));
  projects.push(root);
  mkdirSync(join(root, '.claude/agents'), { recursive: true });
  writeFileSync(join(root, '.claude/agents/alpha.md'), brief('alpha', alphaTopic));
  writeFileSync(join(root, '.claude/agents/beta.md'), brief('beta', 'Helm charts'));
  const io = memoryIO(root, { SOURCE_DATE_EPOCH: '1700000000' });
  expect(await main(['convert'], io), io.err()).toBe(0);
  return root;
}

/** Runs `validate --json` in `root` while its read of `suffix` waits for a publish of `next` to finish. */
async function validateAcrossPublish(root: string, suffix: string, next: OutputFiles) {
  let reached!: () => void;
  let release!: () => void;
  const paused = new Promise<void>((resolve) => {
    reached = resolve;
  });
  gate = {
    suffix,
    reached,
    released: new Promise<void>((resolve) => {
      release = resolve;
    }),
  };
  const io = memoryIO(root, { CI: 'true' });
  const validating = main(['validate', '--json'], io);
  await paused;
  await expect(publishFleet(join(root, 'codex/agents'), next)).resolves.toBe(true);
  release();
  return { code: await validating, out: io.out(), err: io.err() };
}

describe('reading the fleet while a publish swaps it', () => {
  it('a file of the old fleet gone from the new one is not ENOENT (exit 70): the read starts over', async () => {
    const root = await compiled('Terraform modules');
    const out = join(root, 'codex/agents');
    const current = await readTree(out);
    await publishFleet(out, new Map([...current, ['a-notes.txt', 'old\n']]));
    const result = await validateAcrossPublish(root, 'a-notes.txt', current);
    expect(result.code, result.err).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ agents: 2 });
  }, 30_000);

  it('a definition of the new fleet beside the index of the old is not a false CF5021: one fleet is read whole', async () => {
    const root = await compiled('Terraform modules');
    const next = await readTree(join(await compiled('Kubernetes operators'), 'codex/agents'));
    const result = await validateAcrossPublish(root, 'alpha.codex.yaml', next);
    expect(result.code, result.out).toBe(0);
    expect(JSON.parse(result.out).diagnostics ?? []).not.toEqual(expect.arrayContaining([expect.objectContaining({ code: 'CF5021' })]));
  }, 30_000);

  it('follows no link in the fleet folder (a link to /etc/passwd or to a folder is not read)', async () => {
    const root = await compiled('Terraform modules');
    const out = join(root, 'codex/agents');
    symlinkSync('/etc/passwd', join(out, 'leak.txt'));
    symlinkSync('/etc', join(out, 'etc'));
    const files = await readTree(out);
    expect([...files.keys()].filter((path) => path.startsWith('leak') || path.startsWith('etc'))).toEqual([]);
    expect(files.has('index.json')).toBe(true);
  }, 30_000);
});
