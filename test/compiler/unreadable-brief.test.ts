/**
 * An unreadable brief publishes nothing (issue 15, item 4): before, its agent was deleted from the
 * published fleet while `convert` exited 1. An unreadable brief subfolder is the same (regression:
 * its listing error was swallowed, so its agents left the fleet while `convert` exited 0). Tests run as root, where chmod 000 still reads, so the
 * read error (EACCES) is injected at the file-system module for one file name.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';

const LOCKED = 'locked.md';
const LOCKED_FOLDER = 'locked-team';
let locked = false;

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const refuse = (path: unknown) => {
    if (!locked || !String(path).endsWith(LOCKED)) return undefined;
    return Promise.reject(Object.assign(new Error(`EACCES: permission denied, open '${String(path)}'`), { code: 'EACCES' }));
  };
  const open = ((path: string, ...rest: unknown[]) =>
    refuse(path) ?? (actual.open as (...args: unknown[]) => unknown)(path, ...rest)) as typeof actual.open;
  const readFile = ((path: string, ...rest: unknown[]) =>
    refuse(path) ?? (actual.readFile as (...args: unknown[]) => unknown)(path, ...rest)) as typeof actual.readFile;
  const readdir = ((path: string, ...rest: unknown[]) => {
    if (locked && String(path).endsWith(LOCKED_FOLDER))
      return Promise.reject(Object.assign(new Error(`EACCES: permission denied, scandir '${String(path)}'`), { code: 'EACCES' }));
    return (actual.readdir as (...args: unknown[]) => unknown)(path, ...rest);
  }) as typeof actual.readdir;
  return { ...actual, default: { ...actual, open, readFile, readdir }, open, readFile, readdir };
});

const projects: string[] = [];
afterEach(() => {
  locked = false;
  for (const dir of projects.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function brief(name: string): string {
  return `---\nname: ${name}\ndescription: Reviews ${name} changes for tests\n---\nYou review ${name} code.\n`;
}

describe('an unreadable brief', () => {
  it('is CF1001 and publishes nothing: the old fleet keeps its agent', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cf-unreadable-'));
    projects.push(root);
    const agents = join(root, '.claude/agents');
    mkdirSync(agents, { recursive: true });
    writeFileSync(join(agents, 'alpha.md'), brief('alpha'));
    writeFileSync(join(agents, LOCKED), brief('locked'));
    const first = memoryIO(root);
    expect(await main(['convert'], first), first.err()).toBe(0);
    const index = readFileSync(join(root, 'codex/agents/index.json'), 'utf8');
    expect(index).toContain('"locked"');

    writeFileSync(join(agents, 'beta.md'), brief('beta'));
    locked = true;
    const second = memoryIO(root);
    expect(await main(['convert', '--json'], second)).toBe(1);
    const codes = (JSON.parse(second.out()).diagnostics as Array<{ code: string }>).map((d) => d.code);
    expect(codes).toContain('CF1001');
    expect(readFileSync(join(root, 'codex/agents/index.json'), 'utf8')).toBe(index);
  }, 20_000);

  it('an unreadable brief subfolder is CF1060 and publishes nothing: its agents stay in the fleet', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cf-unreadable-dir-'));
    projects.push(root);
    const agents = join(root, '.claude/agents');
    mkdirSync(join(agents, LOCKED_FOLDER), { recursive: true });
    writeFileSync(join(agents, 'alpha.md'), brief('alpha'));
    writeFileSync(join(agents, LOCKED_FOLDER, 'gamma.md'), brief('gamma'));
    const first = memoryIO(root);
    expect(await main(['convert'], first), first.err()).toBe(0);
    const index = readFileSync(join(root, 'codex/agents/index.json'), 'utf8');
    expect(index).toContain('"gamma"');

    locked = true;
    const second = memoryIO(root);
    expect(await main(['convert', '--json'], second)).toBe(1);
    const diagnostics = JSON.parse(second.out()).diagnostics as Array<{ code: string; message: string }>;
    expect(diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['CF1060', 'CF1055']));
    expect(diagnostics.find((d) => d.code === 'CF1060')?.message).toContain(LOCKED_FOLDER);
    expect(readFileSync(join(root, 'codex/agents/index.json'), 'utf8')).toBe(index);
  }, 20_000);
});
