/**
 * Files changed by work the file tools do not see: a subtask that may run Bash (`sed -i`, a code
 * generator, `npm version`) changes files the model's conversation never names. So the swarm takes
 * a snapshot of the workspace before and after such a subtask (each file's size and mtime) and
 * counts every file added, changed or removed in between as changed by it.
 *
 * The file list is git's (`git ls-files -co --exclude-standard`: tracked and untracked, ignored
 * files left out) in a git work tree, else a walk of the folder that skips dependency and state
 * folders. Both stop at MAX_SNAPSHOT_FILES; a snapshot that stopped there says so (`complete:
 * false`) and its diff only covers the files both snapshots listed. Subtasks that run at the same
 * time share the workspace: a file changed while two of them ran is counted to each one that took
 * snapshots.
 *
 * @example
 * const before = await snapshotWorkspace(root, ['.runs']);
 * … the subtask runs …
 * changedBetween(before, await snapshotWorkspace(root, ['.runs'])); // ['scripts/gen.ts']
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Files a snapshot looks at: a large monorepo's source tree, not its generated output; stat-ing them stays in the tens of milliseconds. */
export const MAX_SNAPSHOT_FILES = 20_000;
/** Bound on `git ls-files`: a repository whose index git cannot list in this time is walked instead. */
const GIT_TIMEOUT_MS = 10_000;
/** Folders never walked: dependencies and tool state, not work. */
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules', '.codex-flow', '.hg', '.svn']);

export interface WorkspaceSnapshot {
  /** Root-relative path (forward slashes) → `size:mtimeMs`; a file that vanished between listing and stat is absent. */
  files: Map<string, string>;
  complete: boolean;
}

/** `ignored`: root-relative folders left out (the runs folder, whose records every subtask writes). */
export async function snapshotWorkspace(root: string, ignored: readonly string[] = []): Promise<WorkspaceSnapshot> {
  const listed = (existsSync(join(root, '.git')) ? await gitFiles(root) : undefined) ?? walk(root);
  const skip = ignored.map((folder) => `${folder.replace(/\/+$/, '')}/`);
  const files = new Map<string, string>();
  for (const path of listed.paths) {
    if (skip.some((prefix) => path.startsWith(prefix))) continue;
    try {
      const stat = statSync(join(root, path));
      if (stat.isFile()) files.set(path, `${stat.size}:${stat.mtimeMs}`);
    } catch {
      /* removed while listed: absent, as after the removal */
    }
  }
  return { files, complete: listed.complete };
}

/** Paths added, changed or removed from `before` to `after`, sorted; only paths both could list when either stopped short. */
export function changedBetween(before: WorkspaceSnapshot, after: WorkspaceSnapshot): string[] {
  const both = before.complete && after.complete;
  const changed: string[] = [];
  for (const [path, stamp] of after.files) {
    const earlier = before.files.get(path);
    if (earlier === undefined ? both : earlier !== stamp) changed.push(path);
  }
  if (both) for (const path of before.files.keys()) if (!after.files.has(path)) changed.push(path);
  return changed.sort();
}

function gitFiles(root: string): Promise<{ paths: string[]; complete: boolean } | undefined> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['ls-files', '-z', '-co', '--exclude-standard'],
      { cwd: root, timeout: GIT_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout) => {
        if (error) {
          resolve(undefined);
          return;
        }
        const paths = stdout.split('\0').filter((path) => path !== '');
        resolve({ paths: paths.slice(0, MAX_SNAPSHOT_FILES), complete: paths.length <= MAX_SNAPSHOT_FILES });
      },
    );
  });
}

function walk(root: string): { paths: string[]; complete: boolean } {
  const paths: string[] = [];
  const folders = [''];
  while (folders.length > 0) {
    const folder = folders.pop()!;
    let entries;
    try {
      entries = readdirSync(join(root, folder), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) folders.push(path);
        continue;
      }
      if (!entry.isFile()) continue;
      if (paths.length >= MAX_SNAPSHOT_FILES) return { paths, complete: false };
      paths.push(path);
    }
  }
  return { paths, complete: true };
}
