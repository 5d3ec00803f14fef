/**
 * A child process's script, bundled once so the child starts as plain `node`: a test that spawns
 * several children importing `src/` through the tsx loader pays the loader and the transpile of
 * the whole import graph in every child (several times node's own start-up, more under load).
 * esbuild inlines the TypeScript sources and leaves packages to `node_modules`; the bundle lives
 * under the repository's `.cache/` so those packages resolve as they do for the sources.
 * Invariant: the bundle is named by the hash of its own text, so an edit to the script or to any
 * source it inlines gives a new file, while equal bundles (two test files, two runs) share one; it
 * is written by a rename, so a child never reads half a bundle. Sources that locate files through
 * `import.meta.url` would look beside the bundle: bundle only graphs that do not.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

const repository = join(import.meta.dirname, '../..');
const folder = join(repository, '.cache/test-children');

/**
 * The path of a plain-node ES module running `source` (TypeScript, importing sources by absolute
 * path); pass it to `node` in place of `--import tsx script.mts`.
 *
 * @example spawn(process.execPath, [bundledChildScript(`import { x } from '${path}'; x();`)])
 */
export function bundledChildScript(source: string): string {
  mkdirSync(folder, { recursive: true });
  const result = buildSync({
    stdin: { contents: source, loader: 'ts', resolveDir: repository, sourcefile: 'child-script.mts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    write: false,
    logLevel: 'error',
  });
  const text = result.outputFiles[0]!.text;
  const outfile = join(folder, `${createHash('sha256').update(text).digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(outfile)) writeAtomically(outfile, text);
  return outfile;
}

function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** The CLI as a child process (test/support/cli-process.ts) bundled once: `node <this> <args>` runs `codex-flow <args>`. */
export function bundledCli(): string {
  return bundledChildScript(`import ${JSON.stringify(join(import.meta.dirname, 'cli-process.ts'))};`);
}
