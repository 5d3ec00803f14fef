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
 * Invariant: a path returned as `ok` is absolute, and its real location (at check time) is inside
 * the workspace. Between the check and the use, a process of the agent could swap a folder for a
 * link; `open()` closes that gap: it opens with O_NOFOLLOW, then asks the kernel where the open
 * descriptor really points (`/proc/self/fd/N`) and refuses — closing, and removing a file it just
 * created — when that is outside. Where /proc is missing, the check before the open is all there is.
 *
 * @example
 * const workspace = await Workspace.open('/repo');
 * const target = await workspace.resolve('../etc/passwd'); // { ok: false, reason: 'outside the workspace: …' }
 */
import { constants } from 'node:fs';
import { lstat, open, readlink, realpath, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

export type Opened = { ok: true; handle: FileHandle; path: string } | { ok: false; reason: string };

const OPEN_FLAGS = { read: constants.O_RDONLY | constants.O_NOFOLLOW, write: constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW } as const;

export type Resolved = { ok: true; path: string; exists: boolean } | { ok: false; reason: string };

export class Workspace {
  private constructor(readonly root: string) {}

  /** The workspace at `root`, which must exist; its real path is the boundary. */
  static async open(root: string): Promise<Workspace> {
    return new Workspace(await realpath(root));
  }

  /** Whether an absolute, already-real path is the root or inside it. */
  contains(path: string): boolean {
    const rel = relative(this.root, path);
    return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
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
   * Opens a file inside the workspace for reading, or for writing (created if missing, not
   * truncated: the caller truncates once the location is proven). Refuses links and anything whose
   * open descriptor points outside.
   */
  async open(input: unknown, mode: 'read' | 'write'): Promise<Opened> {
    const resolved = await this.resolve(input);
    if (!resolved.ok) return resolved;
    let handle: FileHandle;
    try {
      handle = await open(resolved.path, OPEN_FLAGS[mode], 0o644);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return { ok: false, reason: code === 'ELOOP' ? `a symbolic link: ${String(input)}` : code === 'ENOENT' ? `no such file: ${String(input)}` : (error as Error).message };
    }
    let actual: string | undefined;
    try {
      actual = await readlink(`/proc/self/fd/${handle.fd}`);
    } catch {
      actual = undefined; // no /proc: the check before the open stands
    }
    if (actual !== undefined && !this.contains(actual.replace(/ \(deleted\)$/, ''))) {
      await handle.close();
      if (mode === 'write' && !resolved.exists) await unlink(actual).catch(() => {});
      return { ok: false, reason: `the file moved outside the workspace while it was opened: ${String(input)}` };
    }
    return { ok: true, handle, path: resolved.path };
  }
}
