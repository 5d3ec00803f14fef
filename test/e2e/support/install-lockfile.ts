/**
 * The lockfile of an empty project that depends on the packed tarball: the tarball's own manifest
 * (its `dependencies`, `bin`, `engines`), then exactly the packages those dependencies reach,
 * followed transitively through the repository's lockfile with Node's lookup (the nearest
 * `node_modules/<name>` up the tree), at the same hoisted paths. Nothing else: not the `dev` flags
 * of the lockfile, which can lag behind package.json. So a package the CLI needs at run time but
 * that is only a devDependency is not installed and the e2e suite fails, as it would for a user.
 *
 * @example
 * installLockfile(repositoryLock, manifestInTarball, 'file:/tmp/x/codex-flow-0.1.0.tgz', 'sha512-…')
 */
export interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [key: string]: unknown;
}

export interface Lockfile {
  name?: string;
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
}

export interface PackageManifest {
  name: string;
  version: string;
  license?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  bin?: Record<string, string>;
  engines?: Record<string, string>;
}

export function installLockfile(repositoryLock: Lockfile, manifest: PackageManifest, spec: string, integrity: string): Lockfile {
  const packages: Record<string, LockEntry> = {
    '': { name: 'e2e-user-project', dependencies: { [manifest.name]: spec } },
    [`node_modules/${manifest.name}`]: {
      version: manifest.version,
      resolved: spec,
      integrity,
      license: manifest.license,
      dependencies: manifest.dependencies,
      optionalDependencies: manifest.optionalDependencies,
      bin: manifest.bin,
      engines: manifest.engines,
    },
  };
  // The tarball's requests resolve as the repository root's did: from the top of node_modules.
  const pending: Array<{ from: string; name: string; optional: boolean }> = requestsOf('', manifest);
  while (pending.length > 0) {
    const { from, name, optional } = pending.pop()!;
    const path = resolveFrom(repositoryLock.packages, from, name);
    if (path === undefined) {
      if (optional) continue;
      throw new Error(
        `e2e: the package needs ${name} (from ${from || 'codex-flow'}) but package-lock.json has no entry for it: run \`npm install\``,
      );
    }
    if (packages[path]) continue;
    const entry = repositoryLock.packages[path]!;
    packages[path] = entry;
    pending.push(...requestsOf(path, entry));
  }
  return { name: 'e2e-user-project', lockfileVersion: 3, packages };
}

function requestsOf(from: string, entry: LockEntry | PackageManifest): Array<{ from: string; name: string; optional: boolean }> {
  const peers = 'peerDependencies' in entry ? (entry.peerDependencies ?? {}) : {};
  const peerMeta = 'peerDependenciesMeta' in entry ? (entry.peerDependenciesMeta ?? {}) : {};
  return [
    ...Object.keys(entry.dependencies ?? {}).map((name) => ({ from, name, optional: false })),
    ...Object.keys(entry.optionalDependencies ?? {}).map((name) => ({ from, name, optional: true })),
    ...Object.keys(peers).map((name) => ({ from, name, optional: peerMeta[name]?.optional === true })),
  ];
}

/** Node's lookup over lockfile paths: `<from>/node_modules/<name>`, then each ancestor's. */
function resolveFrom(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base === '' ? `node_modules/${name}` : `${base}/node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (base === '') return undefined;
    const parent = base.lastIndexOf('/node_modules/');
    base = parent < 0 ? '' : base.slice(0, parent);
  }
}
