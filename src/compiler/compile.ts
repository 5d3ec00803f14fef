/**
 * The compiler driver: briefs → valid definitions → output files, with fleet-level checks
 * (duplicate ids, dangling delegations, extensions reported once). Pure over its inputs; the
 * per-brief results are cached by path and content hash so recompiling after one change
 * reruns only that brief's passes (plus the cheap fleet-level ones).
 */
import { compareDiagnostics, diagnostic, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { AgentDefinition } from '../schema/definition.js';
import { assembleDefinition } from './assemble.js';
import { compileBrief, type BriefResult } from './compile-brief.js';
import { emitFleet, renderDefinition, type OutputFiles } from './emit.js';
import type { CompilerOptions } from './options.js';
import type { BriefSource } from './sources.js';
import { hashBytes } from './source-file.js';
import { validateDefinition } from './validate.js';

export interface CompileStats {
  briefs: number;
  compiled: number;
  failed: number;
  /** Briefs whose per-file passes ran (the rest came from the cache). */
  recompiled: number;
}

export interface CompileResult {
  definitions: AgentDefinition[];
  files: OutputFiles;
  diagnostics: Diagnostic[];
  stats: CompileStats;
}

interface DefinitionEntry {
  definition?: AgentDefinition;
  diagnostics: Diagnostic[];
}

/**
 * Per-brief results kept between compiles (watch mode, library users, the benchmark). Briefs are
 * keyed by path and content hash; definitions also by the fleet ids the brief's `tools:` names,
 * the only fleet-wide input of assemble/validate. Entries of briefs that went away are dropped.
 */
export class CompileCache {
  readonly briefs = new Map<string, BriefResult>();
  readonly definitions = new Map<string, DefinitionEntry>();
}

function definitionFor(result: BriefResult, fleetIds: ReadonlySet<string>, options: CompilerOptions, cache: CompileCache | undefined): DefinitionEntry {
  const brief = result.brief!;
  const delegates = (brief.toolTokens ?? []).filter((token) => fleetIds.has(token)).join(',');
  const key = `${brief.file.path}\u0000${brief.file.hash}\u0000${delegates}`;
  const cached = cache?.definitions.get(key);
  if (cached) return cached;
  const assembled = assembleDefinition(brief, result.inferred!, fleetIds, options);
  const entry: DefinitionEntry = hasErrors(assembled.diagnostics)
    ? { diagnostics: assembled.diagnostics }
    : (() => {
        const validated = validateDefinition(assembled, brief);
        return { ...validated, diagnostics: [...assembled.diagnostics, ...validated.diagnostics] };
      })();
  cache?.definitions.set(key, entry);
  return entry;
}

function prune<T>(map: Map<string, T>, live: ReadonlySet<string>): void {
  for (const key of map.keys()) if (!live.has(key.slice(0, key.indexOf('\u0000')))) map.delete(key);
}

type SourceInput = BriefSource | { relativePath: string; path: string; error: string };

function compileOne(source: SourceInput, options: CompilerOptions, cache: CompileCache | undefined, stats: CompileStats): BriefResult {
  if ('error' in source) {
    return { relativePath: source.relativePath, path: source.path, diagnostics: [diagnostic('CF1001', `cannot read the brief: ${source.error}`, { file: source.path, line: 1, column: 1 })] };
  }
  const key = `${source.path}\u0000${hashBytes(source.bytes)}`;
  const cached = cache?.briefs.get(key);
  if (cached) return cached;
  stats.recompiled++;
  const result = compileBrief(source.bytes, source.relativePath, source.path, options);
  cache?.briefs.set(key, result);
  return result;
}

function reportExtensionsOnce(results: readonly BriefResult[]): Diagnostic[] {
  const firstSeen = new Map<string, { result: BriefResult; count: number }>();
  for (const result of results) {
    for (const key of Object.keys(result.brief?.extensions ?? {})) {
      const entry = firstSeen.get(key);
      if (entry) entry.count++;
      else firstSeen.set(key, { result, count: 1 });
    }
  }
  return [...firstSeen].map(([key, { result, count }]) => {
    const location = result.brief!.locate([key]);
    return diagnostic('CF2030', `front-matter key \`${key}\` is not a codex-flow key; kept under agent.extensions${count > 1 ? ` (in ${count} briefs)` : ''}`, location, {
      sourceLine: result.brief!.lines[location.line - 1] ?? '',
    });
  });
}

function checkDelegations(definitions: readonly AgentDefinition[], results: ReadonlyMap<string, BriefResult>): Diagnostic[] {
  const ids = new Set(definitions.map((d) => d.agent.id));
  const out: Diagnostic[] = [];
  for (const definition of definitions) {
    const { prefers, complements } = definition.triggers.delegations;
    for (const target of [...prefers, ...complements]) {
      if (ids.has(target)) continue;
      const brief = results.get(definition.agent.id)?.brief;
      const location = brief?.locate(['codex', 'triggers', 'delegations']) ?? { file: definition.provenance.source, line: 1, column: 1 };
      out.push(diagnostic('CF5002', `\`${definition.agent.id}\` delegates to \`${target}\`, which is not in this fleet`, location, { sourceLine: brief?.lines[location.line - 1] ?? '' }));
    }
  }
  return out;
}

/**
 * Compiles briefs into a fleet. `generatedAt(hash)` supplies the index timestamp.
 *
 * @example compileSources(await readBriefs(options), options, () => new Date(0).toISOString())
 */
export function compileSources(
  sources: readonly SourceInput[],
  options: CompilerOptions,
  generatedAt: (hash: string) => string,
  cache?: CompileCache,
): CompileResult {
  const stats: CompileStats = { briefs: sources.length, compiled: 0, failed: 0, recompiled: 0 };
  const ordered = [...sources].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const results = ordered.map((source) => compileOne(source, options, cache, stats));
  const diagnostics: Diagnostic[] = results.flatMap((result) => result.diagnostics);
  const byId = new Map<string, BriefResult>();
  for (const result of results) {
    if (!result.brief) continue;
    const first = byId.get(result.brief.id);
    if (first) {
      const location = result.brief.locate(['name'], 'value');
      diagnostics.push(diagnostic('CF5001', `id \`${result.brief.id}\` is already used by ${first.path}; this brief is not compiled`, location, {
        sourceLine: result.brief.lines[location.line - 1] ?? '',
        notes: [`first defined in ${first.path}`],
      }));
      continue;
    }
    byId.set(result.brief.id, result);
  }
  const fleetIds = new Set(byId.keys());
  const definitions: AgentDefinition[] = [];
  for (const result of byId.values()) {
    const entry = definitionFor(result, fleetIds, options, cache);
    diagnostics.push(...entry.diagnostics);
    if (entry.definition) definitions.push(entry.definition);
  }
  if (cache) {
    const live = new Set(ordered.map((source) => source.path));
    prune(cache.briefs, live);
    prune(cache.definitions, live);
  }
  diagnostics.push(...reportExtensionsOnce(results), ...checkDelegations(definitions, byId));
  stats.compiled = definitions.length;
  stats.failed = stats.briefs - stats.compiled;
  const files = emitFleet(definitions, options.src, generatedAt);
  return { definitions, files, diagnostics: diagnostics.sort(compareDiagnostics), stats };
}

export { renderDefinition };
