/**
 * publish: writing a compiled fleet so that readers never see a mix of two fleets.
 *
 * Naive approach: overwrite files in place — a crash halfway leaves new definitions beside an old
 * index, and outputs of deleted briefs linger forever.
 * What this does: writes the whole fleet into a hidden sibling folder, then swaps folders with
 * two renames (out → .out.old-*, tmp → out) and deletes the old one. A kill between the renames
 * leaves no `out` but a complete `.out.old-*`. Readers take that folder as it is
 * (fleet/complete-fleet.ts) and never change anything; only a writer holding the lock recovers
 * (renames the old folder back, deletes folders of dead publishes), because only it knows that no
 * publish is running. So at every instant the last complete fleet is either the old one or the
 * new one. Files of deleted briefs vanish with the old folder.
 * The lock file also keeps two concurrent publishes from interleaving their renames.
 * Not done: fsync. Renames are atomic against a killed process, which is the failure that
 * matters in CI; surviving power loss would need an fsync per file and cost seconds per fleet.
 */
import { lstat, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { completeFleetDir, fleetSiblings as siblings, OLD_MARK, TMP_MARK } from '../fleet/complete-fleet.js';
import { MAX_FLEET_FILE_BYTES } from '../fleet/load.js';
import { lockWithin } from '../util/file-lock.js';
import { readRegularBytes } from '../util/read-regular-file.js';
import { FILE_CONCURRENCY, mapLimit } from '../util/map-limit.js';
import { sameContent, type OutputFiles } from './emit.js';

/**
 * Restores or cleans up after a publish that was killed midway. Takes the publish lock, so it never
 * touches the folders of a publish that is running.
 *
 * @example await recoverInterruptedPublish('/repo/codex/agents')
 */
export async function recoverInterruptedPublish(outDir: string): Promise<void> {
  if (
    !(await stat(dirname(outDir)).then(
      (s) => s.isDirectory(),
      () => false,
    ))
  )
    return;
  const release = await acquireLock(siblings(outDir).lock);
  try {
    await recoverHoldingLock(outDir);
  } finally {
    await release();
  }
}

/** The recovery itself; the caller holds the lock, so every temp or old folder is a dead publish's. */
async function recoverHoldingLock(outDir: string): Promise<void> {
  const { parent, prefix } = siblings(outDir);
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return;
  }
  const olds = names.filter((name) => name.startsWith(prefix + OLD_MARK)).sort();
  const temps = names.filter((name) => name.startsWith(prefix + TMP_MARK));
  const outExists = await stat(outDir).then(
    () => true,
    () => false,
  );
  if (!outExists && olds.length > 0) await rename(join(parent, olds.pop()!), outDir);
  await Promise.all([...olds, ...temps].map((name) => rm(join(parent, name), { recursive: true, force: true })));
}

/** Takes the publish lock (util/file-lock.ts), waiting a bounded time for a running publish or a dead one's stale lock. */
async function acquireLock(lock: string): Promise<() => Promise<void>> {
  const held = await lockWithin(lock);
  return async () => held.release();
}

/** Output files read as bytes, not text: the routing image (src/fleet/routing-image.ts). */
const BINARY_SUFFIX = '.bin';
/** A publish may swap the folder while a reader walks it; three swaps during one read means something else is wrong. */
const FOLDER_ATTEMPTS = 3;

/**
 * One output file, following no link and never waiting on a FIFO: anything but a regular file is
 * skipped (not part of a fleet we wrote); a file that vanished throws ENOENT so the caller reads again.
 */
async function readRegular(path: string): Promise<string | Buffer | undefined> {
  const read = await readRegularBytes(path, MAX_FLEET_FILE_BYTES, { followLinks: false });
  if (read.ok) return path.endsWith(BINARY_SUFFIX) ? read.bytes : read.bytes.toString('utf8');
  if (read.reason === 'not-regular') return undefined;
  throw Object.assign(new Error(`${path}: ${read.problem}`), read.code === undefined ? {} : { code: read.code });
}

/**
 * Reads every regular file under `dir` as a map relative path → content, sorted, following no
 * link (a missing dir → empty map). Throws ENOENT when a folder or file vanishes midway.
 */
