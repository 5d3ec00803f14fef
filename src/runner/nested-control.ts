/**
 * Nested control folders (a nested clone's `.git`, a sub-project's `.claude`), found once at run
 * start so the sandbox can mount them read-only like the root ones.
 *
 * Naive approach: mount only the root's `.git` and `.claude`; a nested clone's `.git/config`
 * (`core.fsmonitor`, hooks) stays writable from Bash. A mount cannot follow a name at any depth, so
 * the workspace is walked instead: breadth first, never through a link, skipping `node_modules`
 * and not descending into a control folder it found, within a bound on folders read and depth.
 * Invariant: what the walk does not reach (past the bound, or made during the run) is not mounted;
 * docs/runner.md says so. File tools still refuse those names at any depth (tools/protected.ts).
 */
import { readdirSync, type Dirent } from 'node:fs';
import { join } from 'node:path';

/** Folders read at most, and the deepest level looked at: a huge tree costs a bounded walk. */
export const NESTED_WALK_LIMITS = { folders: 5_000, depth: 8 };

const SKIPPED = new Set(['node_modules']);

/** Absolute paths of folders and files named one of `names` in `workspace` at any depth (its top level too: the workspace may lie below the project root). */
export function nestedControlFolders(workspace: string, names: readonly string[], limits = NESTED_WALK_LIMITS): string[] {
  const wanted = new Set(names.map((name) => name.toLowerCase()));
  const found: string[] = [];
  let queue: string[] = [workspace];
  let read = 0;
  for (let depth = 0; depth <= limits.depth && queue.length > 0; depth++) {
    const next: string[] = [];
    for (const folder of queue) {
      if (++read > limits.folders) return found;
      let entries: Dirent[];
      try {
        entries = readdirSync(folder, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const entry of entries) {
        const path = join(folder, entry.name);
        // A control file (a config named in `names`) is mounted too; links are never followed.
        if (wanted.has(entry.name.toLowerCase()) && (entry.isDirectory() || entry.isFile())) {
          found.push(path);
          continue;
        }
        if (entry.isDirectory() && !SKIPPED.has(entry.name)) next.push(path);
      }
    }
    queue = next;
  }
  return found;
}
