#!/usr/bin/env node
// The CLI is one CommonJS file, dist/codex-flow.cjs (scripts/bundle-cli.ts, part of `npm run build`),
// loaded by Node's own `require`: no custom loader, so the bundle's `import()` of the packages it
// leaves outside works exactly as in any CommonJS file. Node ≥ 22.1 keeps its compiled code in
// Node's own compile cache, in the same per-user folder as ours (code-cache.js). On an older Node, `route`'s bundle (which holds no `import()`) runs
// through a code cache of ours (code-cache.js). This file is CommonJS (bin/package.json): an ES
// module entry would start Node's ES module loader for a file that imports nothing.
'use strict';
const module_ = require('node:module');

/** Exit code of a bug in codex-flow itself (sysexits EX_SOFTWARE), never of a user or provider failure. */
const EXIT_INTERNAL = 70;

function internalError(error) {
  const { version, bugs } = require('../package.json');
  const where = bugs?.url ?? 'the codex-flow issue tracker';
  const detail = error instanceof Error && error.stack ? error.stack : String(error);
  process.stderr.write(
    `codex-flow: internal error: this is a bug in codex-flow ${version}, not in your input or a provider.\n` +
      `  please report it at ${where} with the command you ran and the lines below\n${detail}\n`,
  );
  process.exitCode = EXIT_INTERNAL;
}

// `route`, the command run most, has a bundle of its own without the other commands' code.
const route = process.argv[2] === 'route' || process.argv[2] === 'hook';
const bundle = route ? 'codex-flow-route.cjs' : 'codex-flow.cjs';
const path = require('node:path').join(__dirname, '../dist', bundle);
let main;
let cached;
try {
  if (module_.enableCompileCache) {
    // The per-user folder, never Node's default one in the shared temp folder; none: no cache.
    const dir = require('./code-cache.js').ownCacheDir();
    if (dir) module_.enableCompileCache(dir);
  } else if (route) cached = require('./code-cache.js').loadWithCodeCache(path);
  ({ main } = cached ? cached.exports : require(path));
} catch (error) {
  if (error?.code === 'ENOENT' || (error?.code === 'MODULE_NOT_FOUND' && String(error.message).includes(bundle))) {
    process.stderr.write(`codex-flow: dist/${bundle} is missing: run \`npm run build\` in this checkout\n`);
    process.exit(EXIT_INTERNAL);
  }
  // The bundle failed while loading: a bug of ours, reported as any other.
  internalError(error);
  process.exit(EXIT_INTERNAL);
}

// A rejection nobody awaited is a bug of ours too: exit 70 with the report, not Node's bare trace.
process.on('unhandledRejection', (reason) => {
  internalError(reason);
  process.exit(EXIT_INTERNAL);
});
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  cached?.save();
}, internalError);
