/**
 * The bundled sample fleet: the compiled output committed in codex/agents is current
 * (`convert --check`, what CI runs), and it validates.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';

const root = join(import.meta.dirname, '../..');

describe('sample fleet', () => {
  it('codex/agents is what convert produces from .claude/agents', async () => {
    const io = memoryIO(root, {});
    const code = await main(['convert', '--check'], io);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
  });

  it('validates, with about twenty agents across several domains', async () => {
    const io = memoryIO(root, {});
    expect(await main(['validate', '--json'], io)).toBe(0);
    const report = JSON.parse(io.out());
    expect(report.agents).toBeGreaterThanOrEqual(18);
  });
});
