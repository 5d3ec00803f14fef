/**
 * Writes a file so readers see the old content or the new, never half of either: write a
 * temporary file beside it, then rename over it (atomic within one file system).
 *
 * @example writeFileAtomic('.codex-flow/providers-state.json', body)
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function writeFileAtomic(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
