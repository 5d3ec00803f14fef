import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';

const fixture = join(import.meta.dirname, '../fixtures/fleets/small');

/** A project with briefs and a compiled fleet whose config exists but cannot be read (a folder: EISDIR, the same path as EACCES). */
function projectWithUnreadableConfig(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cf-config-unreadable-'));
  cpSync(fixture, join(dir, 'codex/agents'), { recursive: true });
  cpSync(join(fixture, 'briefs'), join(dir, '.claude/agents'), { recursive: true });
  mkdirSync(join(dir, 'codex-flow.config.yaml'));
  return dir;
}

describe('an unreadable codex-flow.config.yaml (regression: it was silently ignored and defaults used)', () => {
  it('stops convert with CF9010 naming the file and a hint, and publishes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-config-unreadable-'));
    cpSync(join(fixture, 'briefs'), join(dir, '.claude/agents'), { recursive: true });
    mkdirSync(join(dir, 'codex-flow.config.yaml'));
    const io = memoryIO(dir);
    expect(await main(['convert'], io)).toBe(1);
    expect(io.err()).toContain(
      'codex-flow.config.yaml:1:1: error CF9010: config file codex-flow.config.yaml cannot be read: not a regular file (a directory)',
    );
    expect(io.err()).toContain('hint: codex-flow.config.yaml must be a regular file');
    expect(existsSync(join(dir, 'codex'))).toBe(false);
  });

  it.each([
    [['validate']],
    [['route', 'add a GraphQL resolver']],
    [['eval', 'labels.jsonl']],
    [['feedback', 'route:0000000000000000', '--ok', '--agent', 'graphql-architect']],
    [['stats']],
    [['providers']],
    [['cleanup']],
    [['run', '--dry-run', '--agent', 'graphql-architect', 'add a resolver']],
    [['bench', '--providers', 'ollama', '--prompt', 'hi']],
  ])('stops %j before doing anything', async (argv) => {
    const dir = projectWithUnreadableConfig();
    mkdirSync(join(dir, '.runs/old-run'), { recursive: true });
    writeFileSync(join(dir, 'labels.jsonl'), '{"task":"add a resolver","expected":"graphql-architect"}\n');
    const io = memoryIO(dir, { CI: 'true' });
    expect(await main(argv, io)).toBe(1);
    expect(io.err()).toContain('error CF9010: config file codex-flow.config.yaml cannot be read');
    expect(existsSync(join(dir, '.codex-flow/outcomes.jsonl'))).toBe(false);
    expect(existsSync(join(dir, '.codex-flow/decisions.jsonl'))).toBe(false);
    expect(readdirSync(join(dir, '.runs'))).toEqual(['old-run']);
  });

  it('reports it in the JSON object under --json', async () => {
    const io = memoryIO(projectWithUnreadableConfig());
    expect(await main(['stats', '--json'], io)).toBe(1);
    const out = JSON.parse(io.out()) as { ok: boolean; diagnostics: Array<{ code: string; location: { file: string } }> };
    expect(out.ok).toBe(false);
    expect(out.diagnostics[0]).toMatchObject({ code: 'CF9010', location: { file: 'codex-flow.config.yaml' } });
  });

  it('does not hang on a FIFO in its place', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-config-fifo-'));
    execFileSync('mkfifo', [join(dir, 'codex-flow.config.yaml')]);
    const io = memoryIO(dir);
    expect(await main(['stats'], io)).toBe(1);
    expect(io.err()).toContain('not a regular file (a FIFO)');
  });

  it('--config naming a missing file is CF9010 with the path', async () => {
    const io = memoryIO(mkdtempSync(join(tmpdir(), 'cf-config-missing-')));
    expect(await main(['stats', '--config', 'nope.yaml'], io)).toBe(1);
    expect(io.err()).toContain('nope.yaml:1:1: error CF9010: config file nope.yaml cannot be read: not found');
  });
});
