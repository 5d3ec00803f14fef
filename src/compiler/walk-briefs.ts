/**
 * Walking the brief folder for `*.md` files, bounded and confined to it.
 *
 * Naive approach: `readdir(root, { recursive: true })`. Node's recursive listing follows folder
 * links, so two `-> .` links make it walk forever, and a brief folder linked to `/` walks the machine.
 * What this does: an explicit stack over `readdir(withFileTypes)`, sorted, that follows a link only
 * when its real target stays inside the brief folder's real path; a folder reached a second time
 * (a loop, or two links to one folder) is not walked again; a brief folder whose path lies in the
 * project but whose real path does not (a link out) is refused; the walk stops at
 * MAX_WALK_ENTRIES entries. Files are not opened here: which `.md` entries are regular files is
 * decided by `readBriefs`, on the open descriptor. A folder that cannot be listed is a CF1060 error,
 * never an empty folder.
 * Invariants: terminates on any tree; a returned path, resolved, lies inside the brief folder's
 * real path at the time of the walk; the order never depends on the file system's.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { DiagnosticCode } from '../diagnostics/codes.js';
import { compileGlob, type GlobMatcher } from '../util/glob-compile.js';
import { isInside } from '../util/paths.js';
import { MAX_WALK_ENTRIES } from './limits.js';
import type { CompilerOptions } from './options.js';

/** A brief that was refused before any byte of it was read, or a folder-level problem (relativePath ''). */
export interface SourceProblem {
  relativePath: string;
  /** Relative to the project root. */
  path: string;
  error: string;
  code: DiagnosticCode;
}

export interface BriefWalk {
  /** The brief folder's real path; undefined when it does not exist. */
  realRoot?: string;
  /** `.md` files relative to the brief folder, forward slashes, sorted. */
  paths: string[];
  problems: SourceProblem[];
}

function posixJoin(folder: string, name: string): string {
  return folder === '' ? name : `${folder}/${name}`;
}

/**
 * Lists the `.md` briefs under `options.src` without leaving it.
 *
 * @example const { paths, problems } = await walkBriefs(resolveCompilerOptions(process.cwd()))
 */
export async function walkBriefs(options: CompilerOptions): Promise<BriefWalk> {
  const root = resolve(options.root, options.src);
  const shown = (relativePath: string) => posixJoin(options.src.replace(/\\/g, '/').replace(/\/+$/, ''), relativePath);
  const realRoot = await realpath(root).catch(() => undefined);
  if (realRoot === undefined) return { paths: [], problems: [] };
  const realProject = await realpath(options.root).catch(() => resolve(options.root));
  if (isInside(root, resolve(options.root)) && !isInside(realRoot, realProject)) {
    const error = `${options.src} is a link to ${realRoot}, outside the project`;
    return { paths: [], problems: [{ relativePath: '', path: options.src, error, code: 'CF1050' }] };
  }
  // compiler.exclude runs on RE2 like every glob; one with no linear-time form stops the walk.
  const matchers: GlobMatcher[] = [];
  for (const glob of options.exclude) {
    const compiled = compileGlob(glob, { nocase: true });
    if (!compiled.ok)
      return {
        paths: [],
        problems: [
          { relativePath: '', path: options.src, error: `compiler.exclude ${JSON.stringify(glob)}: ${compiled.reason}`, code: 'CF4050' },
        ],
      };
    matchers.push(compiled.matcher);
  }
  const excluded = (path: string) => matchers.some((matcher) => matcher.test(path));
  const paths: string[] = [];
  const problems: SourceProblem[] = [];
  const walked = new Set([realRoot]);
  const stack: Array<{ real: string; relativePath: string }> = [{ real: realRoot, relativePath: '' }];
  let entries = 0;
  while (stack.length > 0) {
    const folder = stack.pop()!;
    let children;
    try {
      children = await readdir(folder.real, { withFileTypes: true });
    } catch (error) {
      // A folder whose briefs cannot be seen would drop its agents from the fleet: an error, so
      // convert publishes nothing (CF1055) instead of a fleet without them.
      const where = folder.relativePath === '' ? options.src : shown(folder.relativePath);
      problems.push({
        relativePath: folder.relativePath,
        path: where,
        error: `cannot list the brief folder ${where}: ${(error as Error).message}`,
        code: 'CF1060',
      });
      continue;
    }
    children.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
    for (const child of children) {
      if (++entries > MAX_WALK_ENTRIES) {
        const error = `more than ${MAX_WALK_ENTRIES} entries under ${options.src}`;
        return { realRoot, paths: [], problems: [{ relativePath: '', path: options.src, error, code: 'CF1054' }] };
      }
      const relativePath = posixJoin(folder.relativePath, child.name);
      const isBrief = child.name.toLowerCase().endsWith('.md');
      const full = join(folder.real, child.name);
      if (child.isDirectory()) {
        if (walked.has(full)) continue; // Already walked through a link to it.
        walked.add(full);
        stack.push({ real: full, relativePath });
      } else if (child.isSymbolicLink()) {
        const target = await realpath(full).catch(() => undefined);
        const isFolder =
          target !== undefined &&
          (await stat(target).then(
            (s) => s.isDirectory(),
            () => false,
          ));
        if (isFolder) {
          if (!isInside(target, realRoot) || walked.has(target)) {
            const why = isInside(target, realRoot) ? 'leads to a folder already walked' : `leads to ${target}, outside ${options.src}`;
            problems.push({ relativePath, path: shown(relativePath), error: `folder link ${why}: not followed`, code: 'CF1053' });
          } else {
            walked.add(target);
            stack.push({ real: target, relativePath });
          }
        } else if (isBrief) paths.push(relativePath);
      } else if (isBrief) paths.push(relativePath);
    }
  }
  return { realRoot, paths: paths.filter((path) => !excluded(path)).sort(), problems };
}
