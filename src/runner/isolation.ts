/**
 * How one agent's commands (Bash, hooks) are isolated, decided once per run: the sandbox policy
 * (workspace writable, control paths read-only, network per agent) when bubblewrap works here,
 * and the process cap. The control paths are the ones through which a command could change what
 * the next run does: version control (hooks, `core.fsmonitor`), Claude Code settings and hooks,
 * the config (`runner.workspace`), learning and memory state, run records, the compiled fleet.
 *
 * @example
 * const isolation = runIsolation({ root, workspace, options, fleetDir });
 * isolation.forAgent('code-reviewer').sandbox?.policy.network; // false unless runner.sandbox.network names it
 */
import { mkdirSync, realpathSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { nestedControlFolders } from './nested-control.js';
import type { RunnerOptions } from './options.js';
import type { ShellOptions } from './process.js';
import { sandboxSupport, type SandboxSupport } from './sandbox.js';
import { PROTECTED_NAMES, protectedEntries, runnerStateFolders } from './tools/protected.js';
import { isGlobPattern } from '../util/glob-compile.js';

export interface ShellIsolation extends Pick<ShellOptions, 'sandbox' | 'maxProcesses'> {
  /** Why commands of this run are not sandboxed (undefined when they are). */
  unsandboxed?: string;
}

export interface RunIsolation {
  support: SandboxSupport;
  /** Configured protected globs a mount cannot cover: file tools refuse them, commands can write them (CF8050). */
  uncoveredGlobs: string[];
  forAgent(agent: string): ShellIsolation;
}

export interface IsolationInput {
  root: string;
  /** Real path of the workspace. */
  workspace: string;
  options: RunnerOptions;
  /** The compiled fleet folder. */
  fleetDir?: string;
  /** The config file `--config` named, when it is not one of the default names. */
  configFile?: string;
}

/**
 * Absolute control paths of a project, in a stable order: the file tools' protected list
 * (tools/protected.ts, so both layers guard the same files) with `.git` and `.claude` at the root
 * and where a bounded walk of the workspace finds them nested (a mount cannot follow names made
 * later), minus configured globs, plus runner.sandbox.protected_paths.
 */
export function controlPaths(input: IsolationInput): string[] {
  const root = realOr(input.root);
  const absolute = (path: string) => (isAbsolute(path) ? path : join(root, path));
  const { options } = input;
  const configured = [...options.tools.protected, ...options.sandbox.protectedPaths].filter((entry) => !isGlobPattern(entry));
  const folders = {
    runsDir: options.runsDir,
    fleetDir: input.fleetDir ?? '',
    memoryDir: options.memory.dir,
    ...(input.configFile ? { configFile: input.configFile } : {}),
  };
  const entries = [...PROTECTED_NAMES, ...protectedEntries(folders, configured)];
  const nested = nestedControlFolders(input.workspace, PROTECTED_NAMES);
  return [...new Set([...entries.map((entry) => absolute(entry.replace(/\/+$/, ''))), ...nested])];
}

function realOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function runnerOwned(input: IsolationInput): string[] {
  const absolute = (path: string) => (isAbsolute(path) ? path : join(input.root, path));
  return runnerStateFolders({ runsDir: input.options.runsDir, memoryDir: input.options.memory.dir }).map(absolute);
}

/** The run's isolation; probes the sandbox (once per process) unless runner.sandbox.enabled is false. */
export function runIsolation(input: IsolationInput): RunIsolation {
  const { sandbox } = input.options;
  const support: SandboxSupport = sandbox.enabled ? sandboxSupport() : { kind: 'none', reason: 'runner.sandbox.enabled is false' };
  const protectedPaths = controlPaths(input);
  let made = false;
  // The runner writes its own state into these during the run: they must exist to be mounted
  // read-only (a missing control path is removed after a command, which would race the runner).
  // Made when the first task runs, so a dry run or a refused run leaves the project as it was.
  const makeRunnerFolders = () => {
    if (made) return;
    made = true;
    for (const path of runnerOwned(input)) {
      try {
        mkdirSync(path, { recursive: true });
      } catch {
        /* read-only project: nothing can be written there */
      }
    }
  };
  const uncoveredGlobs = [...input.options.tools.protected, ...sandbox.protectedPaths].filter((entry) => isGlobPattern(entry));
  return {
    support,
    uncoveredGlobs,
    forAgent(agent) {
      const maxProcesses = sandbox.maxProcesses;
      if (support.kind === 'none') return { maxProcesses, unsandboxed: support.reason };
      makeRunnerFolders();
      const network = sandbox.network === true || (Array.isArray(sandbox.network) && sandbox.network.includes(agent));
      return {
        maxProcesses,
        sandbox: { executable: support.executable, policy: { workspace: input.workspace, protectedPaths, network, maxProcesses } },
      };
    },
  };
}
