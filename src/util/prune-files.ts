/**
 * Keeps a cache folder bounded: of the files a filter picks, the newest `keep` stay and the rest
 * are removed (newest by modification time, then by name, so the choice is stable).
 *
 * @example pruneOldest('.codex-flow/cache', 4, (name) => name.startsWith('lexical-'))
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function pruneOldest(dir: string, keep: number, picked: (name: string) => boolean): void {
  const entries = readdirSync(dir)
    .filter(picked)
    .map((name) => ({ name, mtime: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime || (a.name < b.name ? -1 : 1));
  for (const entry of entries.slice(keep)) rmSync(join(dir, entry.name), { force: true });
}