export async function readTree(dir: string): Promise<OutputFiles> {
  const paths: string[] = [];
  const pending = [''];
  while (pending.length > 0) {
    const folder = pending.pop()!;
    let entries;
    try {
      entries = await readdir(join(dir, folder), { withFileTypes: true });
    } catch (error) {
      if (folder === '' && (error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw error;
    }
    for (const entry of entries) {
      const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
      if (entry.isDirectory()) pending.push(path);
      else if (entry.isFile()) paths.push(path);
    }
  }
  const contents = await mapLimit(paths.sort(), FILE_CONCURRENCY, (path) => readRegular(join(dir, path)));
  const files: OutputFiles = new Map();
  paths.forEach((path, index) => {
    if (contents[index] !== undefined) files.set(path, contents[index]);
  });
  return files;
}

async function identity(path: string): Promise<string | undefined> {
  return lstat(path).then(
    (info) => `${info.dev}:${info.ino}`,
    () => undefined,
  );
}

/**
 * The files of the last complete fleet of `outDir`, for readers (validate, convert --check). A
 * publish may rename the folder while it is read, which would give a vanished file or a mix of
 * two fleets: the read counts only when the folder kept its identity (device and inode) from start
 * to end, else it is done again. Reads only: never recovers or deletes.
 *
 * @example const files = await readCompleteFleet('/repo/codex/agents')
 */
export async function readCompleteFleet(outDir: string): Promise<OutputFiles> {
  let files: OutputFiles = new Map();
  for (let attempt = 1; attempt <= FOLDER_ATTEMPTS; attempt++) {
    const source = completeFleetDir(outDir);
    const before = await identity(source);
    try {
      files = await readTree(source);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code === 'ENOENT' || code === 'ENOTDIR') && attempt < FOLDER_ATTEMPTS) continue;
      throw error;
    }
    const after = completeFleetDir(outDir) === source ? await identity(source) : 'moved';
    if (before === after) return files;
  }
  return files;
}

export interface FleetDiff {
  stale: string[];
  missing: string[];
  extra: string[];
}

/** What differs between the computed output and a folder's content. */
export function diffTrees(expected: OutputFiles, actual: OutputFiles): FleetDiff {
  const stale: string[] = [];
  const missing: string[] = [];
  for (const [path, content] of expected) {
    const current = actual.get(path);
    if (current === undefined) missing.push(path);
    else if (!sameContent(current, content)) stale.push(path);
  }
  const extra = [...actual.keys()].filter((path) => !expected.has(path));
  return { stale: stale.sort(), missing: missing.sort(), extra: extra.sort() };
}

export interface PublishHooks {
  /** Awaited between steps; tests throw from it to simulate a crash there, or pause in it to race readers. */
  step?: (name: 'written' | 'moved-old' | 'moved-new') => void | Promise<void>;
}

/**
 * Replaces the fleet in `outDir` with `files`, atomically. Returns false when nothing changed.
 *
 * @example await publishFleet('/repo/codex/agents', files)
 */
export async function publishFleet(outDir: string, files: OutputFiles, hooks: PublishHooks = {}): Promise<boolean> {
  const { parent, prefix, lock } = siblings(outDir);
  const release = await acquireLock(lock);
  try {
    await recoverHoldingLock(outDir);
    const diff = diffTrees(files, await readTree(outDir));
    if (diff.stale.length + diff.missing.length + diff.extra.length === 0) return false;
    const stamp = `${Date.now().toString(36).padStart(10, '0')}-${process.pid}`;
    const temp = join(parent, `${prefix}${TMP_MARK}${stamp}`);
    const folders = new Set([...files.keys()].map((path) => dirname(join(temp, path))));
    for (const folder of [...folders].sort()) await mkdir(folder, { recursive: true });
    await mapLimit([...files], FILE_CONCURRENCY, ([path, content]) => writeFile(join(temp, path), content));
    await hooks.step?.('written');
    const old = join(parent, `${prefix}${OLD_MARK}${stamp}`);
    const hadOld = await stat(outDir).then(
      () => true,
      () => false,
    );
    if (hadOld) await rename(outDir, old);
    await hooks.step?.('moved-old');
    await rename(temp, outDir);
    await hooks.step?.('moved-new');
    if (hadOld) await rm(old, { recursive: true, force: true });
    return true;
  } finally {
    await release();
  }
}
