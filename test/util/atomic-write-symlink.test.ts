import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic, writeFileAtomicAsync } from '../../src/util/atomic-write.js';

function linkedSecret(): { link: string; real: string } {
  const root = mkdtempSync(join(tmpdir(), 'cf-atomic-'));
  mkdirSync(join(root, 'dotfiles'));
  const real = join(root, 'dotfiles', 'settings.json');
  writeFileSync(real, '{"env":{"KEY":"secret"}}\n');
  chmodSync(real, 0o600);
  const link = join(root, 'settings.json');
  symlinkSync(real, link);
  return { link, real };
}

describe('atomic write through a symlinked 0600 file', () => {
  for (const [name, write] of [
    ['writeFileAtomicAsync', writeFileAtomicAsync],
    ['writeFileAtomic', async (path: string, content: string) => writeFileAtomic(path, content)],
  ] as const) {
    it(`${name} writes the link's target and keeps the link and the mode`, async () => {
      const { link, real } = linkedSecret();
      await write(link, '{"env":{"KEY":"secret"},"hooks":{}}\n');
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      expect(readFileSync(real, 'utf8')).toContain('hooks');
      expect(statSync(real).mode & 0o777).toBe(0o600);
    });
  }

  it('keeps the mode of a plain file it replaces', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cf-atomic-'));
    const file = join(root, 'a.json');
    writeFileSync(file, '{}');
    chmodSync(file, 0o640);
    await writeFileAtomicAsync(file, '{"a":1}');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}');
  });
});
