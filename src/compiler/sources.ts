/**
 * Finding and reading the briefs: the compiler's only input I/O. Paths come back sorted, relative
 * and with forward slashes, so nothing downstream depends on the order the file system lists
 * them in or on where the project sits on disk.
 *
 * Reading is bounded whatever sits at a brief's path: the file is opened non-blocking (a FIFO
 * does not wait for a writer), checked on the descriptor (a regular file, inside the brief folder,
 * at most MAX_BRIEF_BYTES by fstat) and read for at most MAX_BRIEF_BYTES + 1 bytes (a file that
 * grows after fstat is still caught). Each refusal is a problem for that brief, never a hang.
 */
import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { FILE_CONCURRENCY, mapLimit } from '../util/map-limit.js';
import { MAX_BRIEF_BYTES } from './limits.js';
import type { CompilerOptions } from './options.js';
import { walkBriefs, type SourceProblem } from './walk-briefs.js';
import { isInside } from '../util/paths.js';

export type { SourceProblem } from './walk-briefs.js';

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
  return (await walkBriefs(options)).paths;
}

/** A FIFO opens at once instead of waiting for a writer; a link at the last step is refused (the real path is opened). */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

function kindOf(stats: { isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean; isDirectory(): boolean }): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  return stats.isDirectory() ? 'a folder' : 'not a regular file';
}

/** Reads one brief whose real path must lie in `realRoot`; a problem instead of bytes when it cannot. */
async function readBrief(realRoot: string, root: string, relativePath: string, path: string): Promise<BriefSource | SourceProblem> {
  const problem = (code: SourceProblem['code'], error: string): SourceProblem => ({ relativePath, path, error, code });
  try {
    const real = await realpath(join(root, relativePath));
    if (!isInside(real, realRoot)) return problem('CF1052', `${path} is a link to ${real}, outside the brief folder`);
    const handle = await open(real, OPEN_FLAGS);
    try {
      const stats = await handle.stat();
      if (!stats.isFile()) return problem('CF1051', `${path} is ${kindOf(stats)}, not a regular file`);
      if (stats.size > MAX_BRIEF_BYTES) return problem('CF1002', `brief is ${stats.size} bytes; the limit is ${MAX_BRIEF_BYTES}`);
      const buffer = Buffer.alloc(Math.min(stats.size, MAX_BRIEF_BYTES) + 1);
      let length = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
        if (bytesRead === 0) break;
        length += bytesRead;
        if (length === buffer.length) {
          if (length > MAX_BRIEF_BYTES) return problem('CF1002', `brief is over ${MAX_BRIEF_BYTES} bytes; the limit is ${MAX_BRIEF_BYTES}`);
          break;
        }
      }
      return { relativePath, path, bytes: buffer.subarray(0, length) };
    } finally {
      await handle.close();
    }
  } catch (error) {
    return problem('CF1001', `cannot read the brief: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Reads the briefs (all of them, or `relativePaths`); what cannot be read comes back as a
 * `SourceProblem` with its diagnostic code, and so do problems of the folder walk.
 *
 * @example const sources = await readBriefs(resolveCompilerOptions(process.cwd()))
 */
export async function readBriefs(options: CompilerOptions, relativePaths?: readonly string[]): Promise<Array<BriefSource | SourceProblem>> {
  const root = resolve(options.root, options.src);
  const walk = relativePaths ? undefined : await walkBriefs(options);
  const realRoot = walk ? walk.realRoot : await realpath(root).catch(() => undefined);
  if (realRoot === undefined) return walk?.problems ?? [];
  const read = await mapLimit(walk?.paths ?? relativePaths!, FILE_CONCURRENCY, (relativePath) =>
    readBrief(realRoot, root, relativePath, toPosix(relative(options.root, join(root, relativePath)))));
  return [...(walk?.problems ?? []), ...read];
}
