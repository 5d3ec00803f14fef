/**
 * A process-count limit and a whole-tree kill for shell commands, from the kernel's `pids`
 * cgroup controller.
 *
 * Naive approach: `ulimit -u` (RLIMIT_NPROC). It counts every process of the user, so a low value
 * breaks a user who already runs many, and the kernel does not enforce it for root at all (root's
 * user is exempt, also inside a user namespace that maps to root). A cgroup's `pids.max` holds for
 * root too and counts only the processes inside it.
 * What we do: once per process, find a pids hierarchy we may write (cgroup v1 `pids` mount, or
 * cgroup v2) and make a folder `codex-flow-<pid>` under our own cgroup. On v2 a controller reaches
 * a child only through its parent's `cgroup.subtree_control`: `+pids` is written to our cgroup's
 * (where the kernel allows it: no processes of its own, or the root) and to our folder's, or the
 * commands' folders would have no `pids.max`. Each command gets a child folder with `pids.max`;
 * the command's first process joins it before it execs anything, so every descendant is counted,
 * `setsid` or not. After the command, whatever is left in the folder is killed and the folder
 * removed; at exit, every folder of ours still there is emptied and removed.
 * Invariants: nothing here throws; without a writable hierarchy `pidsCgroupRoot()` is undefined
 * and callers fall back (documented in docs/runner.md).
 */
import { mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PidsCgroup {
  /** The folder whose `cgroup.procs` the command's first process writes its pid to. */
  dir: string;
  /** Kills everything still in the cgroup and removes it. Idempotent. */
  release(): void;
}

let probed = false;
let root: string | undefined;
let counter = 0;

/** Our writable pids cgroup folder, made on first use; undefined when the OS gives us none. */
export function pidsCgroupRoot(): string | undefined {
  if (probed) return root;
  probed = true;
  for (const candidate of candidateParents()) {
    const dir = makePidsRoot(candidate, `codex-flow-${process.pid}`);
    if (dir === undefined) continue;
    root = dir;
    process.once('exit', () => removeTree(dir));
    return root;
  }
  return undefined;
}

export interface PidsHierarchy {
  /** The folder of the cgroup this process is in, in a hierarchy with the pids controller. */
  parent: string;
  version: 1 | 2;
}

/** Makes `name` under the hierarchy's parent with the pids controller on for its children, or undefined. */
export function makePidsRoot(hierarchy: PidsHierarchy, name: string): string | undefined {
  const dir = join(hierarchy.parent, name);
  try {
    if (hierarchy.version === 2) enablePids(hierarchy.parent);
    mkdirSync(dir, { recursive: true });
    readFileSync(join(dir, 'pids.max'), 'utf8');
    if (hierarchy.version === 2) {
      enablePids(dir);
      if (!subtreeHasPids(dir)) throw new Error('pids not delegated');
    }
    return dir;
  } catch {
    removeQuietly(dir);
    return undefined;
  }
}

function subtreeHasPids(dir: string): boolean {
  try {
    return readFileSync(join(dir, 'cgroup.subtree_control'), 'utf8')
      .split(/\s+/)
      .some((word) => word === 'pids' || word === '+pids');
  } catch {
    return false;
  }
}

/** Turns on the pids controller for the children of `dir` (cgroup v2); refused when `dir` holds processes and is not the root. */
function enablePids(dir: string): void {
  if (subtreeHasPids(dir)) return;
  try {
    writeFileSync(join(dir, 'cgroup.subtree_control'), '+pids');
  } catch {
    /* checked by the caller through pids.max */
  }
}

/** A fresh cgroup limited to `maxProcesses` tasks, or undefined when none can be made. */
export function createPidsCgroup(maxProcesses: number): PidsCgroup | undefined {
  const parent = pidsCgroupRoot();
  return parent === undefined ? undefined : createPidsCgroupIn(parent, maxProcesses);
}

/** A cgroup `c<N>` under `parent` limited to `maxProcesses` tasks. */
export function createPidsCgroupIn(parent: string, maxProcesses: number): PidsCgroup | undefined {
  const dir = join(parent, `c${++counter}`);
  try {
    mkdirSync(dir);
    writeFileSync(join(dir, 'pids.max'), String(maxProcesses));
  } catch {
    removeQuietly(dir);
    return undefined;
  }
  let released = false;
  return {
    dir,
    release() {
      if (released) return;
      released = true;
      killAll(dir);
      removeWhenEmpty(dir, REMOVE_ATTEMPTS);
    },
  };
}

/** Pids hierarchies, each as the folder of the cgroup this process is in. */
function candidateParents(): PidsHierarchy[] {
  let mounts: string;
  let membership: string;
  try {
    mounts = readFileSync('/proc/self/mountinfo', 'utf8');
    membership = readFileSync('/proc/self/cgroup', 'utf8');
  } catch {
    return [];
  }
  const own = (match: (controllers: string[]) => boolean): string | undefined => {
    for (const line of membership.split('\n')) {
      const [, controllers, path] = line.split(':');
      if (path !== undefined && match(controllers!.split(','))) return path;
    }
    return undefined;
  };
  const parents: PidsHierarchy[] = [];
  for (const line of mounts.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const mountPoint = left.split(' ')[4]!;
    const [type, , options = ''] = right.split(' ');
    if (type === 'cgroup' && options.split(',').includes('pids')) {
      const path = own((controllers) => controllers.includes('pids'));
      if (path !== undefined) parents.push({ parent: join(mountPoint, path), version: 1 });
    } else if (type === 'cgroup2') {
      const path = own((controllers) => controllers.length === 1 && controllers[0] === '');
      if (path !== undefined) parents.push({ parent: join(mountPoint, path), version: 2 });
    }
  }
  return parents;
}

/** Rounds of SIGKILL over the cgroup's members: a member may fork while the first round runs. */
const KILL_ROUNDS = 8;

function killAll(dir: string): void {
  for (let round = 0; round < KILL_ROUNDS; round++) {
    let pids: number[];
    try {
      pids = readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
    } catch {
      return;
    }
    if (pids.length === 0) return;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
}

/** A killed process leaves its cgroup only when it has exited; removal retries for up to a second. */
const REMOVE_ATTEMPTS = 20;
const REMOVE_RETRY_MS = 50;

function removeWhenEmpty(dir: string, attempts: number): void {
  try {
    rmdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EBUSY' || attempts <= 1) return;
    setTimeout(() => {
      killAll(dir);
      removeWhenEmpty(dir, attempts - 1);
    }, REMOVE_RETRY_MS).unref();
  }
}

/** At exit: the commands' folders still there (a removal retry never ran) are emptied, then ours. */
function removeTree(dir: string): void {
  let children: string[] = [];
  try {
    children = readdirSync(dir).filter((name) => /^c\d+$/.test(name));
  } catch {
    /* gone */
  }
  for (const child of children) {
    killAll(join(dir, child));
    removeQuietly(join(dir, child));
  }
  removeQuietly(dir);
}

function removeQuietly(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    /* busy with dying members, or already gone */
  }
}
