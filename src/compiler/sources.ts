/**
 * Finding and reading the briefs: the compiler's only input I/O. Paths come back sorted, relative
 * and with forward slashes, so nothing downstream depends on the order the file system lists
 * them in or on where the project sits on disk.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import type { CompilerOptions } from './options.js';

export interface BriefSource {
  /** Relative to the brief root. */
  relativePath: string;
  /** Relative to the project root. */
  path: string;
  bytes: Uint8Array;
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** Relative paths (to the brief root) of every `.md` brief, sorted; missing root → empty list. */
export async function listBriefs(options: CompilerOptions): Promise<string[]> {
  const root = resolve(options.root, options.src);
  const excluded = picomatch(options.exclude, { dot: true, nocase: true });
  let entries: string[];
  try {
    entries = await readdir(root, { recursive: true });
  } catch {
    return [];
  }
  return entries
    .map(toPosix)
    .filter((path) => path.toLowerCase().endsWith('.md') && !excluded(path))
    .sort();
}

/** Reads the briefs; unreadable files come back with `bytes` undefined and the error message. */
export async function readBriefs(options: CompilerOptions, relativePaths?: readonly string[]): Promise<Array<BriefSource | { relativePath: string; path: string; error: string }>> {
  const paths = relativePaths ?? (await listBriefs(options));
  const root = resolve(options.root, options.src);
  return Promise.all(
    paths.map(async (relativePath) => {
      const path = toPosix(relative(options.root, join(root, relativePath)));
      try {
        return { relativePath, path, bytes: await readFile(join(root, relativePath)) };
      } catch (error) {
        return { relativePath, path, error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
}
