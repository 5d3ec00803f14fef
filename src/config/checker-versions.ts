/**
 * The installed versions of the libraries that check a config file, as the running code resolves
 * them: part of the config cache's key, so a checked config is read again after one of them
 * changes, even when codex-flow itself does not.
 *
 * Why the bundle's content hash is not enough: the bundles leave `yaml` and `ajv` to `require` at
 * run time (scripts/bundle-cli.ts, EXTERNAL), and the route bundle leaves `typebox` too, so their
 * code is not in the hashed bytes; the full bundle holds its own copy of typebox, whose installed
 * version is then only a harmless extra in the key.
 * Invariant: the package folder found is the one Node's resolution of the bare name would load
 * (the first `node_modules/<name>` on the lookup paths from `from`); a checker that cannot be found
 * gives undefined, and the caller then does not cache.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The packages whose behaviour decides what a config load returns: the parser, the validator, the schemas' builder. */
export const CONFIG_CHECKERS = ['yaml', 'ajv', 'typebox'] as const;

/**
 * `name@version` of each checker, resolved from the module at `from` (a file path or file URL).
 *
 * @example checkerVersions(import.meta.url) // 'yaml@2.9.1 ajv@8.17.1 typebox@1.4.3'
 */
export function checkerVersions(from: string): string | undefined {
  const lookup = createRequire(from).resolve.paths;
  const found: string[] = [];
  for (const name of CONFIG_CHECKERS) {
    const folder = (lookup(name) ?? []).map((dir) => join(dir, name)).find((dir) => existsSync(join(dir, 'package.json')));
    if (folder === undefined) return undefined;
    try {
      const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { version?: unknown };
      if (typeof manifest.version !== 'string') return undefined;
      found.push(`${name}@${manifest.version}`);
    } catch {
      return undefined;
    }
  }
  return found.join(' ');
}
