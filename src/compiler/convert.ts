/**
 * `convert` as a library call: read briefs, compile, then either publish atomically or (with
 * `check`) compare with what is on disk and report stale, missing and extra files. Reading the
 * previous fleet changes nothing on disk: recovery of a killed publish is `publishFleet`'s, under its lock.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CODES } from '../diagnostics/codes.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { compileSources, type CompileCache, type CompileResult } from './compile.js';
import type { GeneratedAt } from './emit.js';
import type { CompilerOptions } from './options.js';
import { diffTrees, publishFleet, readCompleteFleet, type FleetDiff } from './publish.js';
import { publishTargetRefusal } from './publish-target.js';
import { readBriefs } from './sources.js';

export interface ConvertOptions {
  /** Compare with the output folder instead of writing it. */
  check?: boolean;
  cache?: CompileCache;
}

export interface ConvertResult extends CompileResult {
  /** Present with `check`. */
  diff?: FleetDiff;
  /** Whether files were written (false when nothing changed or with `check`). */
  written: boolean;
}

/**
 * The index's `generatedAt`: the time SOURCE_DATE_EPOCH names, or none. The output is a function
 * of the briefs, the config and the environment's SOURCE_DATE_EPOCH only — never of the clock or
 * of an earlier fleet on disk — so two fresh compiles on two machines give the same bytes.
 *
 * @example generatedAtFor(resolveCompilerOptions(root, {}, {}, { SOURCE_DATE_EPOCH: '0' }))('sha256:…') // '1970-01-01T00:00:00.000Z'
 */
export function generatedAtFor(options: CompilerOptions): GeneratedAt {
  const pinned = options.sourceDateEpoch !== undefined ? new Date(options.sourceDateEpoch * 1000).toISOString() : undefined;
  return () => pinned;
}

function diffDiagnostics(diff: FleetDiff, out: string): Diagnostic[] {
  const at = (path: string) => ({ file: `${out}/${path}`, line: 1, column: 1 });
  return [
    ...diff.stale.map((path) => diagnostic('CF5010', `${path} is out of date`, at(path))),
    ...diff.missing.map((path) => diagnostic('CF5011', `${path} is missing`, at(path))),
    ...diff.extra.map((path) => diagnostic('CF5012', `${path} is not produced by any brief`, at(path))),
  ];
}

/**
 * Compiles the fleet under `options.src` into `options.out`.
 *
 * @example const result = await convertFleet(resolveCompilerOptions(process.cwd()));
 */
export async function convertFleet(options: CompilerOptions, convertOptions: ConvertOptions = {}): Promise<ConvertResult> {
  const outDir = resolve(options.root, options.out);
  // Checked before anything under the output folder is touched.
  const refusal = convertOptions.check
    ? undefined
    : await publishTargetRefusal(options.root, outDir, resolve(options.root, options.src), options.out);
  const sources = await readBriefs(options);
  const result = compileSources(sources, options, generatedAtFor(options), convertOptions.cache);
  if (sources.length === 0) {
    const missing = !existsSync(resolve(options.root, options.src));
    result.diagnostics.unshift(
      diagnostic('CF5003', missing ? `the brief folder ${options.src} does not exist` : `no briefs (*.md) found under ${options.src}`, {
        file: options.src,
        line: 1,
        column: 1,
      }),
    );
  }
  if (convertOptions.check) {
    const diff = diffTrees(result.files, await readCompleteFleet(outDir));
    result.diagnostics.push(...diffDiagnostics(diff, options.out));
    return { ...result, diff, written: false };
  }
  if (sources.length === 0) return { ...result, written: false };
  if (refusal) return { ...result, diagnostics: [...result.diagnostics, refusal], written: false };
  // A brief that cannot be read would drop its agent from the fleet: publish nothing instead.
  const unread = sources.filter((source) => 'error' in source && CODES[source.code].severity === 'error');
  if (unread.length > 0) {
    result.diagnostics.push(
      diagnostic('CF1055', `nothing published: ${unread.length} brief(s) could not be read; ${options.out} is unchanged`),
    );
    return { ...result, written: false };
  }
  const written = await publishFleet(outDir, result.files);
  return { ...result, written };
}
