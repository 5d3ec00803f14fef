/**
 * Removing a tree that another sandboxed command may still be changing, without following a link.
 *
 * Naive approach: `lstat` a path, then `rmSync(path, { recursive: true })`. Between the two, a
 * command of another task (sandboxes of one run share the workspace) can swap a folder on the way
 * for a link, and the removal follows it out of the workspace. What we do (Linux, as descend.ts):
 * every step resolves one name inside a folder already open with O_NOFOLLOW, through
 * `/proc/self/fd/N/name`; `unlink` and `rmdir` never follow their last name, and a folder that
 * became a link between `lstat` and `open` fails to open and is unlinked as the link it now is.
 * The worst a racing command can do is leave something behind, which the caller reports.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, rmdirSync, unlinkSync, type Stats } from 'node:fs';

const FOLDER_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;

/** Levels below the removed entry at most: a deeper tree is left (and reported), never overflows. */
const MAX_DEPTH = 256;

/** The path of `name` inside the folder open at `fd`. */
export function at(fd: number, name: string): string {
  return `/proc/self/fd/${fd}/${name}`;
}

/** Opens `root`, then each of `parts` inside the previous one without following a link; throws when one is missing or a link. */
export function openFolderAt(root: string, parts: readonly string[]): number {
  let fd = openSync(root, FOLDER_FLAGS);
  try {
    for (const part of parts) {
      const next = openSync(at(fd, part), FOLDER_FLAGS);
      closeSync(fd);
      fd = next;
    }
    return fd;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

export function fstatOf(fd: number): Stats {
  return fstatSync(fd);
}

/** `lstat` of `name` inside the folder open at `fd`, or undefined when nothing is there. */
export function lstatAt(fd: number, name: string): Stats | undefined {
  try {
    return lstatSync(at(fd, name));
  } catch {
    return undefined;
  }
}

/** Removes `name` (a tree, a file or a link; never a link's target) from the folder open at `fd`; false when something was left. */
export function removeAt(fd: number, name: string, depth = 0): boolean {
  const path = at(fd, name);
  const info = lstatAt(fd, name);
  if (!info) return true;
  if (!info.isDirectory()) return attempt(() => unlinkSync(path));
  if (depth >= MAX_DEPTH) return false;
  let folder: number;
  try {
    folder = openSync(path, FOLDER_FLAGS);
  } catch {
    // Swapped for a link or a file since the lstat: that is what is removed.
    return attempt(() => unlinkSync(path));
  }
  let complete = true;
  try {
    for (const entry of readdirSync(at(folder, '.'))) complete = removeAt(folder, entry, depth + 1) && complete;
  } catch {
    complete = false;
  } finally {
    closeSync(folder);
  }
  return attempt(() => rmdirSync(path)) && complete;
}

function attempt(action: () => void): boolean {
  try {
    action();
    return true;
  } catch {
    return false;
  }
}
