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
import { realpath } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { FILE_CONCURRENCY, mapLimit } from '../util/map-limit.js';
import { MAX_BRIEF_BYTES } from './limits.js';
import type { CompilerOptions } from './options.js';
import { walkBriefs, type SourceProblem } from './walk-briefs.js';
import { isInside } from '../util/paths.js';
import { readRegularBytes } from '../util/read-regular-file.js';

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

/** Reads one brief whose real path must lie in `realRoot`; a problem instead of bytes when it cannot. */
async function readBrief(realRoot: string, root: string, relativePath: string, path: string): Promise<BriefSource | SourceProblem> {
  const problem = (code: SourceProblem['code'], error: string): SourceProblem => ({ relativePath, path, error, code });
  let real: string;
  try {
    real = await realpath(join(root, relativePath));
  } catch (error) {
    return problem('CF1001', `cannot read the brief: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isInside(real, realRoot)) return problem('CF1052', `${path} is a link to ${real}, outside the brief folder`);
  // The real path is opened, so a link at the last step now means a swap after realpath: refused.
  const read = await readRegularBytes(real, MAX_BRIEF_BYTES, { followLinks: false });
  if (read.ok) return { relativePath, path, bytes: read.bytes };
  if (read.reason === 'not-regular') return problem('CF1051', `${path} is ${read.kind ?? 'not a file'}, not a regular file`);
  if (read.reason === 'too-large') {
    return problem(
      'CF1002',
      `brief is ${read.bytes === undefined ? 'over ' : ''}${read.bytes ?? MAX_BRIEF_BYTES} bytes; the limit is ${MAX_BRIEF_BYTES}`,
    );
  }
  return problem('CF1001', `cannot read the brief: ${read.problem}`);
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
    readBrief(realRoot, root, relativePath, toPosix(relative(options.root, join(root, relativePath)))),
  );
  return [...(walk?.problems ?? []), ...read];
}
