#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/cli/main.js (built by `npm run build`).
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error) => {
    // Only internal bugs reach here; user mistakes are diagnostics with exit codes.
    console.error(`codex-flow: internal error: ${error && error.stack ? error.stack : error}`);
    process.exitCode = 70;
  },
);
