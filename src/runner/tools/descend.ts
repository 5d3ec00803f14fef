/**
 * Using a checked path without trusting it again: the descriptor walk behind `Workspace`.
 *
 * Node has no `openat`, but on Linux `/proc/self/fd/N/name` is one: the kernel resolves
 * `/proc/self/fd/N` to the open folder itself, whatever its path has become, and only `name` is
 * looked up, with O_NOFOLLOW refusing a link there. Walking the real path from the workspace root
 * one folder at a time this way, a folder swapped for a link at any step fails with ELOOP instead
 * of leading outside; `mkdir` through the same prefix creates a missing folder in the folder that
 * was checked. A folder moved out of the workspace while open is caught by asking the kernel where
 * the final descriptor is (`readlink /proc/self/fd/N`).
 *
 * Where /proc is missing (macOS), paths are used directly after the check; the file's `fstat`
 * against the path's `lstat` (device and inode) and a `realpath` after the listing are the checks
 * left.
 */
import { constants, existsSync, type Dirent, type Stats } from 'node:fs';
import { lstat, mkdir, open, readdir, readlink, realpath, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, relative, sep } from 'node:path';
import type { Workspace } from './workspace.js';

export type Refusal = { ok: false; reason: string; policy?: true; missing?: true };

const PROC_FD = '/proc/self/fd';
const FOLDER_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;
// O_NONBLOCK: opening a FIFO otherwise waits for its other end on a libuv thread, past any
// deadline and keeping the process alive; regular files ignore the flag, and what is opened is
// then refused unless it is a regular file (writes here, reads by the callers).
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
const WRITE_FLAGS = constants.O_WRONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

let procChecked: boolean | undefined;
function hasProc(): boolean {
  return (procChecked ??= existsSync(`${PROC_FD}/0`) || existsSync(PROC_FD));
}

function refusal(error: unknown, shown: string): Refusal {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') return { ok: false, reason: `a symbolic link is in the way: ${shown}` };
  if (code === 'ENOENT') return { ok: false, reason: `no such file: ${shown}`, missing: true };
  // A FIFO opened for writing without a reader (O_NONBLOCK).
  if (code === 'ENXIO') return { ok: false, reason: `not a regular file: ${shown}` };
  // O_DIRECTORY with O_NOFOLLOW fails with ENOTDIR on a link, as on a file.
  if (code === 'ENOTDIR') return { ok: false, reason: `a symbolic link or a file is in the way: ${shown}` };
  return { ok: false, reason: (error as Error).message };
}

/** The folder at the real path `folder`, opened one O_NOFOLLOW step at a time from the root (Linux). */
async function openFolder(
  workspace: Workspace,
  folder: string,
  create: boolean,
  shown: string,
): Promise<{ ok: true; handle: FileHandle } | Refusal> {
  const rel = relative(workspace.root, folder);
  const parts = rel === '' ? [] : rel.split(sep);
  let handle: FileHandle;
  try {
    handle = await open(workspace.root, FOLDER_FLAGS);
  } catch (error) {
    return refusal(error, shown);
  }
  try {
    for (const part of parts) {
      const at = `${PROC_FD}/${handle.fd}/${part}`;
      let next: FileHandle;
      try {
        next = await open(at, FOLDER_FLAGS);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !create) throw error;
        await mkdir(at).catch((made: NodeJS.ErrnoException) => {
          if (made.code !== 'EEXIST') throw made;
        });
        next = await open(at, FOLDER_FLAGS);
      }
      await handle.close();
      handle = next;
    }
    return { ok: true, handle };
  } catch (error) {
    await handle.close();
    return refusal(error, shown);
  }
}

/** Where the kernel says an open descriptor is, or undefined without /proc. */
async function whereIs(handle: FileHandle): Promise<string | undefined> {
  try {
    return (await readlink(`${PROC_FD}/${handle.fd}`)).replace(/ \(deleted\)$/, '');
  } catch {
    return undefined;
  }
}

