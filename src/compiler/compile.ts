/**
 * The compiler driver: briefs → valid definitions → output files, with fleet-level checks
 * (duplicate ids, dangling delegations, extensions reported once).
 *
 * Three steps: (1) `BriefCompiler.summarize` runs the per-brief passes and returns plain
 * summaries; (2) `planFleet` finds duplicate ids and the fleet's id set; (3)
 * `BriefCompiler.definitions` assembles, validates and renders each accepted brief, and
 * `finishFleet` adds the fleet-level diagnostics and emits the files. Pure over its inputs; per-brief
 * results are cached by path and content hash so a recompile after one change reruns only that
 * brief's passes (plus the cheap fleet-level ones).
 */
import { compareDiagnostics, diagnostic, hasErrors, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';
import type { DiagnosticCode } from '../diagnostics/codes.js';
import type { AgentDefinition } from '../schema/definition.js';
import { assembleDefinition } from './assemble.js';
import { compileBrief, type BriefResult } from './compile-brief.js';
import { emitFleet, type GeneratedAt, type OutputFiles } from './emit.js';
import type { CompilerOptions } from './options.js';
import type { BriefSource } from './sources.js';
import { hashBytes } from '../util/hash.js';
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

export type SourceInput = BriefSource | { relativePath: string; path: string; error: string; code?: DiagnosticCode };

interface Located {
  location: SourceLocation;
  sourceLine: string;
}

/** What the fleet-level steps need to know of one brief; plain data. */
export interface BriefSummary {
  path: string;
  id?: string;
  /** Where `name:` is, for the duplicate-id diagnostic. */
  name?: Located;
  /** Unknown front-matter keys and where each is. */
  extensions: Array<{ key: string } & Located>;
  diagnostics: Diagnostic[];
  recompiled: boolean;
}

/** One accepted brief's definition (or why there is none); plain data. */
export interface DefinitionOutcome {
  path: string;
  definition?: AgentDefinition;
  /** Where delegations are set, for the dangling-delegation diagnostic. */
  delegations?: Located;
  diagnostics: Diagnostic[];
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

function located(result: BriefResult, path: (string | number)[], part: 'key' | 'value' = 'key'): Located {
  const location = result.brief!.locate(path, part);
  return { location, sourceLine: result.brief!.lines[location.line - 1] ?? '' };
}

function prune<T>(map: Map<string, T>, live: ReadonlySet<string>): void {
  for (const key of map.keys()) if (!live.has(key.slice(0, key.indexOf('\u0000')))) map.delete(key);
}

/** Runs the per-brief passes for a set of briefs and keeps their results for `definitions`. */
export class BriefCompiler {
  private readonly results = new Map<string, BriefResult>();

  constructor(
    private readonly options: CompilerOptions,
    private readonly cache?: CompileCache,
  ) {}

  summarize(sources: readonly SourceInput[]): BriefSummary[] {
    return sources.map((source) => {
      const { result, recompiled } = this.compileOne(source);
      this.results.set(source.path, result);
      const summary: BriefSummary = { path: source.path, extensions: [], diagnostics: result.diagnostics, recompiled };
      if (result.brief) {
        summary.id = result.brief.id;
        summary.name = located(result, ['name'], 'value');
        summary.extensions = Object.keys(result.brief.extensions).map((key) => ({ key, ...located(result, [key]) }));
      }
      return summary;
    });
  }

  definitions(fleetIds: ReadonlySet<string>, accepted: readonly string[]): DefinitionOutcome[] {
    return accepted.map((path) => {
      const result = this.results.get(path)!;
      const entry = this.definitionFor(result, fleetIds);
      const outcome: DefinitionOutcome = { path, diagnostics: entry.diagnostics };
      if (entry.definition) {
        outcome.definition = entry.definition;
        outcome.delegations = located(result, ['codex', 'triggers', 'delegations']);
      }
      return outcome;
    });
  }

  /** Drops cache entries of briefs that are not in `paths` any more. */
  prune(paths: readonly string[]): void {
    if (!this.cache) return;
    const live = new Set(paths);
    prune(this.cache.briefs, live);
    prune(this.cache.definitions, live);
  }

  private compileOne(source: SourceInput): { result: BriefResult; recompiled: boolean } {
    if ('error' in source) {
      const at = { file: source.path, line: 1, column: 1 };
      const message = source.code === undefined ? `cannot read the brief: ${source.error}` : source.error;
      return {
        result: { relativePath: source.relativePath, path: source.path, diagnostics: [diagnostic(source.code ?? 'CF1001', message, at)] },
        recompiled: false,
      };
    }
    const key = `${source.path}\u0000${hashBytes(source.bytes)}`;
    const cached = this.cache?.briefs.get(key);
    if (cached) return { result: cached, recompiled: false };
    const result = compileBrief(source.bytes, source.relativePath, source.path, this.options);
    this.cache?.briefs.set(key, result);
    return { result, recompiled: true };
  }

  private definitionFor(result: BriefResult, fleetIds: ReadonlySet<string>): DefinitionEntry {
    const brief = result.brief!;
    const delegates = (brief.toolTokens ?? []).filter((token) => fleetIds.has(token)).join(',');
    const key = `${brief.file.path}\u0000${brief.file.hash}\u0000${delegates}`;
    const cached = this.cache?.definitions.get(key);
    if (cached) return cached;
    const assembled = assembleDefinition(brief, result.inferred!, fleetIds, this.options);
    let entry: DefinitionEntry = { diagnostics: assembled.diagnostics };
    if (!hasErrors(assembled.diagnostics)) {
      const validated = validateDefinition(assembled, brief);
      entry = { ...validated, diagnostics: [...assembled.diagnostics, ...validated.diagnostics] };
    }
    this.cache?.definitions.set(key, entry);
    return entry;
  }
}

export interface FleetPlan {
  fleetIds: Set<string>;
  /** Paths of briefs that get a definition (the first brief of each id, by path). */
  accepted: string[];
  diagnostics: Diagnostic[];
}

/** Duplicate ids (the first by path wins; the others get CF5001 naming it) and the id set. */
export function planFleet(summaries: readonly BriefSummary[]): FleetPlan {
  const firstPath = new Map<string, string>();
  const accepted: string[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const summary of summaries) {
    if (!summary.id || hasErrors(summary.diagnostics)) continue;
    const first = firstPath.get(summary.id);
    if (first) {
      diagnostics.push(
        diagnostic('CF5001', `id \`${summary.id}\` is already used by ${first}; this brief is not compiled`, summary.name!.location, {
          sourceLine: summary.name!.sourceLine,
          notes: [`first defined in ${first}`],
        }),
      );
      continue;
    }
    firstPath.set(summary.id, summary.path);
    accepted.push(summary.path);
  }
  return { fleetIds: new Set(firstPath.keys()), accepted, diagnostics };
}

function reportExtensionsOnce(summaries: readonly BriefSummary[]): Diagnostic[] {
  const firstSeen = new Map<string, { at: Located; count: number }>();
  for (const summary of summaries) {
    for (const { key, ...at } of summary.extensions) {
      const entry = firstSeen.get(key);
      if (entry) entry.count++;
      else firstSeen.set(key, { at, count: 1 });
    }
  }
  return [...firstSeen].map(([key, { at, count }]) =>
    diagnostic(
      'CF2030',
      `front-matter key \`${key}\` is not a codex-flow key; kept under agent.extensions${count > 1 ? ` (in ${count} briefs)` : ''}`,
      at.location,
      { sourceLine: at.sourceLine },
    ),
  );
}

function checkDelegations(outcomes: readonly DefinitionOutcome[]): Diagnostic[] {
  const ids = new Set(outcomes.flatMap((outcome) => (outcome.definition ? [outcome.definition.agent.id] : [])));
  const out: Diagnostic[] = [];
  for (const { definition, delegations } of outcomes) {
    if (!definition || !delegations) continue;
    const { prefers, complements } = definition.triggers.delegations;
    for (const target of [...prefers, ...complements]) {
      if (ids.has(target)) continue;
      out.push(
        diagnostic('CF5002', `\`${definition.agent.id}\` delegates to \`${target}\`, which is not in this fleet`, delegations.location, {
          sourceLine: delegations.sourceLine,
        }),
      );
    }
  }
  return out;
}

/** The fleet-level diagnostics and the output files, from every brief's summary and outcome. */
export function finishFleet(
  summaries: readonly BriefSummary[],
  plan: FleetPlan,
  outcomes: readonly DefinitionOutcome[],
  options: CompilerOptions,
  generatedAt: GeneratedAt,
): CompileResult {
  const definitions = outcomes.flatMap((outcome) => (outcome.definition ? [outcome.definition] : []));
  const diagnostics = [
    ...summaries.flatMap((summary) => summary.diagnostics),
    ...plan.diagnostics,
    ...outcomes.flatMap((outcome) => outcome.diagnostics),
    ...reportExtensionsOnce(summaries),
    ...checkDelegations(outcomes),
  ];
  const stats: CompileStats = {
    briefs: summaries.length,
    compiled: definitions.length,
    failed: summaries.length - definitions.length,
    recompiled: summaries.filter((summary) => summary.recompiled).length,
  };
  const files = emitFleet(definitions, options.src, generatedAt);
  return { definitions, files, diagnostics: diagnostics.sort(compareDiagnostics), stats };
}

export function sortSources<T extends { path: string }>(sources: readonly T[]): T[] {
  return [...sources].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Compiles briefs into a fleet on this thread. `generatedAt(hash)` supplies the index timestamp, if any.
 *
 * @example compileSources(await readBriefs(options), options, () => new Date(0).toISOString())
 */
export function compileSources(
  sources: readonly SourceInput[],
  options: CompilerOptions,
  generatedAt: GeneratedAt,
  cache?: CompileCache,
): CompileResult {
  const ordered = sortSources(sources);
  const compiler = new BriefCompiler(options, cache);
  const summaries = compiler.summarize(ordered);
  const plan = planFleet(summaries);
  const outcomes = compiler.definitions(plan.fleetIds, plan.accepted);
  compiler.prune(ordered.map((source) => source.path));
  return finishFleet(summaries, plan, outcomes, options, generatedAt);
}
