/**
 * File-system failures that are the machine's state, not a bug: a folder the user cannot write,
 * a read-only mount, a full disk. The CLI reports them as a diagnostic naming the path (exit 1),
 * never as an internal error (exit 70).
 */

const REASONS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  ENOENT: 'no such file or folder',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
};

/** Codes of the machine's state a command cannot fix by itself, whatever it was doing. */
const ENVIRONMENT = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT']);

/** An error from Node's `fs` about the file system's state (permissions, read-only, full), with the path it hit. */
export function isEnvironmentFsError(error: unknown): error is NodeJS.ErrnoException & { path: string } {
  const found = error as NodeJS.ErrnoException | null;
  return typeof found?.code === 'string' && ENVIRONMENT.has(found.code) && typeof found.path === 'string';
}

/** "permission denied (EACCES)" for a Node `fs` error; its message for anything else. */
export function fsReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string' && REASONS[code]) return `${REASONS[code]} (${code})`;
  return error instanceof Error ? error.message : String(error);
}

const VERBS: Readonly<Record<string, string>> = {
  open: 'open',
  mkdir: 'create the folder',
  write: 'write',
  rename: 'replace',
  unlink: 'remove',
  rmdir: 'remove the folder',
  copyfile: 'copy to',
};

/** "cannot create the folder /p/.codex-flow: permission denied (EACCES)" */
export function fsFailure(error: NodeJS.ErrnoException & { path: string }): string {
  return `cannot ${VERBS[error.syscall ?? ''] ?? 'use'} ${error.path}: ${fsReason(error)}`;
}

/** What the user can do about a file-system failure of `code`. */
export function fsHint(code: string | undefined): string {
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'free some space on that disk, then run the command again';
  if (code === 'EROFS') return 'run codex-flow in a project on a writable file system';
  return 'give your user write access to that path, or run codex-flow in a copy of the project you own';
}
