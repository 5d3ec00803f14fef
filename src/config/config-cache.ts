/**
 * The checked config of a project, kept in this user's private cache folder and keyed by the
 * file's bytes and the running build, so that a command reading an unchanged config pays one small
 * read and a hash instead of loading the YAML parser, the schema validator and the schemas
 * (hundreds of module files, most of a command's start-up once `init` has written a config;
 * figures in docs/routing.md, "Start-up").
 *
 * Invariants:
 * - A hit gives what the full load gave for the same bytes under the same build: the config, its
 *   warnings, and (parsed again only when a subsystem asks) the positions of its keys.
 * - An entry is trusted as checked, so it lives where only this user can write: the per-user
 *   folder the launcher's code cache uses (bin/code-cache.js), never the project, which a
 *   repository could fill. The folder and the entry must be this user's, not links, and writable
 *   by nobody else; anything else is a miss.
 * - Only a bundled build caches (`dist/*.cjs`): the bundle's first line carries the hash of its
 *   content (scripts/bundle-cli.ts), which is part of the key, so another build never reads an
 *   entry this one wrote. Runs from source (tests, tsx, the ES module library) always load in
 *   full: a schema edited there changes no key.
 * - The checkers the bundle leaves outside itself (yaml, ajv, and typebox in the route bundle) are
 *   in the key by their installed versions (checker-versions.ts): the bundle's hash does not cover
 *   them, and a new version of one may accept or reject what the old one did not.
 * - Only a load without errors is kept, and only when the config is plain JSON data (YAML can say
 *   `.inf`, which JSON cannot hold). Entries are replaced by a rename; the oldest beyond
 *   MAX_ENTRIES are removed.
 */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { hashBytes } from '../util/hash.js';
import { checkerVersions } from './checker-versions.js';
import { BUNDLE_HEADER, VERSION } from '../version.js';

/** An entry is the config (at most MAX_CONFIG_BYTES of YAML) and its warnings: far below this. */
const MAX_ENTRY_BYTES = 4 * 1024 * 1024;
/** Entries kept in the folder: one per project, config file and bundle. */
const MAX_ENTRIES = 64;
/** Bumped when the entry's shape changes. */
const ENTRY_FORMAT = 2;

export interface CachedConfig {
  config: Record<string, unknown>;
  diagnostics: Diagnostic[];
}

interface Entry extends CachedConfig {
  format: number;
  key: string;
}

/** The running bundle: its file name and the content hash on its first line; undefined when this code is not a bundle. */
export function runningBuild(): { name: string; hash: string } | undefined {
  const url = import.meta.url;
  if (!url.startsWith('file:') || !url.endsWith('.cjs')) return undefined;
  let fd: number | undefined;
  try {
    const path = fileURLToPath(url);
    fd = openSync(path, constants.O_RDONLY);
    const head = Buffer.alloc(BUNDLE_HEADER.length + 64);
    const read = readSync(fd, head, 0, head.length, 0);
    const line = head.subarray(0, read).toString('latin1');
    const hash = line.startsWith(BUNDLE_HEADER) ? line.slice(BUNDLE_HEADER.length) : '';
    return /^[0-9a-f]{64}$/.test(hash) ? { name: basename(path), hash } : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** This user's private cache folder (CODEX_FLOW_COMPILE_CACHE moves it, =off turns it off), as the launcher's. */
function userCacheDir(env: Record<string, string | undefined>): string | undefined {
  const configured = env.CODEX_FLOW_COMPILE_CACHE;
  if (configured === 'off' || configured === '0') return undefined;
  if (configured) return configured;
  const uid = process.getuid?.();
  return uid === undefined ? undefined : join(tmpdir(), `codex-flow-compile-cache-${uid}`);
}

export interface ConfigCache {
  read(): CachedConfig | undefined;
  write(loaded: CachedConfig): void;
}

export interface ConfigCacheOptions {
  /** The running build; default: this bundle's (none when running from source). */
  build?: { name: string; hash: string } | undefined;
  /** Where the config's checkers are resolved from (a file path or URL); default: this module. */
  resolveFrom?: string;
  env?: Record<string, string | undefined>;
}

/** The cache of `file` (as named in the project at `root`) holding `text`; undefined when this build does not cache. */
export function configCache(root: string, file: string, text: string, options: ConfigCacheOptions = {}): ConfigCache | undefined {
  const env = options.env ?? process.env;
  const build = 'build' in options ? options.build : runningBuild();
  const base = userCacheDir(env);
  if (!build || !base || env.CODEX_FLOW_CONFIG_CACHE === 'off') return undefined;
  const checkers = checkerVersions(options.resolveFrom ?? import.meta.url);
  if (checkers === undefined) return undefined;
  let project: string;
  try {
    project = realpathSync(root);
  } catch {
    return undefined;
  }
  const dir = join(base, 'config');
  // One entry per project, config file and bundle, so `route` and the other commands keep their own.
  const path = join(dir, `${hashBytes(`${project}\0${file}\0${build.name}`).slice(7, 39)}.json`);
  const key = hashBytes(`${VERSION}\0${build.hash}\0${checkers}\0${project}\0${file}\0${text}`);
  return {
    read() {
      const bytes = readOwnFile(dir, path);
      if (bytes === undefined) return undefined;
      try {
        const entry = JSON.parse(bytes) as Partial<Entry>;
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
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        if (!ownedByMe(base) || !ownedByMe(dir)) return;
        writeFileSync(temporary, `${JSON.stringify(entry)}\n`, { flag: 'wx', mode: 0o600 });
        renameSync(temporary, path);
        pruneOldest(dir);
      } catch {
        // A cache that cannot be written costs the next command a full load, nothing else.
        rmSync(temporary, { force: true });
      }
    },
  };
}

/** The folder itself (lstat: a link is refused) is this user's and only theirs to write. */
function ownedByMe(dir: string): boolean {
  const stats = lstatSync(dir);
  return stats.isDirectory() && stats.uid === process.getuid?.() && (stats.mode & 0o022) === 0;
}

/** The entry's text, only from a folder of this user's and only a regular file of this user's nobody else can write. */
function readOwnFile(dir: string, path: string): string | undefined {
  let fd: number | undefined;
  try {
    if (!ownedByMe(dir) || !ownedByMe(join(dir, '..'))) return undefined;
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    const stats = fstatSync(fd);
    if (!stats.isFile() || stats.uid !== process.getuid?.() || (stats.mode & 0o022) !== 0 || stats.size > MAX_ENTRY_BYTES) return undefined;
    const bytes = Buffer.alloc(stats.size);
    const read = readSync(fd, bytes, 0, stats.size, 0);
    return bytes.subarray(0, read).toString('utf8');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function pruneOldest(dir: string): void {
  const entries = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => ({ name, mtime: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const old of entries.slice(MAX_ENTRIES)) rmSync(join(dir, old.name), { force: true });
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
