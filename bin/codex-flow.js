#!/usr/bin/env node
// Thin launcher: the CLI is dist/codex-flow.cjs, started through a V8 code cache
// (src/cli/bundle-launch.ts), or dist/cli/main.js where no bundle was built. Both from `npm run build`.
import { fileURLToPath } from 'node:url';
import { compileCacheDir, loadBundle } from '../dist/cli/bundle-launch.js';

const argv = process.argv.slice(2);
const bundled = process.env.CODEX_FLOW_BUNDLE === 'off' ? undefined
  : loadBundle(fileURLToPath(new URL('../dist/codex-flow.cjs', import.meta.url)), argv[0] ?? '', compileCacheDir(process.env));
const main = bundled?.main ?? (await import('../dist/cli/main.js')).main;

main(argv).then(
  (code) => {
    process.exitCode = code;
    bundled?.saveCache();
  },
  (error) => {
    // Only internal bugs reach here; user mistakes are diagnostics with exit codes.
    console.error(`codex-flow: internal error: ${error && error.stack ? error.stack : error}`);
    process.exitCode = 70;
  },
);
