/**
 * The lockfile of an empty project that depends on the packed tarball: the tarball's own
 * manifest (its `dependencies`, `bin`, `engines`) plus the runtime packages of the repository's
 * lockfile, at the same hoisted paths. Entries marked `dev` (devDependencies and what only they
 * pull in) are left out, so a package the CLI needs at run time but that is only a devDependency
 * is not installed and the e2e suite fails, as it would for a user.
 *
 * @example
 * installLockfile(repositoryLock, manifestInTarball, 'file:/tmp/x/codex-flow-0.1.0.tgz', 'sha512-…')
 */
export interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dev?: boolean;
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
  for (const [path, entry] of Object.entries(repositoryLock.packages)) {
    if (path === '' || entry.dev) continue;
    packages[path] = entry;
  }
  return { name: 'e2e-user-project', lockfileVersion: 3, packages };
}
