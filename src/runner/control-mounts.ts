/**
 * How each control path is held inside the sandbox, planned from the disk just before a command,
 * and what the runner checks and undoes once the command is gone.
 *
 * Naive approach: `--ro-bind` each existing control path and, after the command, `rm -r` one that
 * it created. Three ways round it: a writable parent of a nested control path (`codex/` of
 * `codex/agents`) can be renamed away and a forged one written in its place; bubblewrap follows a
 * symlinked control path to mount its target, so the link itself can be replaced; and the removal
 * follows a link the command put where a parent was, deleting a folder outside the workspace.
 * What we do, walking each control path one component at a time with `lstat`:
 *   - every real folder the plan relies on is bound onto itself (the folders above a control path
 *     or a link's target, the folder holding a link, the folder a missing control path would
 *     appear in, up to the workspace): a mount point cannot be renamed or removed (EBUSY), so each
 *     stays where the plan saw it, and its other entries stay writable;
 *   - an existing control path is bound read-only at its real path (a link is resolved first, so
 *     the mount lands on the target whatever the link says);
 *   - each link on the way is recorded; after the command it must still be a link to the same
 *     target, otherwise whatever replaced it is removed, the link restored, and that is a violation;
 *   - for a missing control path, the deepest folder that exists is recorded (device and inode);
 *     after the command the rest is walked with `lstat` from that folder: a link where a folder
 *     was expected is removed (a link, never its target) and is a violation; only the control path
 *     itself is removed when it appears, never anything outside what the command created.
 * The check runs once this command's sandbox is gone, but a command of another task may still run
 * in the same workspace: every step of it goes through folders opened without following links.
 */
import { closeSync, lstatSync, readlinkSync, realpathSync, symlinkSync, type Stats } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { at, fstatOf, lstatAt, openFolderAt, removeAt } from './remove-at.js';
import { isInside } from '../util/paths.js';

export interface ControlPlan {
  /** Real path of the workspace the plan was made for. */
  workspace: string;
  /** bwrap arguments, parents before children: folders bound onto themselves, control paths read-only. */
  mounts: string[];
  links: Array<{ path: string; target: string; shown: string }>;
  missing: Array<{ base: string; identity: string; rest: string[]; shown: string }>;
}

export interface ControlCheck {
  /** Control paths (workspace-relative) the command created, removed since. */
  removed: string[];
  /** What the command changed on the way to a control path, undone since. */
  violations: string[];
}

/** Links followed on the way to one control path at most (a cycle ends the walk). */
const MAX_LINKS = 16;

export function planControlPaths(workspace: string, controlPaths: readonly string[]): ControlPlan {
  const readOnly = new Set<string>();
  const plan: ControlPlan = { workspace, mounts: [], links: [], missing: [] };
  for (const path of controlPaths) {
    if (!isInside(path, workspace) || path === workspace) continue;
    const shown = relative(workspace, path).split(sep).join('/');
    walk(workspace, relative(workspace, path).split(sep), shown, { readOnly, plan });
  }
  // Every real folder the plan relies on stays put: the folders above a read-only mount, the
  // folder a missing control path would appear in, the folder holding a link (and theirs).
  const parents = new Set<string>();
  const holdFrom = (folder: string) => {
    for (let at = folder; isInside(at, workspace) && at !== workspace; at = dirname(at)) parents.add(at);
  };
  for (const path of readOnly) holdFrom(dirname(path));
  for (const { base } of plan.missing) holdFrom(base);
  for (const { path } of plan.links) holdFrom(dirname(path));
  const underReadOnly = (path: string) => [...readOnly].some((top) => top !== path && isInside(path, top));
  const depth = (path: string) => path.split(sep).length;
  const entries = [
    ...[...parents].filter((path) => !readOnly.has(path)).map((path) => ['--bind', path, path]),
    ...[...readOnly].map((path) => ['--ro-bind', path, path]),
  ]
    .filter(([, path]) => !underReadOnly(path!))
    .sort((a, b) => depth(a[1]!) - depth(b[1]!));
  plan.mounts = entries.flat();
  return plan;
}

interface WalkState {
  readOnly: Set<string>;
  plan: ControlPlan;
}

