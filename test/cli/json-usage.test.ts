import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';

const fixture = join(import.meta.dirname, '../fixtures/fleets/small');

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cf-json-usage-'));
  cpSync(fixture, join(dir, 'codex/agents'), { recursive: true });
  cpSync(join(fixture, 'briefs'), join(dir, 'briefs'), { recursive: true });
  writeFileSync(join(dir, 'bad-tasks.jsonl'), 'not json\n');
  return dir;
}

interface JsonReport {
  ok: boolean;
  command: string | null;
  diagnostics: Array<{ code: string; severity: string; message: string; hint?: string }>;
}

/** Runs argv and checks stdout is exactly one JSON object with the shared `diagnostics` shape. */
async function jsonRun(argv: string[], dir = project()): Promise<{ code: number; report: JsonReport; err: string }> {
  const io = memoryIO(dir, { CI: 'true' });
  const code = await main(argv, io);
  const report = JSON.parse(io.out()) as JsonReport;
  expect(Array.isArray(report.diagnostics)).toBe(true);
  for (const d of report.diagnostics)
    expect(d).toMatchObject({ code: expect.stringMatching(/^CF\d{4}$/), severity: expect.any(String), message: expect.any(String) });
  return { code, report, err: io.err() };
}

describe('--json: one JSON object on stdout for every outcome (regression: usage errors were plain text)', () => {
  it.each([
    [['route', '--json']],
    [['route', 'add a resolver', '--top', 'x', '--json']],
    [['route', 'add a resolver', '--no-such-flag', '--json']],
    [['feedback', 'route:1', '--json']],
    [['stats', '--weights', '-1', '--json']],
    [['cleanup', '--older-than', 'soon', '--json']],
    [['eval', '--json']],
    [['run', '--json']],
    [['run', '--tasks', 'bad-tasks.jsonl', '--json']],
    [['bench', '--json']],
    [['providers', '--bogus', '--json']],
    [['convert', '--check', '--json', '--src']],
  ])('%j is a usage error as JSON (CF9003), nothing on stderr', async (argv) => {
    const { code, report, err } = await jsonRun(argv);
    expect(code).toBe(2);
    expect(report.ok).toBe(false);
    expect(report.command).toBe(argv[0]);
    const usage = report.diagnostics.at(-1)!;
    expect(usage).toMatchObject({ code: 'CF9003', severity: 'error' });
    expect(usage.hint).toBeTruthy();
    expect(err).toBe('');
  });

  it('keeps what was found before the usage error (an unusable tasks file)', async () => {
    const { report } = await jsonRun(['run', '--tasks', 'bad-tasks.jsonl', '--json']);
    expect(report.diagnostics.map((d) => d.code)).toEqual(['CF8005', 'CF9003']);
  });

  it('an unknown command under --json is JSON too', async () => {
    const { code, report } = await jsonRun(['nope', '--json']);
    expect(code).toBe(2);
    expect(report).toMatchObject({ ok: false, command: null });
  });

  it('without --json a usage error stays one line of text on stderr', async () => {
    const io = memoryIO(project());
    expect(await main(['route'], io)).toBe(2);
    expect(io.out()).toBe('');
    expect(io.err()).toMatch(/^codex-flow: give a task/);
  });

  it('init --json reports diagnostics[] like every other command, not error:{}', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-json-init-'));
    const first = await jsonRun(['init', '--json'], dir);
    expect(first).toMatchObject({ code: 0, report: { ok: true, command: 'init', diagnostics: [] } });
    const again = await jsonRun(['init', '--json'], dir);
    expect(again.code).toBe(1);
    expect(again.report).not.toHaveProperty('error');
    expect(again.report.diagnostics).toEqual([
      expect.objectContaining({ code: 'CF9004', severity: 'error', hint: expect.stringContaining('--force') }),
    ]);
  });
});
