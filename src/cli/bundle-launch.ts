/**
 * Starting the CLI from its one-file bundle (`dist/codex-flow.cjs`, written by
 * `scripts/bundle-cli.mjs` during `npm run build`) through a V8 code cache.
 *
 * Why: most of a short command's own start-up was Node finding, reading and compiling ~150 ES
 * modules (`codex-flow route` on a 1,000-agent fleet: about a third of its CPU time). The bundle
 * removes the module resolution; the code cache removes the compiling: the bytecode of every
 * function the command ran is kept from the first run (`script.createCachedData()` after the
 * command, so lazily compiled functions are in it) and handed back to V8 on the next. Node 22 has
 * this built in (`module.enableCompileCache`); codex-flow supports Node 20.
 *
 * One cache file per bundle hash, command, Node version and architecture, in a folder only the
 * user can write (`CODEX_FLOW_COMPILE_CACHE=<dir>` moves it, `=off` turns it off). V8 checks a
 * cache against its own version and flags and rejects a mismatch, but not against the source text
 * beyond its length, so the bundle's content hash and modification time are in the file name. A cache that cannot be
 * read, is rejected or cannot be written only costs the compile it would have saved: the command
 * runs the same either way.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script, constants } from 'node:vm';
import { pruneOldest } from '../util/prune-files.js';

/** The first line of a bundle: `// codex-flow bundle sha256:<hex of the rest>`. */
export const BUNDLE_HEADER = '// codex-flow bundle sha256:';

/**
 * Code caches kept in the folder: each build of the bundle and each command leave one (~1 MB);
 * installs of several versions may share the folder, so the newest are kept, not only ours.
 */
const MAX_CACHE_FILES = 32;

/** The environment variable naming the cache folder, or `off`. */
export const COMPILE_CACHE_ENV = 'CODEX_FLOW_COMPILE_CACHE';

type Main = (argv: string[]) => Promise<number>;

export interface BundleLaunch {
  /** The bundle's `main` (the same function as dist/cli/main.js exports). */
  main: Main;
  /** Whether V8 took the cached code (false on a first run or after a rejected cache). */
  cacheUsed: boolean;
  /** Writes the code cache when there was none or it was rejected; call after the command ran. */
  saveCache(): void;
}

/**
 * The folder for code caches: `$CODEX_FLOW_COMPILE_CACHE`, or a per-user folder in the system
 * temporary folder (as Node's own compile cache does); undefined when turned off.
 */
export function compileCacheDir(env: Record<string, string | undefined>): string | undefined {
  const configured = env[COMPILE_CACHE_ENV];
  if (configured === 'off' || configured === '0') return undefined;
  if (configured) return configured;
  return join(tmpdir(), `codex-flow-compile-cache-${process.getuid?.() ?? 'user'}`);
}

/**
 * Loads the bundle at `bundlePath` with the code cache for `command` from `cacheDir`, or returns
 * undefined when there is no bundle (a checkout that ran `tsc` only) or it lacks its header.
 */
export function loadBundle(bundlePath: string, command: string, cacheDir: string | undefined): BundleLaunch | undefined {
  let source: string;
  try {
    source = readFileSync(bundlePath, 'utf8');
  } catch {
    return undefined;
  }
  const hash = bundleHash(source);
  if (!hash) return undefined;
  const cacheFile = cacheDir === undefined ? undefined : join(cacheDir, `${hash.slice(0, 24)}-${modifiedAt(bundlePath)}-${commandKey(command)}-${process.version}-${process.arch}.v8`);
  const cachedData = cacheFile === undefined ? undefined : readOwnFile(cacheFile);
  const script = new Script(wrapCommonJs(source), {
    filename: bundlePath,
    ...(cachedData ? { cachedData } : {}),
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const module = { exports: {} as { main?: Main } };
  const run = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
  run.call(module.exports, module.exports, createRequire(bundlePath), module, bundlePath, dirname(bundlePath));
  const { main } = module.exports;
  if (typeof main !== 'function') return undefined;
  const cacheUsed = cachedData !== undefined && !script.cachedDataRejected;
  return {
    main,
    cacheUsed,
    saveCache() {
      if (cacheFile === undefined || cacheUsed) return;
      try {
        writeOwnFile(cacheFile, script.createCachedData());
        pruneOldest(dirname(cacheFile), MAX_CACHE_FILES, (name) => name.endsWith('.v8'));
      } catch {
        // A read-only or foreign folder: the next run compiles again, nothing else changes.
      }
    },
  };
}

/** The hash a bundle's header names (of the rest of the file, as the build wrote it). */
export function bundleHash(source: string): string | undefined {
  if (!source.startsWith(BUNDLE_HEADER)) return undefined;
  const end = source.indexOf('\n');
  const hash = source.slice(BUNDLE_HEADER.length, end);
  return /^[0-9a-f]{64}$/.test(hash) ? hash : undefined;
}

/**
 * The bundle's modification time: with the header's hash in the cache name, a bundle edited by
 * hand (same header, same length) still gets a cache of its own. Hashing 4 MB at every start
 * would cost more than the cache saves.
 */
function modifiedAt(path: string): string {
  return Math.trunc(statSync(path).mtimeMs).toString(36);
}

/** A command name safe in a file name; anything else (help, typos) shares one cache. */
function commandKey(command: string): string {
  return /^[a-z][a-z-]{0,31}$/.test(command) ? command : 'other';
}

/** Node's CommonJS wrapper, so the bundle sees `require`, `module`, `__filename` as a .cjs file does. */
function wrapCommonJs(source: string): string {
  return `(function (exports, require, module, __filename, __dirname) { ${source}\n})`;
}

/**
 * A cache file's bytes, only from a folder owned by this user: another user's folder in a shared
 * temporary folder could hand V8 code to run.
 */
function readOwnFile(path: string): Buffer | undefined {
  try {
    if (!ownedByMe(dirname(path))) return undefined;
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

function writeOwnFile(path: string, bytes: Uint8Array): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!ownedByMe(dir)) return;
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, bytes, { mode: 0o600 });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

function ownedByMe(dir: string): boolean {
  const uid = process.getuid?.();
  if (uid === undefined) return true;
  const stats = statSync(dir);
  return stats.uid === uid && (stats.mode & 0o022) === 0;
}
