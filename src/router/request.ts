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
 * Folder names that say what kind of work a path is (common repository layouts): the only folder
 * words of a path the semantic stage reads. Any other folder ("app", "src", "billing") is a
 * project's own name and means different things in different repositories.
 */
const KNOWN_FOLDERS = new Set(
  (
    'docs doc test tests spec specs __tests__ e2e cypress migrations migration db sql schema graphql proto protos ' +
    'helm charts templates overlays kustomize terraform modules envs live infra k8s kubernetes deploy deployment argocd ' +
    'workflows .github .circleci ansible playbooks roles dags airflow dbt notebooks pipelines mlflow kubeflow models ' +
    'ios android mobile styles css components pages hooks firmware drivers contracts locales i18n bench benchmarks ' +
    'scripts docker observability alerts dashboards slo grafana prometheus policies security auth openapi gateway ' +
    'subgraphs crates wp-content themes plugins blocks migrations-sql seeds fixtures e2e-tests storybook'
  ).split(' '),
);

/**
 * File names that are a tool's own (the tool is the work: "Dockerfile", "Cargo.toml",
 * "terragrunt.hcl", "README.md"): their stem is a word of the query. Any other stem is not.
 */
const KNOWN_FILES = new Set(
  (
    'dockerfile containerfile .dockerignore docker-compose compose makefile cmakelists jenkinsfile vagrantfile procfile ' +
    'gemfile rakefile podfile cargo go pyproject setup requirements pipfile poetry conftest tox package package-lock ' +
    'pnpm-lock pnpm-workspace yarn tsconfig jsconfig babel .babelrc .eslintrc .prettierrc nx turbo lerna workspace ' +
    'build .bazelrc terragrunt root chart values kustomization deployment hpa pdb ingress service cronjob serviceaccount ' +
    'readme changelog contributing license design security codeowners openapi swagger schema supergraph mlproject ' +
    'dvc eas app.config manifest androidmanifest info podfile.lock gradle build.gradle pom settings.gradle'
  ).split(' '),
);

/**
 * The words of a changed path the semantic stage may compare: its known folder names, a known
 * tool file's name (KNOWN_FILES, or the tool of "playwright.config.ts") and the extension
 * ("deploy/helm/api/values.yaml" → "deploy helm values yaml"). Any other file name is never a word:
 * "main.tf" or "user.rb" says nothing about the work, and "main" or "user" would match any brief
 * that uses the word; the files stage matches whole paths by glob.
 */
export function pathWords(path: string): string {
  const segments = path.toLowerCase().split('/');
  const file = segments.pop() ?? '';
  const words = segments.filter((segment) => KNOWN_FOLDERS.has(segment));
  const dot = file.lastIndexOf('.');
  const stem = dot > 0 ? file.slice(0, dot) : file;
  const base = stem.replace(/[._-](prod|production|staging|dev|local|test|base)$/, '');
  if (KNOWN_FILES.has(file) || KNOWN_FILES.has(stem) || KNOWN_FILES.has(base)) words.push(base);
  else if (stem.endsWith('.config')) words.push(stem.slice(0, -'.config'.length));
  if (dot > 0 && dot < file.length - 1) words.push(file.slice(dot + 1));
  return words.join(' ');
}

/** The text the semantic stage reads: the task, then the changed paths' words (pathWords). */
export function semanticQuery(task: string, paths: readonly string[]): string {
  if (paths.length === 0) return task;
  const words = paths.map(pathWords).filter((w) => w.length > 0);
  return words.length === 0 ? task : `${task}\n${words.join('\n')}`;
}
