/**
 * Control files no file tool may change: what would let an agent with Write alone widen its own
 * powers (`.git/config` with `core.fsmonitor` runs a command at the next `git status`; a config
 * file widens the next run's workspace or turns the sandbox off; `.claude/settings.json` holds
 * hooks; the compiled fleet, the run records and the learning store are what later runs trust).
 *
 * Matching is on the real path (links already resolved by the workspace), compared case-folded and
 * NFC-normalized: on a case-insensitive file system `.GIT/config` is `.git/config`, and on one that
 * is not, refusing the odd spelling costs nothing. The names in PROTECTED_NAMES are protected at any
 * depth below the project root and below the workspace (which may lie outside the root): a nested
 * repository's `.git` is as dangerous as the root's, and a config file in a subfolder is the one a
 * run started there loads. The other entries are files or folders (relative to the project root or
 * absolute), a folder protecting everything inside it. A configured entry with glob characters is
 * a glob (RE2, `util/glob-compile.ts`), matched below the root and below the workspace.
 *
 * @example
 * const guard = await ProtectedPaths.create('/repo', protectedEntries({ runsDir: '.runs', fleetDir: 'codex/agents' }, []));
 * guard.reason('/repo/.git/config'); // 'a protected control file (.git)'
 */
import { readdir, realpath } from 'node:fs/promises';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { CONFIG_FILES } from '../../config/config.js';
import { compileGlob, isGlobPattern } from '../../util/glob-compile.js';
import { insidePart } from '../../util/paths.js';

/**
 * Names protected wherever they appear (lower case): version control, Claude Code's settings and
 * hooks, the runner's own folder and the config files (a run loads the one of its working folder).
 */
export const PROTECTED_NAMES: readonly string[] = ['.git', '.claude', '.codex-flow', ...CONFIG_FILES];

/** Project-root entries protected unless the runner's own folders move (then those move too). */
export const DEFAULT_PROTECTED: readonly string[] = [...CONFIG_FILES, '.codex-flow'];

/**
 * Entries `existingMatches` looks at: a large monorepo's working tree, outside `node_modules`, fits;
 * a workspace of millions of files (or `/`) cannot hold up the start of a run.
 */
export const MAX_CONTROL_WALK_ENTRIES = 50_000;
/** Folders whose contents no run trusts and whose size would eat the walk's budget. */
const UNWALKED_FOLDERS = new Set(['node_modules']);

/** Case and Unicode form folded, so every spelling of one name on disk compares equal. */
function fold(path: string): string {
  return path.normalize('NFC').toLowerCase();
}

/** The runner's own files and folders, relative to the project root or absolute. */
export interface OwnControlFiles {
  runsDir: string;
  fleetDir: string;
  memoryDir?: string;
  configFile?: string;
  /** The learning store (`learning.dir`): outcomes there steer routing. */
  learningDir?: string;
  /** The providers' health file (`providers.stateFile`): a forged one opens breakers. */
  providersStateFile?: string;
}

/** The entries protected by default plus the runner's own files and folders and the configured list. */
export function protectedEntries(folders: OwnControlFiles, configured: readonly string[]): string[] {
  const own = [
    folders.runsDir,
    folders.fleetDir,
    folders.memoryDir,
    folders.configFile,
    folders.learningDir,
    folders.providersStateFile,
  ].filter((entry): entry is string => typeof entry === 'string' && entry !== '');
  return [...new Set([...DEFAULT_PROTECTED, ...own, ...configured])];
}

export class ProtectedPaths {
  private constructor(
    /** The real project root and workspace: the folders below which names and globs are matched. */
    private readonly bases: readonly string[],
    private readonly prefixes: ReadonlyArray<{ folded: string; shown: string }>,
    private readonly globs: ReadonlyArray<{ match: (path: string) => boolean; shown: string }>,
  ) {}

  /** No protection at all: library callers that pass no project. */
  static none(): ProtectedPaths {
    return new ProtectedPaths([], [], []);
  }

