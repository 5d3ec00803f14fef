/**
 * `convert` as a library call: read briefs, compile, then either publish atomically or (with
 * `check`) compare with what is on disk and report stale, missing and extra files.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { INDEX_FILE, type FleetIndex } from '../fleet/types.js';
import { compileSources, type CompileCache, type CompileResult } from './compile.js';
import type { CompilerOptions } from './options.js';
import { diffTrees, publishFleet, readTree, recoverInterruptedPublish, type FleetDiff } from './publish.js';
import { publishTargetRefusal } from './publish-target.js';
import { readBriefs } from './sources.js';

export interface ConvertOptions {
  /** Compare with the output folder instead of writing it. */
  check?: boolean;
  cache?: CompileCache;
  /** The clock for a fleet whose content changed; tests pin it. */
  now?: () => Date;
}

export interface ConvertResult extends CompileResult {
  /** Present with `check`. */
  diff?: FleetDiff;
  /** Whether files were written (false when nothing changed or with `check`). */
  written: boolean;
}

async function previousIndex(outDir: string): Promise<FleetIndex | undefined> {
  try {
    return JSON.parse(await readFile(join(outDir, INDEX_FILE), 'utf8')) as FleetIndex;
  } catch {
    return undefined;
  }
}

/** `generatedAt` moves only when the content hash does; SOURCE_DATE_EPOCH pins it for builds. */
export function generatedAtFor(previous: FleetIndex | undefined, options: CompilerOptions, now: () => Date) {
  return (hash: string): string => {
    if (options.sourceDateEpoch !== undefined) return new Date(options.sourceDateEpoch * 1000).toISOString();
    if (previous?.hash === hash && typeof previous.generatedAt === 'string') return previous.generatedAt;
    return now().toISOString();
  };
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
  // Checked before anything under the output folder is touched (recovery included).
  const refusal = convertOptions.check ? undefined : await publishTargetRefusal(options.root, outDir, resolve(options.root, options.src), options.out);
  if (!convertOptions.check && !refusal) await recoverInterruptedPublish(outDir);
  const sources = await readBriefs(options);
  const generatedAt = generatedAtFor(await previousIndex(outDir), options, convertOptions.now ?? (() => new Date()));
  const result = compileSources(sources, options, generatedAt, convertOptions.cache);
  if (sources.length === 0) {
    result.diagnostics.unshift(diagnostic('CF5003', `no briefs (*.md) found under ${options.src}`, { file: options.src, line: 1, column: 1 }));
  }
  if (convertOptions.check) {
    const diff = diffTrees(result.files, await readTree(outDir));
    result.diagnostics.push(...diffDiagnostics(diff, options.out));
    return { ...result, diff, written: false };
  }
  if (sources.length === 0) return { ...result, written: false };
  if (refusal) return { ...result, diagnostics: [...result.diagnostics, refusal], written: false };
  const written = await publishFleet(outDir, result.files);
  return { ...result, written };
}