function walk(workspace: string, parts: string[], shown: string, state: WalkState): void {
  let folder = workspace;
  let links = 0;
  const rest = [...parts];
  while (rest.length > 0) {
    const part = rest.shift()!;
    const next = join(folder, part);
    const info = lstatOrUndefined(next);
    if (!info) {
      state.plan.missing.push({ base: folder, identity: identity(lstatSync(folder)), rest: [part, ...rest], shown });
      return;
    }
    if (info.isSymbolicLink()) {
      if (++links > MAX_LINKS) return;
      const target = readlinkSync(next);
      state.plan.links.push({ path: next, target, shown });
      const real = realOrUndefined(next);
      if (real === undefined) {
        // Dangling: walk on from the folder the link starts in, along the text of its target.
        const aimed = resolve(folder, target);
        if (!isInside(aimed, workspace)) return;
        rest.unshift(...relative(workspace, aimed).split(sep).filter(Boolean));
        folder = workspace;
        continue;
      }
      if (rest.length === 0) {
        state.readOnly.add(real);
        return;
      }
      // A link to a file cannot hold the rest of the path; the link itself is checked after.
      if (!lstatSync(real).isDirectory()) return;
      folder = real;
      continue;
    }
    if (rest.length === 0) {
      state.readOnly.add(next);
      return;
    }
    if (!info.isDirectory()) {
      // A file where a folder of the control path goes: the command may replace it by a folder.
      state.plan.missing.push({ base: folder, identity: identity(lstatSync(folder)), rest: [part, ...rest], shown });
      return;
    }
    folder = next;
  }
}

/**
 * Restores links, removes what the command created at a missing control path, and reports both.
 * Every step goes through folders opened without following links (remove-at.ts): a command of
 * another task may still run in the same workspace and swap a folder for a link meanwhile.
 */
export function checkControlPaths(plan: ControlPlan): ControlCheck {
  const check: ControlCheck = { removed: [], violations: [] };
  for (const { path, target, shown } of plan.links) {
    withFolder(
      plan.workspace,
      dirname(path),
      (fd) => {
        const name = basename(path);
        const info = lstatAt(fd, name);
        if (info?.isSymbolicLink() && readlinkSync(at(fd, name)) === target) return;
        const restored = removeAt(fd, name) && attempt(() => symlinkSync(target, at(fd, name)));
        check.violations.push(`${shown}: the link ${path} was replaced; ${restored ? 'it is restored' : 'it could not be restored'}`);
      },
      () => check.violations.push(`${shown}: the folder of the link ${path} changed; nothing was restored`),
    );
  }
  for (const { base, identity: seen, rest, shown } of plan.missing) {
    withFolder(
      plan.workspace,
      base,
      (fd) => {
        if (identity(fstatOf(fd)) !== seen) throw new Error('changed');
        walkCreated(fd, rest, shown, check);
      },
      () => check.violations.push(`${shown}: the folder ${base} changed while the command ran; nothing was removed`),
    );
  }
  return check;
}

/** Follows `rest` down from the folder open at `fd`; removes the last name when it is there. */
function walkCreated(fd: number, rest: readonly string[], shown: string, check: ControlCheck): void {
  const [part, ...deeper] = rest;
  if (part === undefined) return;
  const found = lstatAt(fd, part);
  if (!found) return;
  if (deeper.length === 0) {
    if (!removeAt(fd, part)) check.violations.push(`${shown}: created by the command and could not be removed entirely`);
    if (!check.removed.includes(shown)) check.removed.push(shown);
    return;
  }
  if (found.isSymbolicLink()) {
    const removed = removeAt(fd, part);
    check.violations.push(
      `${shown}: the command made a link ${part} where a folder of this control path goes; ${removed ? 'the link was removed' : 'the link could not be removed'}`,
    );
    return;
  }
  if (!found.isDirectory()) return;
  let next: number;
  try {
    next = openFolderAt(at(fd, part), []);
  } catch {
    return;
  }
  try {
    walkCreated(next, deeper, shown, check);
  } finally {
    closeSync(next);
  }
}

/** Runs `use` on `folder` (a real path inside the workspace) opened from the workspace without following links; `changed` when it cannot be. */
function withFolder(workspace: string, folder: string, use: (fd: number) => void, changed: () => void): void {
  if (!isInside(folder, workspace)) return;
  let fd: number;
  try {
    const rel = relative(workspace, folder);
    fd = openFolderAt(workspace, rel === '' ? [] : rel.split(sep));
  } catch {
    changed();
    return;
  }
  try {
    use(fd);
  } catch {
    changed();
  } finally {
    closeSync(fd);
  }
}

/** Runs a step; false when it failed (reported by the caller, never thrown from a process event). */
function attempt(action: () => void): boolean {
  try {
    action();
    return true;
  } catch {
    return false;
  }
}

function identity(info: Stats): string {
  return `${info.dev}:${info.ino}`;
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

function realOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
