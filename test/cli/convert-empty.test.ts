/**
 * convert with no briefs says nothing was published (it said "already up to date, nothing written"
 * with no fleet on disk), and a brief folder that does not exist is named as missing.
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';

describe('convert without briefs', () => {
  it('an empty brief folder: exit 1, nothing published, no fleet claimed up to date', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-convert-empty-'));
    mkdirSync(join(dir, '.claude/agents'), { recursive: true });
    const io = memoryIO(dir, {});
    expect(await main(['convert'], io)).toBe(1);
    expect(io.out()).toContain('compiled 0 of 0 briefs; nothing published');
    expect(io.out()).not.toContain('up to date');
    expect(io.err()).toContain('error CF5003: no briefs (*.md) found under .claude/agents');
    expect(existsSync(join(dir, 'codex'))).toBe(false);
  });

  it('a brief folder that does not exist is named as missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-convert-empty-'));
    const io = memoryIO(dir, {});
    expect(await main(['convert', '--src', 'nowhere'], io)).toBe(1);
    expect(io.err()).toContain('error CF5003: the brief folder nowhere does not exist');
  });
});
