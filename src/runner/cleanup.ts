/**
 * `codex-flow cleanup`: prunes run records under `.runs/`, truncates the JSONL logs, compacts the
 * file memory store, and reports what it removed.
 *
 * Runs: a run is removed when it is not among the `keep` newest and (when `olderThanMs` is given)
 * is older than that; with neither option, runs older than DEFAULT_MAX_AGE_MS go. A run without a
 * result.json whose events moved in the last RUNNING_GRACE_MS is in progress and never touched.
 * Logs: lines whose `at` is older than the cut-off are dropped, the file rewritten atomically
 * (lines without a readable `at` are kept: cleanup never guesses).
 *
 * @example
 * const report = await cleanup(root, options, { olderThanMs: 7 * 86_400_000, keep: 20 });
 */
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { FileMemoryStore } from './memory/file-store.js';
import { parseDuration } from './memory/policy.js';
import type { RunnerOptions } from './options.js';
import { EVENTS_FILE, RESULT_FILE } from './run-record.js';
import { writeFileAtomicAsync } from '../util/atomic-write.js';

/** Without options, a week of runs stays: enough to look back at last week's CI failures. */
export const DEFAULT_MAX_AGE_MS = 7 * 86_400_000;
/** A run without a result that wrote an event this recently may still be going. */
export const RUNNING_GRACE_MS = 60 * 60_000;
/** Where file log channels usually point (the compiler's default channel). */
export const LOGS_DIR = '.codex-flow/logs';

export interface CleanupOptions {
  olderThanMs?: number;
  keep?: number;
  now?: number;
  /** Extra log files (e.g. file: channels of the fleet outside LOGS_DIR), relative to the root. */
  logFiles?: string[];
}

export interface CleanupReport {
  runs: { removed: string[]; kept: number; in_progress: string[] };
  logs: Array<{ file: string; lines_removed: number; lines_kept: number }>;
  memory_lines_compacted: number;
}

/** `7d`, `12h`, `30m` → milliseconds; undefined when it is not a duration. */
export const parseAge = parseDuration;

export async function cleanup(root: string, options: RunnerOptions, request: CleanupOptions = {}): Promise<CleanupReport> {
  const now = request.now ?? Date.now();
  const maxAge = request.olderThanMs ?? (request.keep === undefined ? DEFAULT_MAX_AGE_MS : undefined);
  const abs = (path: string) => (isAbsolute(path) ? path : join(root, path));
  const runs = await pruneRuns(abs(options.runsDir), now, maxAge, request.keep);
  const cutoff = now - (maxAge ?? DEFAULT_MAX_AGE_MS);
  const logFiles = new Set<string>([...(await jsonlFiles(abs(LOGS_DIR))), ...(request.logFiles ?? []).map(abs)]);
  const logs: CleanupReport['logs'] = [];
  for (const file of [...logFiles].sort()) {
    const truncated = await truncateLog(file, cutoff);
    if (truncated) logs.push({ file: relative(root, file).split('\\').join('/'), ...truncated });
  }
  const memory_lines_compacted = options.memory.redisUrl ? 0 : await new FileMemoryStore(abs(options.memory.dir)).compact();
  return { runs, logs, memory_lines_compacted };
}

/** A run's folder is finished once its result.json is written; a swarm's (src/swarm) once its report.json is. */
const FINISHED_FILES = [RESULT_FILE, 'report.json'] as const;

async function finishedAt(folder: string): Promise<number | undefined> {
  for (const file of FINISHED_FILES) {
    const at = await mtime(join(folder, file));
    if (at !== undefined) return at;
  }
  return undefined;
}

async function pruneRuns(dir: string, now: number, maxAge: number | undefined, keep: number | undefined): Promise<CleanupReport['runs']> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  } catch {
    return { removed: [], kept: 0, in_progress: [] };
  }
  const runs = await Promise.all(
    names.map(async (name) => {
      const finished = await finishedAt(join(dir, name));
      const touched = finished ?? (await mtime(join(dir, name, EVENTS_FILE))) ?? (await mtime(join(dir, name))) ?? 0;
      return { name, at: touched, running: finished === undefined && now - touched < RUNNING_GRACE_MS };
    }),
  );
  runs.sort((a, b) => b.at - a.at || (a.name < b.name ? 1 : -1));
  const removed: string[] = [];
  const inProgress: string[] = [];
  for (const [rank, run] of runs.entries()) {
    if (run.running) {
      inProgress.push(run.name);
      continue;
    }
    if (keep !== undefined && rank < keep) continue;
    if (maxAge !== undefined && now - run.at <= maxAge) continue;
    await rm(join(dir, run.name), { recursive: true, force: true });
    removed.push(run.name);
  }
  return { removed: removed.sort(), kept: runs.length - removed.length, in_progress: inProgress };
}

async function truncateLog(file: string, cutoff: number): Promise<{ lines_removed: number; lines_kept: number } | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  const kept: string[] = [];
  let removed = 0;
  for (const line of text.split('\n')) {
    if (!line) continue;
    let at: number | undefined;
    try {
      at = Date.parse((JSON.parse(line) as { at?: string }).at ?? '');
    } catch {
      at = undefined;
    }
    if (at !== undefined && Number.isFinite(at) && at < cutoff) removed++;
    else kept.push(line);
  }
  if (removed > 0) {
    await writeFileAtomicAsync(file, kept.map((line) => `${line}\n`).join(''));
  }
  return { lines_removed: removed, lines_kept: kept.length };
}

async function jsonlFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((name) => name.endsWith('.jsonl')).map((name) => join(dir, name));
  } catch {
    return [];
  }
}

async function mtime(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}
