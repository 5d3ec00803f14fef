/**
 * Writes the CLI as one CommonJS file, `dist/codex-flow.cjs`, for `bin/codex-flow.js` to start
 * through a V8 code cache (src/cli/bundle-launch.ts says why). esbuild bundles src/cli/main.ts
 * with every command (each stays behind its lazy import, so only the invoked one runs); native
 * and runtime-required packages (re2, and what the source loads with `createRequire`) stay
 * outside. The first line names the sha256 of the rest, which keys the code cache.
 * Run: tsx scripts/bundle-cli.ts [outfile]   (part of `npm run build`)
 */
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { BUNDLE_HEADER } from '../src/cli/bundle-launch.js';

const root = join(import.meta.dirname, '..');

/**
 * Packages left to `require` at run time: re2 is native; the rest are the runner's and the
 * compiler's large dependencies (3 MB of the 4.5 MB a full bundle held), which `route` never
 * loads, and every one of them ships CommonJS. Bundling them only made every start read and
 * decode text it does not run. typebox and chokidar are ES modules only, so they are bundled.
 */
const EXTERNAL: string[] = ['re2', 'ai', '@ai-sdk/*', 'ollama-ai-provider-v2', 'zod', 'ioredis', 'ajv', 'ajv/*', '@opentelemetry/api', 'yaml', 'picomatch'];

/** Bundles the CLI into `outfile` (written atomically); returns the content hash. */
export async function bundleCli(outfile = join(root, 'dist/codex-flow.cjs')): Promise<string> {
  const result = await build({
    entryPoints: [join(root, 'src/cli/main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20.19',
    external: EXTERNAL,
    // The source's `createRequire(import.meta.url)` resolves from the bundle's own place.
    define: { 'import.meta.url': '__codexFlowBundleUrl' },
    banner: { js: 'var __codexFlowBundleUrl = require("node:url").pathToFileURL(__filename).href;' },
    write: false,
    logLevel: 'warning',
    legalComments: 'none',
  });
  const body = result.outputFiles[0]!.text;
  const hash = createHash('sha256').update(body).digest('hex');
  mkdirSync(dirname(outfile), { recursive: true });
  const temporary = `${outfile}.${process.pid}.tmp`;
  writeFileSync(temporary, `${BUNDLE_HEADER}${hash}\n${body}`);
  renameSync(temporary, outfile);
  return hash;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) await bundleCli(process.argv[2]);
