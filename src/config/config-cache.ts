/**
 * The checked config of a project, kept in its cache folder and keyed by the file's bytes and the
 * running build, so that a command reading an unchanged config pays one small read and a hash
 * instead of loading the YAML parser, the schema validator and the schemas (hundreds of module
 * files, most of a command's start-up once `init` has written a config; figures in
 * docs/routing.md, "Start-up").
 *
 * Invariants:
 * - A hit gives what the full load gave for the same bytes under the same build: the config, its
 *   warnings, and (parsed again only when a subsystem asks) the positions of its keys.
 * - Only a bundled build caches (`dist/*.cjs`): its file's identity (size, mtime, inode) is part of
 *   the key, so a rebuilt or upgraded codex-flow never reads an entry another build wrote. Runs
 *   from source (tests, tsx, the ES module library) always load in full: a schema edited there
 *   would not change any key.
 * - Only a load without errors is kept, and only when the config is plain JSON data (YAML can say
 *   `.inf`, which JSON cannot hold).
 * - The entry is read without following links and replaced by a rename, never written through a
 *   link a repository could have planted; anything unreadable is a miss, never an error.
 */
import { lstatSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { hashBytes } from '../util/hash.js';
import { PROJECT_CACHE_DIR } from '../util/paths.js';
import { readRegularFile } from '../util/read-regular-file.js';
import { VERSION } from '../version.js';

export const CONFIG_CACHE_FILE = 'config.json';
/** An entry is the config (at most MAX_CONFIG_BYTES of YAML) and its warnings: far below this. */
const MAX_ENTRY_BYTES = 4 * 1024 * 1024;
/** Bumped when the entry's shape changes. */
const ENTRY_FORMAT = 1;

export interface CachedConfig {
  config: Record<string, unknown>;
  diagnostics: Diagnostic[];
}

interface Entry extends CachedConfig {
  format: number;
  key: string;
}

/** The build's identity, or undefined when this code does not run from a bundle (then nothing is cached). */
function buildStamp(): string | undefined {
  const url = import.meta.url;
  if (!url.startsWith('file:') || !url.endsWith('.cjs')) return undefined;
  try {
    const stats = statSync(fileURLToPath(url));
    return `${stats.size}:${stats.mtimeMs}:${stats.ino}`;
  } catch {
    return undefined;
  }
}

export interface ConfigCache {
  read(): CachedConfig | undefined;
  write(loaded: CachedConfig): void;
}

/** The cache of `file` (as named in the project) holding `text`; undefined when this build does not cache. */
export function configCache(root: string, file: string, text: string, stamp = buildStamp()): ConfigCache | undefined {
  if (stamp === undefined || process.env.CODEX_FLOW_CONFIG_CACHE === 'off') return undefined;
  const key = hashBytes(`${VERSION}\0${stamp}\0${file}\0${text}`);
  const dir = join(root, PROJECT_CACHE_DIR);
  const path = join(dir, CONFIG_CACHE_FILE);
  return {
    read() {
      const read = readRegularFile(path, MAX_ENTRY_BYTES, { followLinks: false });
      if (!read.ok) return undefined;
      try {
        const entry = JSON.parse(read.text) as Partial<Entry>;
        if (entry.format !== ENTRY_FORMAT || entry.key !== key || !isRecord(entry.config) || !Array.isArray(entry.diagnostics))
          return undefined;
        return { config: entry.config, diagnostics: entry.diagnostics };
      } catch {
        return undefined;
      }
    },
    write(loaded) {
      if (!isPlainJson(loaded.config)) return;
      const entry: Entry = { format: ENTRY_FORMAT, key, config: loaded.config, diagnostics: loaded.diagnostics };
      const temporary = `${path}.${process.pid}.tmp`;
      try {
        if (!ownFolders(root, PROJECT_CACHE_DIR)) return;
        writeFileSync(temporary, `${JSON.stringify(entry)}\n`, { flag: 'wx', mode: 0o600 });
        renameSync(temporary, path);
      } catch {
        // A cache that cannot be written costs the next command a full load, nothing else.
        rmSync(temporary, { force: true });
      }
    },
  };
}

/**
 * Whether the cache folder `relative` can take the entry: its first folder (`.codex-flow`, made by
 * the commands that keep project state) must already be there, so a command run from a subfolder
 * leaves no folder behind; the folders below it are made. A link anywhere refuses (false): a write
 * never lands outside the project.
 */
function ownFolders(root: string, relative: string): boolean {
  let folder = root;
  for (const [index, part] of relative.split('/').entries()) {
    folder = join(folder, part);
    try {
      if (!lstatSync(folder).isDirectory()) return false;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || index === 0) return false;
      mkdirSync(folder);
    }
  }
  return true;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Whether JSON gives `value` back as it is: strings, finite numbers, booleans, null, arrays and plain objects. */
function isPlainJson(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isPlainJson);
  if (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.values(value as Record<string, unknown>).every(isPlainJson);
}
