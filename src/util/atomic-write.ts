/**
 * Files codex-flow writes for people and tools to read later (state, caches, run results, memory
 * rewrites): written to a temporary sibling and renamed over the target, so a reader or a killed
 * writer never leaves half a file; JSON in a stable form (sorted keys, two-space indent, LF,
 * trailing newline) so the same data gives the same bytes. The whole-fleet publish is a folder
 * swap instead (src/compiler/publish.ts).
 *
 * A target that is a symlink is written through: the file it points to is replaced and the link
 * stays (a `.claude/settings.json` linked from a dotfiles repo keeps being that file). A target that
 * exists keeps its permission bits: the temporary is created with them, so a 0600 file holding keys
 * is never readable by others, not even between the write and the rename.
 *
 * @example writeFileAtomic('.codex-flow/providers-state.json', stableJson(state))
 */
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, open, realpath, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface AtomicWriteOptions {
  /** Flush the data to disk before the rename: survives power loss, costs a sync per file. */
  fsync?: boolean;
}

function temporaryFor(path: string): string {
  return `${path}.${process.pid}.${Date.now()}.tmp`;
}

/** The creation mode of a new file (narrowed by the umask), as writeFile gives it. */
const DEFAULT_MODE = 0o666;

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/** The file to replace (the symlink's target when `path` is one) and its permission bits when it exists. */
function targetOf(path: string): { file: string; mode?: number } {
  try {
    const file = realpathSync(path);
    return { file, mode: statSync(file).mode & 0o7777 };
  } catch (error) {
    if (isMissing(error)) return { file: path };
    throw error;
  }
}

async function targetOfAsync(path: string): Promise<{ file: string; mode?: number }> {
  try {
    const file = await realpath(path);
    return { file, mode: (await stat(file)).mode & 0o7777 };
  } catch (error) {
    if (isMissing(error)) return { file: path };
    throw error;
  }
}

export function writeFileAtomic(path: string, content: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  mkdirSync(dirname(path), { recursive: true });
  const target = targetOf(path);
  const temporary = temporaryFor(target.file);
  try {
    const fd = openSync(temporary, 'w', target.mode ?? DEFAULT_MODE);
    try {
      // The umask may have narrowed the creation mode: set the kept mode exactly.
      if (target.mode !== undefined) chmodSync(temporary, target.mode);
      writeFileSync(fd, content);
      if (options.fsync) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, target.file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** The same, without blocking the event loop (memory rewrites, log truncation). */
export async function writeFileAtomicAsync(path: string, content: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const target = await targetOfAsync(path);
  const temporary = temporaryFor(target.file);
  try {
    const handle = await open(temporary, 'w', target.mode ?? DEFAULT_MODE);
    try {
      if (target.mode !== undefined) await chmod(temporary, target.mode);
      await handle.writeFile(content);
    } finally {
      await handle.close();
    }
    await rename(temporary, target.file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** JSON with object keys sorted at every depth; undefined members dropped, arrays kept in order. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(sortKeysDeep(value), null, 2)}\n`;
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, v]) => [key, sortKeysDeep(v)]));
}