  /**
   * The protected set of a project. Each path entry is resolved through `realpath` when it
   * exists, so a protected folder reached through a link is still protected. `workspace` (default
   * the root) is where file tools work; names and globs are matched below it too.
   */
  static async create(projectRoot: string, entries: readonly string[], workspace: string = projectRoot): Promise<ProtectedPaths> {
    const root = await realpath(projectRoot).catch(() => resolve(projectRoot));
    const workspaceRoot = await realpath(resolve(root, workspace)).catch(() => resolve(root, workspace));
    const prefixes: Array<{ folded: string; shown: string }> = [];
    const globs: Array<{ match: (path: string) => boolean; shown: string }> = [];
    for (const entry of entries) {
      const trimmed = entry.replace(/\/\*\*$/, '').replace(/\/+$/, '');
      if (trimmed === '') continue;
      if (isGlobPattern(trimmed)) {
        // A glob without a slash matches a name at any depth, as in .gitignore; one with no
        // linear-time form protects everything rather than nothing.
        const compiled = compileGlob(trimmed, { nocase: true });
        const byName = !trimmed.includes('/');
        const match = compiled.ok
          ? (path: string) => compiled.matcher.test(byName ? path.slice(path.lastIndexOf('/') + 1) : path)
          : () => true;
        globs.push({ match, shown: entry });
        continue;
      }
      const lexical = isAbsolute(trimmed) ? trimmed : resolve(root, trimmed);
      const real = await realpath(lexical).catch(() => lexical);
      for (const path of new Set([lexical, real])) prefixes.push({ folded: fold(path), shown: entry });
    }
    return new ProtectedPaths([...new Set([root, workspaceRoot])], prefixes, globs);
  }

  /** Why writing the real, absolute `path` is refused, or undefined when it may be written. */
  reason(path: string): string | undefined {
    if (this.bases.length === 0) return undefined;
    const below = this.bases.map((base) => insidePart(path, base)).filter((rel): rel is string => rel !== undefined);
    for (const rel of below) {
      for (const part of fold(rel).split(sep)) if (PROTECTED_NAMES.includes(part)) return `a protected control file (${part})`;
    }
    const folded = fold(path);
    for (const { folded: prefix, shown } of this.prefixes) {
      if (folded === prefix || folded.startsWith(prefix + sep)) return `a protected control file (${shown})`;
    }
    for (const rel of below) {
      const posix = rel.split(sep).join('/');
      for (const { match, shown } of this.globs) if (match(posix)) return `a protected control file (${shown})`;
    }
    return undefined;
  }

  /**
   * Existing files and folders below `folder` that a name or a glob protects, for the command
   * sandbox, which mounts paths read-only and cannot match names or globs itself. The walk follows
   * no link and does not enter a protected folder (all of it is mounted) or `node_modules`; it
   * stops after MAX_CONTROL_WALK_ENTRIES entries.
   */
  async existingMatches(folder: string, maxEntries = MAX_CONTROL_WALK_ENTRIES): Promise<string[]> {
    if (this.bases.length === 0) return [];
    const found: string[] = [];
    const pending = [await realpath(folder).catch(() => resolve(folder))];
    let visited = 0;
    while (pending.length > 0) {
      const current = pending.pop()!;
      const entries = await readdir(current, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        if (++visited > maxEntries) return found;
        const path = join(current, entry.name);
        if (this.reason(path) !== undefined) found.push(path);
        else if (entry.isDirectory() && !UNWALKED_FOLDERS.has(entry.name)) pending.push(path);
      }
    }
    return found;
  }
}

/**
 * The folders the runner itself writes during a run (its state folder from DEFAULT_PROTECTED, the
 * run records, memory), relative to the project root or absolute: the sandbox makes them before
 * the first command so it can mount them read-only.
 */
export function runnerStateFolders(folders: { runsDir: string; memoryDir?: string }): string[] {
  const state = DEFAULT_PROTECTED.filter((entry) => !(CONFIG_FILES as readonly string[]).includes(entry));
  return [...state, folders.runsDir, folders.memoryDir ?? ''].filter((entry) => entry !== '');
}
