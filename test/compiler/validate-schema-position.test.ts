import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { validateFleet } from '../../src/compiler/validate-fleet.js';

// The sample fleet `convert` wrote: definitions in block YAML, as users see them.
const fixture = join(import.meta.dirname, '../../codex/agents');

/** A copy of the small fleet whose first definition is rewritten by `edit`; returns its folder and the file's path. */
function fleetWith(edit: (text: string) => string): { dir: string; file: string; lines: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'cf-validate-position-'));
  cpSync(fixture, join(dir, 'codex/agents'), { recursive: true });
  const index = JSON.parse(readFileSync(join(dir, 'codex/agents/index.json'), 'utf8')) as { agents: Array<{ path: string }> };
  const file = index.agents[0]!.path;
  const path = join(dir, 'codex/agents', file);
  const text = edit(readFileSync(path, 'utf8'));
  writeFileSync(path, text);
  return { dir, file, lines: text.split('\n') };
}

/** 1-based line and column of the first `needle` in the file. */
function positionOf(lines: string[], needle: string): { line: number; column: number } {
  const index = lines.findIndex((line) => line.includes(needle));
  expect(index, needle).toBeGreaterThanOrEqual(0);
  return { line: index + 1, column: lines[index]!.indexOf(needle) + 1 };
}

describe('validate reports a definition schema error at 1:1 (regression: it must point at the field in the .codex.yaml)', () => {
  it('a wrong-typed value is reported at the value', async () => {
    const { dir, file, lines } = fleetWith((text) => text.replace(/^(\s+max_steps: )\d+/m, '$1"many"'));
    const { diagnostics } = await validateFleet(join(dir, 'codex/agents'), 'codex/agents');
    const error = diagnostics.find((d) => d.code === 'CF4001' && d.message.includes('max_steps'));
    expect(error, JSON.stringify(diagnostics)).toBeDefined();
    expect(error!.location).toMatchObject({ file: `codex/agents/${file}`, ...positionOf(lines, '"many"') });
    expect(error!.sourceLine).toContain('max_steps: "many"');
  });

  it('an unknown key is reported at the key, and a missing field at its object', async () => {
    const { dir, file, lines } = fleetWith((text) =>
      text.replace(/^(\s+)max_steps: (\d+)/m, '$1max_stepz: $2').replace(/^(\s+)timeout_ms: \d+\n/m, ''),
    );
    const { diagnostics } = await validateFleet(join(dir, 'codex/agents'), 'codex/agents');
    const at = (needle: string) => diagnostics.filter((d) => d.code === 'CF4001' && d.message.includes(needle));
    expect(at('additional').map((d) => d.location)).toContainEqual({ file: `codex/agents/${file}`, ...positionOf(lines, 'max_stepz') });
    expect(at('timeout_ms').map((d) => d.location)).toContainEqual({ file: `codex/agents/${file}`, ...positionOf(lines, 'runtime:') });
  });

  it('a YAML syntax error is reported at its own line, and the CLI prints file:line:col', async () => {
    const { dir, file, lines } = fleetWith((text) => text.replace(/^(\s+max_steps: )\d+/m, '$1[unclosed'));
    const io = memoryIO(dir, { CI: 'true' });
    expect(await main(['validate'], io)).toBe(1);
    const line = lines.findIndex((text) => text.includes('[unclosed')) + 1;
    expect(io.err()).toMatch(new RegExp(`codex/agents/${file}:(${line}|${line + 1}):\\d+: error CF4001: not valid YAML`));
    expect(io.err()).not.toContain(`${file}:1:1`);
  });
});
