/**
 * Whether one absolute path is at or under another, decided on the path's text. The relative path
 * from the folder leaves it only when it is `..` or starts with `../` (or is absolute: another
 * drive on Windows); a name that merely starts with two dots (`..draft.md`) stays inside.
 *
 * @example
 * isInside('/repo/..draft.md', '/repo'); // true
 * isInside('/repo-other/x', '/repo');    // false
 */
import { isAbsolute, relative, sep } from 'node:path';

/** Whether `path` is `folder` or inside it (both absolute and resolved the same way). */
export function isInside(path: string, folder: string): boolean {
  const rest = relative(folder, path);
  return rest === '' || (rest !== '..' && !rest.startsWith(`..${sep}`) && !isAbsolute(rest));
}

/** `path` relative to `folder` when it is strictly inside, else undefined. */
export function insidePart(path: string, folder: string): string | undefined {
  const rest = relative(folder, path);
  return rest !== '' && isInside(path, folder) ? rest : undefined;
}
