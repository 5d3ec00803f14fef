/**
 * A command started in a subfolder works on the project above it (config/project-root.ts): the
 * command sees the project root as `io.cwd`, so the config, the fleet, `.codex-flow/` and `.runs/`
 * are the project's, while the paths the user typed (`--config`, `--fleet`, `--out`, `--src`,
 * `--tasks`, `--files`, `--route-files`, swarm's `--plan` and `--plan-only`, eval's file) are read from where they were typed.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { findProjectRoot } from '../config/project-root.js';
import type { CommandIO } from './io.js';

const PATH_OPTIONS = ['config', 'fleet', 'out', 'src', 'tasks', 'plan', 'planOnly'] as const;
const PATH_LIST_OPTIONS = ['files', 'routeFiles'] as const;

/** `io` moved to the project's root, remembering where the command was typed. */
export function projectIO(io: CommandIO): CommandIO {
  const root = findProjectRoot(io.cwd);
  return root === io.cwd ? io : { ...io, cwd: root, invocationDir: io.cwd };
}

/**
 * The path a user typed in `from`, as a command working in `root` reads it: relative to the root
 * (brief and changed-file paths are compared root-relative) when inside it, absolute otherwise.
 * `-` (stdin) and absolute paths stay as typed.
 *
 * @example typedPath('src/a.ts', '/repo/packages/app', '/repo') // 'packages/app/src/a.ts'
 */
export function typedPath(path: string, from: string, root: string): string {
  if (path === '-' || isAbsolute(path)) return path;
  const absolute = resolve(from, path);
  const inRoot = relative(root, absolute);
  if (inRoot === '') return '.';
  const outside = inRoot === '..' || inRoot.startsWith(`..${sep}`) || isAbsolute(inRoot);
  return outside ? absolute : inRoot.split(sep).join('/');
}

/** Rewrites the typed path options of the command about to run (a commander preAction hook). */
export function rebaseTypedPaths(command: Command, io: CommandIO): void {
  const from = io.invocationDir;
  if (from === undefined) return;
  for (const name of PATH_OPTIONS) {
    const value: unknown = command.getOptionValue(name);
    if (typeof value === 'string') command.setOptionValue(name, typedPath(value, from, io.cwd));
  }
  for (const name of PATH_LIST_OPTIONS) {
    const value: unknown = command.getOptionValue(name);
    if (!Array.isArray(value)) continue;
    // A word with whitespace that is no file is a misplaced task (route reports it): left as typed.
    const rebased = value.map((path: string) =>
      /\s/.test(path) && !existsSync(resolve(from, path)) ? path : typedPath(path, from, io.cwd),
    );
    command.setOptionValue(name, rebased);
  }
}
