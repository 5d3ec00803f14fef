/**
 * Compiling briefs held in memory, for tests: no disk, a pinned clock.
 */
import { compileSources, type CompileResult } from '../../src/compiler/compile.js';
import { resolveCompilerOptions, type CompilerOptions } from '../../src/compiler/options.js';

export const FIXED_TIME = '2026-01-01T00:00:00.000Z';

export function testOptions(overrides: Partial<CompilerOptions> = {}): CompilerOptions {
  return { ...resolveCompilerOptions('/project'), ...overrides };
}

/** Compiles `files` (path under .claude/agents → content) as one fleet. */
export function compileFiles(files: Record<string, string | Uint8Array>, options: CompilerOptions = testOptions()): CompileResult {
  const sources = Object.entries(files).map(([relativePath, content]) => ({
    relativePath,
    path: `${options.src}/${relativePath}`,
    bytes: typeof content === 'string' ? Buffer.from(content, 'utf8') : content,
  }));
  return compileSources(sources, options, () => FIXED_TIME);
}

/** Reads a dotted path (`agent.classification.tier`) out of a value. */
export function pick(value: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), value);
}
