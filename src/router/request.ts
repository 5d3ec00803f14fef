/**
 * A request as the stages read it: the task cut to MAX_TASK_CHARS, paths normalized and capped
 * (each cut reported as a diagnostic), and the stable id of a routing decision.
 */
import { createHash } from 'node:crypto';
import { MAX_PATH_CHARS, MAX_PATHS, MAX_TASK_CHARS } from './limits.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { RouteRequest } from './types.js';

/** The task as matched: at most MAX_TASK_CHARS characters (CF6001 when cut). */
export function capTask(task: string, diagnostics: Diagnostic[]): string {
  if (task.length <= MAX_TASK_CHARS) return task;
  diagnostics.push(
    diagnostic('CF6001', `task is ${task.length} characters; only the first ${MAX_TASK_CHARS} (MAX_TASK_CHARS) are matched`),
  );
  return task.slice(0, MAX_TASK_CHARS);
}

/** Normalized, non-empty paths, at most MAX_PATHS of at most MAX_PATH_CHARS (CF6002 when cut). */
export function capPaths(files: readonly string[], diagnostics: Diagnostic[]): string[] {
  const paths: string[] = [];
  for (const file of files) {
    if (file.length > MAX_PATH_CHARS) continue;
    const path = normalizePath(file);
    if (path.length > 0) paths.push(path);
  }
  if (paths.length > MAX_PATHS || paths.length < files.length) {
    diagnostics.push(
      diagnostic(
        'CF6002',
        `${files.length} paths given; ${Math.min(paths.length, MAX_PATHS)} routed (MAX_PATHS ${MAX_PATHS}, MAX_PATH_CHARS ${MAX_PATH_CHARS}, empty paths skipped)`,
      ),
    );
  }
  return paths.length > MAX_PATHS ? paths.slice(0, MAX_PATHS) : paths;
}

/** Forward slashes, no leading `./`, no trailing `/`: the form globs are written against. */
export function normalizePath(path: string): string {
  let out = path.includes('\\') ? path.replace(/\\/g, '/') : path;
  while (out.startsWith('./')) out = out.slice(2);
  while (out.endsWith('/')) out = out.slice(0, -1);
  return out.trim() === out ? out : out.trim();
}

/**
 * A stable name for one routing decision: the fleet's hash, the inputs and `idSalt` (when given),
 * hashed. Learning records outcomes against it; CI gets the same id on every run.
 */
export function routeId(fleetHash: string, request: RouteRequest): string {
  const parts: unknown[] = [fleetHash, request.task ?? '', [...(request.files ?? [])].map(normalizePath).sort()];
  if (request.idSalt !== undefined) parts.push(request.idSalt);
  const input = JSON.stringify(parts);
  return `route:${createHash('sha256').update(input).digest('hex').slice(0, 16)}`;
}

/** A reward clamped to [0, 1]; NaN and infinities count as 0. */
export function clamp01(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}

/**
 * The text the semantic stage reads: the task, then the changed paths (their folder and file names
 * are words too: "deploy/helm/…/hpa.yaml", "db/migrations/…").
 */
export function semanticQuery(task: string, paths: readonly string[]): string {
  return paths.length === 0 ? task : `${task}\n${paths.join('\n')}`;
}
