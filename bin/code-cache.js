// Loads a bundle through a V8 code cache on a Node without its own (`module.enableCompileCache`,
// Node ≥ 22.1): the bytecode of every function the command ran last time, kept after the command
// (`script.createCachedData()` then holds the lazily compiled functions too) and handed back to
// V8 on the next start, which then neither parses nor compiles them. Figures in docs/routing.md.
//
// Only a bundle whose first line is the build's content hash (scripts/bundle-cli.ts) comes here,
// and the build leaves no dynamic `import()` in it: code restored from a cache loses its import
// callback (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING), so such a bundle could not load a package.
// V8 checks a cache against the source's length only: the file name carries the content hash,
// Node's version and the architecture. The cache lives in a folder only this user can write
// (CODEX_FLOW_COMPILE_CACHE=<dir> moves it, =off turns it off), which is the folder itself, not a
// symlink (one could be pointed elsewhere between the check and the read); a cache file is opened
// without following links and checked on its descriptor, so the bytes read are those checked. Node's
// own compile cache (Node ≥ 22.1) is kept in the same folder (ownCacheDir). A cache that cannot be
// read, is rejected or cannot be written costs the compile it would have saved, nothing else.
'use strict';
const {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} = require('node:fs');
const { createRequire, wrap } = require('node:module');
const { tmpdir } = require('node:os');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

const BUNDLE_HEADER = '// codex-flow bundle sha256:';
/** Cache files kept: one per build of the bundle and Node version; older ones are removed. */
const MAX_CACHE_FILES = 8;

function cacheDir(env) {
  const configured = env.CODEX_FLOW_COMPILE_CACHE;
  if (configured === 'off' || configured === '0') return undefined;
  if (configured) return configured;
  const uid = process.getuid?.();
  return uid === undefined ? undefined : join(tmpdir(), `codex-flow-compile-cache-${uid}`);
}

/**
 * The bundle's exports, run through the code cache when it carries the build's hash; undefined
 * when it does not (the caller then `require`s it). `save()` writes the cache when there was none
 * or V8 rejected it: call it once the command ran.
 */
function loadWithCodeCache(file, env = process.env) {
  const source = readFileSync(file, 'utf8');
  const hash = source.startsWith(BUNDLE_HEADER) ? source.slice(BUNDLE_HEADER.length, source.indexOf('\n')) : '';
  if (!/^[0-9a-f]{64}$/.test(hash)) return undefined;
  const dir = cacheDir(env);
  // V8 restores a cached script's file name from the cache, not from the Script: one cache file per
  // installed path, or an internal error's stack would name the install that wrote the cache.
  const place = require('node:crypto').createHash('sha256').update(file).digest('hex').slice(0, 12);
  const cacheFile = dir && join(dir, `${hash.slice(0, 32)}-${place}-${process.version}-${process.arch}.v8`);
  const cachedData = cacheFile && readOwnFile(cacheFile);
  // Node's CommonJS wrapper on the first line: line numbers in stacks stay the bundle's.
  const script = new Script(wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {}, filename: file, id: file, loaded: false };
  script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  module.loaded = true;
  const cacheUsed = cachedData !== undefined && !script.cachedDataRejected;
  // A used cache is the newest: pruning (oldest first, MAX_CACHE_FILES) keeps the installs in use.
  if (cacheUsed) touch(cacheFile);
  return {
    exports: module.exports,
    cacheUsed,
    save() {
      if (!cacheFile || cacheUsed) return;
      try {
        writeOwnFile(cacheFile, script.createCachedData());
        pruneOldest(dirname(cacheFile));
      } catch {
        // A read-only or foreign folder: the next start compiles again.
      }
    },
  };
}

/**
 * A cache file's bytes, only from a folder this user owns that nobody else can write to, and only
 * a regular file of this user's: another user's file would be code we run.
 */
function readOwnFile(path) {
  let fd;
  try {
    if (!ownedByMe(dirname(path))) return undefined;
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    const stats = fstatSync(fd);
    if (!stats.isFile() || stats.uid !== process.getuid?.() || (stats.mode & 0o022) !== 0) return undefined;
    return readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The per-user cache folder, created private when missing; undefined when the cache is off or the
 * folder is not this user's own (a symlink, another owner, writable by others). Node's compile
 * cache goes here too: its default folder under the system temp folder is shared by every user.
 */
function ownCacheDir(env = process.env) {
  const dir = cacheDir(env);
  if (!dir) return undefined;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return ownedByMe(dir) ? dir : undefined;
  } catch {
    return undefined;
  }
}

function writeOwnFile(path, bytes) {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!ownedByMe(dir)) return;
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    rmSync(temporary, { force: true });
    writeFileSync(temporary, bytes, { mode: 0o600, flag: 'wx' });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** The folder itself (lstat: a symlink is refused, whatever it points to) is this user's and only theirs to write. */
function ownedByMe(dir) {
  const stats = lstatSync(dir);
  return stats.isDirectory() && stats.uid === process.getuid?.() && (stats.mode & 0o022) === 0;
}

function touch(path) {
  try {
    const now = new Date();
    utimesSync(path, now, now);
  } catch {
    // Only the pruning order is at stake.
  }
}

function pruneOldest(dir) {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.v8'))
    .map((name) => ({ name, mtime: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime || (a.name < b.name ? -1 : 1));
  for (const file of files.slice(MAX_CACHE_FILES)) rmSync(join(dir, file.name), { force: true });
}

module.exports = { loadWithCodeCache, ownCacheDir, BUNDLE_HEADER };
