/**
 * The CLI finds the project from any subfolder (SPEC §9): the nearest folder up that holds a
 * config, `.claude/agents` or a compiled fleet, never past a repository's root; paths typed in
 * the subfolder are read from there. Regression: from a subfolder `route` looked for
 * ./codex/agents there and exited 1.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { findProjectRoot } from '../../src/config/project-root.js';
import { typedPath } from '../../src/cli/project-io.js';

const fixture = join(import.meta.dirname, '../fixtures/fleets/small');

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cf-project-root-'));
  cpSync(fixture, join(dir, 'codex/agents'), { recursive: true });
  mkdirSync(join(dir, 'src/server'), { recursive: true });
  return dir;
}

describe('findProjectRoot', () => {
  it('finds the nearest folder with a config, a brief folder or a fleet', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-project-root-'));
    mkdirSync(join(dir, 'packages/app/src'), { recursive: true });
    expect(findProjectRoot(join(dir, 'packages/app/src'))).toBe(join(dir, 'packages/app/src'));
    writeFileSync(join(dir, 'codex-flow.config.yaml'), 'router: {}\n');
    expect(findProjectRoot(join(dir, 'packages/app/src'))).toBe(dir);
    mkdirSync(join(dir, 'packages/app/.claude/agents'), { recursive: true });
    expect(findProjectRoot(join(dir, 'packages/app/src'))).toBe(join(dir, 'packages/app'));
  });

  it('stops at a repository root: a project above it is not this one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-project-root-'));
    writeFileSync(join(dir, 'codex-flow.config.yaml'), 'router: {}\n');
    mkdirSync(join(dir, 'vendor/lib/.git'), { recursive: true });
    mkdirSync(join(dir, 'vendor/lib/src'), { recursive: true });
    expect(findProjectRoot(join(dir, 'vendor/lib/src'))).toBe(join(dir, 'vendor/lib/src'));
  });

  it('reads a typed path from where it was typed', () => {
    expect(typedPath('server/a.ts', '/repo/src', '/repo')).toBe('src/server/a.ts');
    expect(typedPath('../../elsewhere/x', '/repo/src', '/repo')).toBe('/elsewhere/x');
    expect(typedPath('..', '/repo/src', '/repo')).toBe('.');
    expect(typedPath('-', '/repo/src', '/repo')).toBe('-');
  });
});

describe('commands from a subfolder', () => {
  it('route uses the project fleet and reads --files from the subfolder', async () => {
    const dir = project();
    const io = memoryIO(join(dir, 'src'), { CI: 'true' });
    const code = await main(['route', '--no-stale-check', '--json', '--files', 'server/handler.ts'], io);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(io.out()).result.candidates[0].id).toBe('backend-developer');
    // The decision is the project's, not the subfolder's.
    expect(existsSync(join(dir, '.codex-flow'))).toBe(true);
    expect(existsSync(join(dir, 'src/.codex-flow'))).toBe(false);
  });

  it('--fleet typed in the subfolder is read from there', async () => {
    const dir = project();
    const io = memoryIO(join(dir, 'src'), { CI: 'true' });
    const code = await main(['route', '--no-record', '--no-stale-check', '--fleet', '../codex/agents', 'a graphql schema'], io);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
  });
});

describe('the home folder is not a project by accident', () => {
  it('~/.claude/agents (Claude Code personal agents) does not make the home folder the project', () => {
    const home = mkdtempSync(join(tmpdir(), 'cf-home-'));
    mkdirSync(join(home, '.claude/agents'), { recursive: true });
    mkdirSync(join(home, 'work/notes'), { recursive: true });
    expect(findProjectRoot(join(home, 'work/notes'), home)).toBe(join(home, 'work/notes'));
    // Started in the home folder itself, it is the project.
    expect(findProjectRoot(home, home)).toBe(home);
  });
});

describe('swarm plan files typed in a subfolder', () => {
  it('--plan-only writes where it was typed', async () => {
    const dir = project();
    const io = memoryIO(join(dir, 'src'), { CI: 'true' });
    const code = await main(['swarm', 'review the server code and then document it', '--plan-only', 'plan.yaml', '--json'], io);
    expect(code, io.out() + io.err()).toBe(0);
    expect(existsSync(join(dir, 'src/plan.yaml'))).toBe(true);
    expect(existsSync(join(dir, 'plan.yaml'))).toBe(false);
  });
});
