/**
 * Writes the CLI as one CommonJS file, `dist/codex-flow.cjs`, which `bin/codex-flow.js` loads with
 * Node's own `require`. Why a bundle: the compiler's and the runner's commands load ~150 modules,
 * and one file saves Node resolving and reading each (docs/routing.md, "Start-up", has the figures
 * per command). esbuild bundles src/cli/main.ts with every command (each stays behind its lazy
 * import, so only the invoked one runs); native and runtime-required packages stay outside.
 * `codex-flow route` starts from a second, smaller bundle holding that command alone
 * (`dist/codex-flow-route.cjs`, src/cli/route-main.ts): Node parses every byte of a file it loads.
 * Run: tsx scripts/bundle-cli.ts [outfile] [route outfile]   (part of `npm run build`)
 */
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { BUNDLE_HEADER } from '../src/version.js';

const root = join(import.meta.dirname, '..');

/**
 * Packages left to `require` at run time: re2 is native; the rest are the runner's and the
 * compiler's large dependencies (3 MB of the 4.5 MB a full bundle held), which `route` never
 * loads, and every one of them ships CommonJS. Bundling them only made every start read and
 * decode text it does not run (fastify and prom-client, the server's, likewise). typebox and chokidar
 * are ES modules only, so they are bundled. bullmq (the queue) reads its Lua scripts from files
 * beside its own modules, and its msgpackr loads the optional native msgpackr-extract: it must stay
 * a package. @datadog/sketches-js (the learner's latency sketch) keeps its protobuf encoder behind a
 * lazy require of protobufjs, which codex-flow never calls and does not install: left to `require`,
 * that module is never resolved.
 */
const EXTERNAL: string[] = [
  're2',
  'fastify',
  'prom-client',
  'ai',
  '@ai-sdk/*',
  'ollama-ai-provider-v2',
  'zod',
  'ioredis',
  'bullmq',
  'ajv',
  'ajv/*',
  '@opentelemetry/api',
  'yaml',
  'picomatch',
  '@datadog/sketches-js',
];

/**
 * The route bundle (src/cli/route-main.ts) leaves typebox outside too: only a config file's
 * `compiler:` section needs it there, through Node's require of an ES module (Node ≥ 20.19).
 */
const ROUTE_EXTERNAL = [...EXTERNAL, 'typebox'];

/** Bundles the CLI into `outfile` and the route-only CLI into `routeOutfile`, both written atomically. */
export async function bundleCli(
  outfile = join(root, 'dist/codex-flow.cjs'),
  routeOutfile = join(dirname(outfile), 'codex-flow-route.cjs'),
): Promise<void> {
  await bundle(join(root, 'src/cli/main.ts'), EXTERNAL, outfile);
  await bundle(join(root, 'src/cli/route-main.ts'), ROUTE_EXTERNAL, routeOutfile, { codeCache: true });
}

/**
 * A dynamic `import()` in a script compiled with cached data loses its import callback (Node 20:
 * ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING once the cache is warm). The route bundle is run through
 * a code cache, so esbuild lowers every `import()` in it to `require` (its external packages all
 * ship CommonJS) and the build refuses a bundle where one is left.
 */
const DYNAMIC_IMPORT = /\bimport\s*\(/;

/**
 * commander requires `child_process` when it loads, for the executable subcommands codex-flow
 * does not have; `child_process` pulls in `net`, `dgram` and the stream machinery at every start.
 * Inside commander it becomes an object that requires the real module on its first use: spawn and
 * the rest behave as before, and a process that never spawns through commander never loads it.
 */
const lazyChildProcessInCommander: Plugin = {
  name: 'lazy-child-process-in-commander',
  setup(builder) {
    builder.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy-builtin' } : undefined,
    );
    builder.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, () => ({
      loader: 'js',
      contents: `let loaded;
const load = () => (loaded ??= require('node:child_process'));
module.exports = new Proxy({}, { get: (_, key) => load()[key], has: (_, key) => key in load(), ownKeys: () => Reflect.ownKeys(load()), getOwnPropertyDescriptor: (_, key) => Reflect.getOwnPropertyDescriptor(load(), key) });`,
    }));
  },
};

async function bundle(entry: string, external: string[], outfile: string, { codeCache = false } = {}): Promise<void> {
  const result = await build({
    plugins: [lazyChildProcessInCommander],
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20.19',
    external,
    // The source's `createRequire(import.meta.url)` resolves from the bundle's own place.
    define: { 'import.meta.url': '__codexFlowBundleUrl' },
    banner: { js: 'var __codexFlowBundleUrl = require("node:url").pathToFileURL(__filename).href;' },
    write: false,
    logLevel: 'warning',
    legalComments: 'none',
    // Node reads and pre-parses every byte of the file at each start: no comments or indentation.
    // Names stay, so an internal error's stack still names the functions.
    minifyWhitespace: true,
    ...(codeCache ? { supported: { 'dynamic-import': false } } : {}),
  });
  let text = result.outputFiles[0]!.text;
  if (codeCache && DYNAMIC_IMPORT.test(text))
    throw new Error(`${outfile}: a dynamic import() is left in a bundle run through a code cache (${DYNAMIC_IMPORT.exec(text)?.index})`);
  // Every bundle names its build on its first line (BUNDLE_HEADER + the hash of the rest): V8 checks a
  // code cache against the source's length only, so the launcher keys its cache files by this hash
  // (bin/code-cache.js), and the config cache (src/config/config-cache.ts) its entries.
  text = `${BUNDLE_HEADER}${createHash('sha256').update(text).digest('hex')}\n${text}`;
  mkdirSync(dirname(outfile), { recursive: true });
  const temporary = `${outfile}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, outfile);
}

if (process.argv[1] && import.meta.filename === process.argv[1]) await bundleCli(process.argv[2], process.argv[3]);
