/**
 * Workspace confinement for file tools.
 *
 * The naive check — `path.resolve(root, p).startsWith(root)` — is fooled by symlinks: a link inside
 * the workspace that points at `/etc` passes the string test and reads outside. Here a path is
 * first resolved lexically against the real root, then the nearest existing ancestor is passed
 * through `realpath` (which follows every link on the way), and the real location must still be
 * inside the real root. Missing tail components cannot be links (they do not exist yet), so
 * creating them stays inside. A dangling link as the last component is refused: writing through
 * it would create a file wherever it points.
 *
 * Between that check and the use, a process of the agent could swap a folder for a link. So every
 * use goes through a descriptor, never through the path again: `descend.ts` opens the real path's
 * folders one by one from the root, each with O_NOFOLLOW relative to the descriptor of its parent
 * (`/proc/self/fd/N/name`, the openat of Node), creating missing folders the same way; a link
 * swapped in anywhere makes that open fail and the call is refused. Files are opened the same way,
 * then `fstat` must show a regular file with one link (a hard link could name a file outside) that
 * is the very file the path names (same device and inode as its `lstat`). Listings read the open
 * folder (`/proc/self/fd/N`), not its path. Where /proc is missing the path is used after the
 * check, and the device/inode comparison is what closes the gap.
 *
 * Writes also pass `ProtectedPaths`: control files are refused to every file tool.
 *
 * Invariant: a path returned as `ok` is absolute, and its real location (at check time) is inside
 * the workspace; a descriptor returned by `open`/`list` is inside at the time of use.
 *
 * @example
 * const workspace = await Workspace.open('/repo');
 * const target = await workspace.resolve('../etc/passwd'); // { ok: false, reason: 'outside the workspace: …' }
 */
import type { Dirent } from 'node:fs';
import { lstat, realpath, type FileHandle } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { isInside } from '../../util/paths.js';
import { listFolder, openInside, type Refusal } from './descend.js';
import { ProtectedPaths } from './protected.js';

export type Opened = { ok: true; handle: FileHandle; path: string } | Refusal;

export type Resolved = { ok: true; path: string; exists: boolean } | Refusal;

export class Workspace {
  private constructor(
    readonly root: string,
    readonly protection: ProtectedPaths,
  ) {}

  /** The workspace at `root`, which must exist; its real path is the boundary. */
  static async open(root: string, options: { protection?: ProtectedPaths } = {}): Promise<Workspace> {
    return new Workspace(await realpath(root), options.protection ?? ProtectedPaths.none());
  }

  /** Whether an absolute, already-real path is the root or inside it. */
  contains(path: string): boolean {
    return isInside(path, this.root);
  }

  /** A path relative to the root for messages (never an absolute path of the machine). */
  display(path: string): string {
    return relative(this.root, path).split(sep).join('/') || '.';
  }

  async resolve(input: unknown): Promise<Resolved> {
    if (typeof input !== 'string' || input.length === 0) return { ok: false, reason: 'a path is required' };
    if (input.includes('\0')) return { ok: false, reason: 'the path contains a NUL byte' };
    const lexical = resolve(this.root, input);
    if (!this.contains(lexical)) return { ok: false, reason: `outside the workspace: ${input}` };
    let existing = lexical;
    for (;;) {
      let stats;
      try {
        stats = await lstat(existing);
      } catch {
        const parent = dirname(existing);
        if (parent === existing) return { ok: false, reason: `no existing ancestor: ${input}` };
        existing = parent;
        continue;
      }
      let real: string;
      try {
        real = await realpath(existing);
      } catch {
        return { ok: false, reason: `a dangling symbolic link is in the way: ${input}` };
      }
      if (!this.contains(real)) return { ok: false, reason: `leaves the workspace through a symbolic link: ${input}` };
      const exists = existing === lexical;
      if (!exists && !stats.isDirectory()) return { ok: false, reason: `not a directory on the way: ${this.display(existing)}` };
      return { ok: true, path: exists ? real : join(real, relative(existing, lexical)), exists };
    }
  }

  /**
   * `resolve`, then refused when the real location is a protected control file. The refusal is
   * a policy decision (`policy: true`), audited like a tool outside the allow-list.
   */
  async resolveWritable(input: unknown): Promise<Resolved> {
    const resolved = await this.resolve(input);
    if (!resolved.ok) return resolved;
    const reason = this.protection.reason(resolved.path);
    return reason ? { ok: false, reason: `${reason}: ${String(input)}`, policy: true } : resolved;
  }

  /**
   * Opens a file inside the workspace for reading, or for writing (created if missing, together
   * with its missing folders; not truncated: the caller truncates once the location is proven).
   * Refuses links, hard-linked files, protected files (writing) and anything swapped on the way.
   */
  async open(input: unknown, mode: 'read' | 'write'): Promise<Opened> {
    const resolved = mode === 'write' ? await this.resolveWritable(input) : await this.resolve(input);
    if (!resolved.ok) return resolved;
    const opened = await openInside(this, resolved.path, mode, String(input));
    if (!opened.ok) return opened;
    return { ok: true, handle: opened.handle, path: resolved.path };
  }

  /** The entries of a folder inside the workspace, read through its descriptor. */
  async list(input: unknown): Promise<{ ok: true; path: string; entries: Dirent[] } | Refusal> {
    const resolved = await this.resolve(input);
    if (!resolved.ok) return resolved;
    if (!resolved.exists) return { ok: false, reason: `no such folder: ${String(input)}`, missing: true };
    const listed = await listFolder(this, resolved.path, String(input));
    return listed.ok ? { ok: true, path: resolved.path, entries: listed.entries } : listed;
  }
}
