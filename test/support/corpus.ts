/** The shared corpus of real briefs, compiled per collection, for tests. */
import { join } from 'node:path';
import { compileSources, type CompileResult } from '../../src/compiler/compile.js';
import { resolveCompilerOptions } from '../../src/compiler/options.js';
import { readBriefs } from '../../src/compiler/sources.js';
import { FIXED_TIME } from './compile.js';

export const CORPUS = join(import.meta.dirname, '../../../shared/corpus');
export const COLLECTIONS = ['VoltAgent__awesome-claude-code-subagents', 'wshobson__agents'] as const;

export async function compileCollection(collection: string): Promise<CompileResult> {
  const options = resolveCompilerOptions(CORPUS, {}, { src: collection, out: `../out/${collection}` });
  return compileSources(await readBriefs(options), options, () => FIXED_TIME);
}
