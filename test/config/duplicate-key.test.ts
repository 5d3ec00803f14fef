import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';

function projectWithConfig(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cf-config-'));
  writeFileSync(join(dir, 'codex-flow.config.yaml'), text);
  return dir;
}

describe('config YAML errors point at their own line (regression: a duplicate key was reported at the first, comment, line)', () => {
  it('reports a duplicate key as CF9011 at the second key', async () => {
    const dir = projectWithConfig(
      '# codex-flow configuration\ncompiler:\n  src: .claude/agents   # briefs\n  # the output\n  out: codex/agents\n  out: other\n',
    );
    const { diagnostics, config } = await loadConfig(dir);
    expect(config).toEqual({});
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      code: 'CF9011',
      severity: 'error',
      message: '`out` is set twice in the same section',
      location: { file: 'codex-flow.config.yaml', line: 6, column: 3 },
      sourceLine: '  out: other',
    });
  });

  it('reports a duplicate section at its line', async () => {
    const dir = projectWithConfig('# comment\n# another\nrouter:\n  top: 3\nrouter:\n  top: 4\n');
    const [first] = (await loadConfig(dir)).diagnostics;
    expect(first).toMatchObject({ code: 'CF9011', location: { line: 5, column: 1 } });
  });

  it('reports other syntax errors at their line, not 1:1', async () => {
    const dir = projectWithConfig('# comment\ncompiler:\n  src: [a, b\n');
    const [first] = (await loadConfig(dir)).diagnostics;
    expect(first!.code).toBe('CF9001');
    expect(first!.location!.line).toBeGreaterThan(1);
  });
});
