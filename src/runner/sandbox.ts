/**
 * The sandbox for Bash tools and hooks: bubblewrap (`bwrap`) on Linux.
 *
 * Naive approach: a list of forbidden command patterns. Shell syntax has endless spellings
 * (`rm -rf /*`, `>| /etc/passwd`, a fork bomb with one more space), so a blocklist only catches
 * accidents. What we do: the command runs in new mount, PID, IPC and UTS namespaces (and a new
 * network namespace unless the agent may use the network) where
 *   - the whole file system is mounted read-only, with a fresh `/dev`, `/proc` (this PID
 *     namespace only, so no parent's `/proc/PID/environ`), and empty `/tmp`, `/run` and `$HOME`;
 *   - the workspace is mounted writable again, and the control paths inside it (`.git`,
 *     `.claude`, the config, `.codex-flow`, `.runs`, the compiled fleet) read-only over it;
 *   - every capability is dropped (as root, bubblewrap would otherwise keep them and a command
 *     could remount `/` read-write);
 *   - its init process dies with the runner (`--die-with-parent`), and when the command's shell
 *     exits, the namespace's init exits and the kernel kills every process left in it;
 *   - the process count is capped by a pids cgroup (pids-cgroup.ts) or, as non-root, RLIMIT_NPROC.
 * How control paths are mounted (parents as mount points, links resolved) and what is checked and
 * undone after a command is control-mounts.ts. Toolchain folders of PATH under `$HOME` (nvm, cargo,
 * `~/.local/bin`) are bound read-only over the empty home; credential folders never are.
 * bwrap is taken only from root-owned system folders, never from PATH: under `npx`, PATH starts
 * with `node_modules/.bin`, where an agent could plant a `bwrap` of its own.
 * Where bubblewrap is missing or cannot make namespaces, `sandboxSupport()` says why, once.
 *
 * @example
 * const support = sandboxSupport();
 * if (support.kind === 'bubblewrap') spawn(support.executable, [...bwrapArguments(policy, cwd, planControlPaths(policy.workspace, policy.protectedPaths).mounts), 'bash', '-c', command]);
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, relative, sep } from 'node:path';
import { isInside } from '../util/paths.js';

export interface SandboxPolicy {
  /** Real path of the workspace: writable inside the sandbox. */
  workspace: string;
  /** Absolute control paths: read-only inside the sandbox when they exist, removed after a command that made them. */
  protectedPaths: readonly string[];
  /** Whether the command keeps the host's network (otherwise only a loopback of its own). */
  network: boolean;
  /** The most processes (and threads) the command's tree may hold at once. */
  maxProcesses: number;
}

export type SandboxSupport = { kind: 'bubblewrap'; executable: string } | { kind: 'none'; reason: string };

/** How long the one-time check that bubblewrap works may take. */
const PROBE_TIMEOUT_MS = 5_000;

let support: SandboxSupport | undefined;

/** Whether commands can be sandboxed here, checked once per process by running `bwrap … true`. */
export function sandboxSupport(): SandboxSupport {
  return (support ??= probe());
}

