/**
 * Files codex-flow writes for people and tools to read later (state, caches, run results, memory
 * rewrites): written to a temporary sibling and renamed over the target, so a reader or a killed
 * writer never leaves half a file; JSON in a stable form (sorted keys, two-space indent, LF,
 * trailing newline) so the same data gives the same bytes. The whole-fleet publish is a folder
 * swap instead (src/compiler/publish.ts).
 *
 * @example writeFileAtomic('.codex-flow/providers-state.json', stableJson(state))
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface AtomicWriteOptions {
  /** Flush the data to disk before the rename: survives power loss, costs a sync per file. */
  fsync?: boolean;
}

function temporaryFor(path: string): string {
  return `${path}.${process.pid}.${Date.now()}.tmp`;
}

export function writeFileAtomic(path: string, content: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = temporaryFor(path);
  try {
    const fd = openSync(temporary, 'w');
    try {
      writeFileSync(fd, content);
      if (options.fsync) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** The same, without blocking the event loop (memory rewrites, log truncation). */
export async function writeFileAtomicAsync(path: string, content: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = temporaryFor(path);
  try {
    await writeFile(temporary, content);
    await rename(temporary, path);
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
