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
 * A control path missing when the command starts cannot be mounted read-only without creating it;
 * if the command creates one, the runner removes it once the sandbox is gone (nothing in it can
 * still be running) and reports it.
 * Where bubblewrap is missing or cannot make namespaces, `sandboxSupport()` says why, once.
 *
 * @example
 * const support = sandboxSupport();
 * if (support.kind === 'bubblewrap') spawn(support.executable, [...bwrapArguments(policy, cwd), 'bash', '-c', command]);
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, relative, sep } from 'node:path';

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
    return { kind: 'none', reason: `no sandbox on ${process.platform}: codex-flow uses bubblewrap, which is Linux only (macOS sandbox-exec is not implemented)` };
  }
  const executable = findOnPath('bwrap');
  if (!executable) return { kind: 'none', reason: 'bubblewrap (bwrap) is not installed; install the `bubblewrap` package' };
  const check = spawnSync(executable, [...namespaceArguments(false), '--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev', 'true'], { timeout: PROBE_TIMEOUT_MS, stdio: ['ignore', 'ignore', 'pipe'] });
  if (check.status !== 0) {
    const why = check.error?.message ?? check.stderr?.toString().trim() ?? `exit ${check.status}`;
    return { kind: 'none', reason: `bubblewrap cannot create namespaces here (${why || `exit ${check.status}`})` };
  }
  return { kind: 'bubblewrap', executable };
}

/** bwrap's arguments before the command: mounts, namespaces, working folder. */
export function bwrapArguments(policy: SandboxPolicy, cwd: string): string[] {
  const args = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp', '--tmpfs', '/run'];
  const home = homedir();
  if (home && home !== '/' && !isInside(home, '/tmp')) args.push('--tmpfs', home);
  args.push('--bind', policy.workspace, policy.workspace);
  for (const path of policy.protectedPaths) {
    if (isInside(path, policy.workspace) && existsSync(path)) args.push('--ro-bind', path, path);
  }
  args.push(...namespaceArguments(policy.network), '--chdir', cwd);
  return args;
}

function namespaceArguments(network: boolean): string[] {
  const args = ['--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try', '--die-with-parent', '--new-session'];
  if (!network) args.push('--unshare-net');
  // Only root may drop capabilities it has; a non-root caller gets none inside a user namespace.
  if (process.getuid?.() === 0) args.push('--cap-drop', 'ALL');
  else args.push('--unshare-user');
  return args;
}

/** Whether `path` is `folder` or inside it (both absolute). */
export function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep));
}

function findOnPath(name: string): string | undefined {
  for (const folder of (process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(delimiter)) {
    if (folder && existsSync(join(folder, name))) return join(folder, name);
  }
  return undefined;
}

/** Replaces the probe's answer (tests of the no-sandbox path). */
export function setSandboxSupportForTests(value: SandboxSupport | undefined): void {
  support = value;
}
