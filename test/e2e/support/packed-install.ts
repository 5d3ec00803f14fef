/**
 * Vitest global setup of the e2e project: packs the package once per test run (`npm pack`, whose
 * `prepack` builds dist/) and installs the tarball into an empty project, as a user would. Every
 * e2e test runs that installed bin as a process.
 *
 * Only what the tarball ships is used: the project's lockfile lists the tarball and the runtime
 * packages of our own lockfile (never a devDependency), and `npm ci --offline` takes their
 * tarballs from the npm cache the repository's `npm ci` just filled, so the install is the
 * registry install a user gets, minus the network. Install scripts run; re2's own one
 * (install-from-cache) is pointed at a local mirror holding the re2.node the repository's
 * install built, instead of rebuilding it from source (minutes).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { installLockfile, type Lockfile, type PackageManifest } from './install-lockfile.js';

const repositoryRoot = join(import.meta.dirname, '../../..');
/** Packing builds (tsc + the bundle) and the install extracts ~60 packages: bounded, generous under load. */
const PACK_TIMEOUT_MS = 240_000;
const INSTALL_TIMEOUT_MS = 180_000;

export interface PackedInstall {
  /** Scratch root of the e2e run: the tarball, the installed project, workspaces. */
  root: string;
  tarball: string;
  /** Paths inside the tarball, without the `package/` prefix. */
  files: string[];
  /** The project the tarball is installed in; workspaces link its node_modules. */
  installDir: string;
  packSeconds: number;
  installSeconds: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    packedInstall: PackedInstall;
  }
}

export default function setup(project: TestProject): () => void {
  const root = mkdtempSync(join(tmpdir(), 'codex-flow-e2e-'));
  try {
    const packed = packAndInstall(root);
    project.provide('packedInstall', packed);
    process.stdout.write(`e2e: npm pack (with build) ${packed.packSeconds.toFixed(1)} s, install ${packed.installSeconds.toFixed(1)} s\n`);
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  return () => rmSync(root, { recursive: true, force: true });
}

function packAndInstall(root: string): PackedInstall {
  const packStart = performance.now();
  const packDir = join(root, 'pack');
  mkdirSync(packDir);
  const packJson = execFileSync('npm', ['pack', '--json', '--pack-destination', packDir], {
    cwd: repositoryRoot,
    encoding: 'utf8',
    timeout: PACK_TIMEOUT_MS,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [packed] = JSON.parse(packJson.slice(packJson.indexOf('['))) as Array<{
    filename: string;
    integrity: string;
    files: Array<{ path: string }>;
  }>;
  const tarball = join(packDir, packed!.filename);
  const packSeconds = (performance.now() - packStart) / 1000;

  const installStart = performance.now();
  const installDir = join(root, 'installed');
  mkdirSync(installDir);
  const manifest = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' })) as PackageManifest;
  const lock = createRequire(import.meta.url)(join(repositoryRoot, 'package-lock.json')) as Lockfile;
  const spec = `file:${tarball}`;
  writeFileSync(
    join(installDir, 'package.json'),
    `${JSON.stringify({ name: 'e2e-user-project', private: true, dependencies: { 'codex-flow': spec } }, null, 2)}\n`,
  );
  writeFileSync(
    join(installDir, 'package-lock.json'),
    `${JSON.stringify(installLockfile(lock, manifest, spec, packed!.integrity), null, 2)}\n`,
  );
  const mirror = re2Mirror(root);
  const installLog = execFileSync('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--foreground-scripts'], {
    cwd: installDir,
    encoding: 'utf8',
    timeout: INSTALL_TIMEOUT_MS,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RE2_DOWNLOAD_MIRROR: mirror, RE2_DOWNLOAD_SKIP_PATH: '1', RE2_DOWNLOAD_SKIP_VER: '1' },
  });
  // install-from-cache falls back to a source build (minutes, and a compiler) when the mirror's
  // copy fails its check, and an npm that skips install scripts leaves re2 unbuilt: both are a
  // broken set-up here, said as such, not a slow or failing suite.
  if (!/Writing to build\/Release\/re2\.node[\s\S]*Done\./.test(installLog) || /Building locally/.test(installLog)) {
    throw new Error(`e2e: re2's install did not take re2.node from ${mirror}; npm ci said:\n${installLog}`);
  }
  const installSeconds = (performance.now() - installStart) / 1000;
  return { root, tarball, files: packed!.files.map((file) => file.path).sort(), installDir, packSeconds, installSeconds };
}

/**
 * A folder laid out as install-from-cache expects of a download mirror (`<platform>-<arch>-<abi>`,
 * no path, no version: RE2_DOWNLOAD_SKIP_PATH/SKIP_VER), holding the re2.node of the repository's
 * own install. Without it re2 would build from source, so its absence is an error, not a fallback.
 */
function re2Mirror(root: string): string {
  const re2 = dirname(createRequire(join(repositoryRoot, 'package.json')).resolve('re2/package.json'));
  const artifact = join(re2, 'build/Release/re2.node');
  if (!existsSync(artifact)) throw new Error(`e2e: ${artifact} is missing: run \`npm ci\` in the repository first`);
  const mirror = join(root, 're2-mirror');
  mkdirSync(mirror);
  copyFileSync(artifact, join(mirror, `${process.platform}-${process.arch}-${process.versions.modules}`));
  return mirror;
}