function probe(): SandboxSupport {
  if (process.platform !== 'linux') {
    return {
      kind: 'none',
      reason: `no sandbox on ${process.platform}: codex-flow uses bubblewrap, which is Linux only (macOS sandbox-exec is not implemented)`,
    };
  }
  const executable = findBwrap();
  if (!executable)
    return {
      kind: 'none',
      reason: `bubblewrap (bwrap) is not installed in ${BWRAP_FOLDERS.join(', ')} (owned by root, not writable by others); install the \`bubblewrap\` package`,
    };
  const check = spawnSync(executable, [...namespaceArguments(false), '--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev', 'true'], {
    timeout: PROBE_TIMEOUT_MS,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (check.status !== 0) {
    const why = check.error?.message ?? check.stderr?.toString().trim() ?? `exit ${check.status}`;
    return { kind: 'none', reason: `bubblewrap cannot create namespaces here (${why || `exit ${check.status}`})` };
  }
  return { kind: 'bubblewrap', executable };
}

/**
 * bwrap's arguments before the command: mounts, namespaces, working folder. `controlMounts` come
 * from `planControlPaths` (control-mounts.ts); `pathVariable` is the command's PATH.
 */
export function bwrapArguments(policy: SandboxPolicy, cwd: string, controlMounts: readonly string[], pathVariable?: string): string[] {
  const args = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp', '--tmpfs', '/run'];
  const home = homedir();
  if (home && home !== '/' && !isInside(home, '/tmp')) {
    args.push('--tmpfs', home);
    for (const folder of toolchainFolders(home, pathVariable)) args.push('--ro-bind', folder, folder);
  }
  args.push('--bind', policy.workspace, policy.workspace, ...controlMounts);
  args.push(...namespaceArguments(policy.network), '--chdir', cwd);
  return args;
}

/** Entries of $HOME that hold credentials: never mounted, even when PATH names a folder inside. */
const CREDENTIAL_ENTRIES = new Set([
  '.ssh',
  '.gnupg',
  '.aws',
  '.azure',
  '.config',
  '.docker',
  '.kube',
  '.netrc',
  '.npmrc',
  '.pypirc',
  '.git-credentials',
  '.password-store',
]);

/**
 * The PATH folders under `home` to show read-only over the empty home. A `…/bin` folder brings its
 * parent (the toolchain's prefix: nvm's `lib/node_modules` next to `bin`) only when that parent is
 * deeper than a direct entry of home: `~/.cargo` holds a registry token and `~/.local` a keyring,
 * so `~/.cargo/bin` and `~/.local/bin` come alone.
 */
export function toolchainFolders(home: string, pathVariable: string | undefined): string[] {
  const folders = new Set<string>();
  for (const entry of (pathVariable ?? '').split(delimiter)) {
    if (!entry.startsWith('/') || !isInside(entry, home) || entry === home) continue;
    const top = relative(home, entry).split(sep)[0]!;
    if (CREDENTIAL_ENTRIES.has(top)) continue;
    const prefix = entry.endsWith(`${sep}bin`) && relative(home, dirname(entry)).includes(sep) ? dirname(entry) : entry;
    try {
      if (statSync(prefix).isDirectory()) folders.add(prefix);
    } catch {
      /* a PATH entry that does not exist */
    }
  }
  return [...folders].filter((folder) => ![...folders].some((other) => other !== folder && isInside(folder, other)));
}

function namespaceArguments(network: boolean): string[] {
  const args = ['--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try', '--die-with-parent', '--new-session'];
  if (!network) args.push('--unshare-net');
  // Only root may drop capabilities it has; a non-root caller gets none inside a user namespace.
  if (process.getuid?.() === 0) args.push('--cap-drop', 'ALL');
  else args.push('--unshare-user');
  return args;
}

/** Where bwrap may come from: system folders only, never PATH. */
export const BWRAP_FOLDERS: readonly string[] = ['/usr/bin', '/usr/local/bin', '/bin'];

/** The first `bwrap` in `folders` that root owns and only root may change (file and folder). */
export function findBwrap(folders: readonly string[] = BWRAP_FOLDERS): string | undefined {
  for (const folder of folders) {
    const path = join(folder, 'bwrap');
    try {
      const file = statSync(path);
      const parent = statSync(folder);
      const trusted = (info: { uid: number; mode: number }) => info.uid === 0 && (info.mode & 0o022) === 0;
      if (file.isFile() && trusted(file) && trusted(parent)) return path;
    } catch {
      /* not there */
    }
  }
  return undefined;
}

/** Replaces the probe's answer (tests of the no-sandbox path). */
export function setSandboxSupportForTests(value: SandboxSupport | undefined): void {
  support = value;
}