/** Why an opened file must not be used, or undefined. */
async function openedRefusal(
  workspace: Workspace,
  handle: FileHandle,
  path: string,
  mode: 'read' | 'write',
  shown: string,
): Promise<string | undefined> {
  const info: Stats = await handle.stat();
  if (mode === 'write' && !info.isFile()) return `not a regular file: ${shown}`;
  if (info.isFile() && info.nlink > 1)
    return `a hard-linked file (${info.nlink} names; another may be outside the workspace or protected): ${shown}`;
  const actual = await whereIs(handle);
  if (actual !== undefined) {
    if (!workspace.contains(actual)) return `the file moved outside the workspace while it was opened: ${shown}`;
    const protectedReason = mode === 'write' ? workspace.protection.reason(actual) : undefined;
    if (protectedReason) return `${protectedReason}: ${shown}`;
  }
  const named = await lstat(path).catch(() => undefined);
  if (!named || named.dev !== info.dev || named.ino !== info.ino) return `the file changed while it was opened: ${shown}`;
  return undefined;
}

/** Opens an existing file, or for writing creates it (O_EXCL first, so the caller knows it made it). */
async function openFile(at: string, mode: 'read' | 'write'): Promise<{ handle: FileHandle; created: boolean }> {
  if (mode === 'read') return { handle: await open(at, READ_FLAGS), created: false };
  try {
    return { handle: await open(at, WRITE_FLAGS | constants.O_CREAT | constants.O_EXCL, 0o644), created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { handle: await open(at, WRITE_FLAGS), created: false };
  }
}

/** Opens the file at the real path `path` (checked inside the workspace) without following anything swapped in since. */
export async function openInside(
  workspace: Workspace,
  path: string,
  mode: 'read' | 'write',
  shown: string,
): Promise<{ ok: true; handle: FileHandle } | Refusal> {
  if (!workspace.contains(path)) return { ok: false, reason: `outside the workspace: ${shown}` };
  let file: { handle: FileHandle; created: boolean };
  if (hasProc()) {
    const folder = await openFolder(workspace, dirname(path), mode === 'write', shown);
    if (!folder.ok) return folder;
    try {
      file = await openFile(`${PROC_FD}/${folder.handle.fd}/${basename(path)}`, mode);
    } catch (error) {
      return refusal(error, shown);
    } finally {
      await folder.handle.close();
    }
  } else {
    try {
      if (mode === 'write') await mkdir(dirname(path), { recursive: true });
      file = await openFile(path, mode);
    } catch (error) {
      return refusal(error, shown);
    }
  }
  const reason = await openedRefusal(workspace, file.handle, path, mode, shown).catch((error: Error) => error.message);
  if (reason === undefined) return { ok: true, handle: file.handle };
  const actual = file.created ? await whereIs(file.handle) : undefined;
  await file.handle.close();
  // A file this call created where it must not be (its folder moved out while open) is removed again.
  if (actual !== undefined) await unlink(actual).catch(() => {});
  return { ok: false, reason };
}

/** The entries of the folder at the real path `folder`, read through its descriptor. */
export async function listFolder(workspace: Workspace, folder: string, shown: string): Promise<{ ok: true; entries: Dirent[] } | Refusal> {
  if (!workspace.contains(folder)) return { ok: false, reason: `outside the workspace: ${shown}` };
  if (!hasProc()) {
    try {
      const entries = await readdir(folder, { withFileTypes: true });
      if (!workspace.contains(await realpath(folder)))
        return { ok: false, reason: `the folder moved outside the workspace while it was listed: ${shown}` };
      return { ok: true, entries };
    } catch (error) {
      return refusal(error, shown);
    }
  }
  const opened = await openFolder(workspace, folder, false, shown);
  if (!opened.ok) return opened;
  try {
    const entries = await readdir(`${PROC_FD}/${opened.handle.fd}`, { withFileTypes: true });
    const actual = await whereIs(opened.handle);
    if (actual !== undefined && !workspace.contains(actual))
      return { ok: false, reason: `the folder moved outside the workspace while it was listed: ${shown}` };
    return { ok: true, entries };
  } catch (error) {
    return refusal(error, shown);
  } finally {
    await opened.handle.close();
  }
}
