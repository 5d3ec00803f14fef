/** The shared corpus of real briefs, compiled per collection, for tests. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadFleet, type LoadedFleet } from '../../src/fleet/load.js';
import { compileSources, type CompileResult } from '../../src/compiler/compile.js';
import { resolveCompilerOptions } from '../../src/compiler/options.js';
import { readBriefs } from '../../src/compiler/sources.js';
import { FIXED_TIME } from './compile.js';

export { CORPUS } from './requirements.js';
import { CORPUS } from './requirements.js';
export const COLLECTIONS = ['VoltAgent__awesome-claude-code-subagents', 'wshobson__agents'] as const;

export async function compileCollection(collection: string): Promise<CompileResult> {
  const options = resolveCompilerOptions(CORPUS, {}, { src: collection, out: `../out/${collection}` });
  return compileSources(await readBriefs(options), options, () => FIXED_TIME);
}

/**
 * A collection compiled in-process, written to a temp folder and loaded as a fleet. Every
 * definition is read before the folder is removed (loadFleet parses them lazily: a definition
 * asked for later would be missing, and the lexical model would lose the brief bodies).
 */
export async function loadCompiledCollection(collection: string): Promise<LoadedFleet> {
  const dir = mkdtempSync(join(tmpdir(), 'cf-collection-'));
  try {
    const compiled = await compileCollection(collection);
    for (const [file, text] of compiled.files) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    const fleet = loadFleet(dir).fleet!;
    for (const entry of fleet.index.agents) fleet.definition(entry.id);
    return fleet;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
