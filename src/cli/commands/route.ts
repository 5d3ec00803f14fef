/**
 * `codex-flow route "task" [--files a b | --files -] [--top N] [--explain [id]] [--json]`: who
 * should handle this? Loads the compiled fleet, routes, prints the ranking (and why).
 */
import { isAbsolute, join, relative } from 'node:path';
import type { Command } from 'commander';
import { hasErrors, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError, type CommandIO } from '../io.js';
import { withCommonFlags, type CommonFlags } from '../options.js';
import { jsonOut, printDiagnostics } from '../report.js';
import type { Router } from '../../router/staged-router.js';
import type { RouterConfig } from '../../router/options.js';

/** Where the CLI caches the fleet's lexical model (keyed by fleet hash) and brief hashes; add it to .gitignore. */
export const LEXICAL_CACHE_DIR = '.codex-flow/cache';

export interface RouterFlags extends CommonFlags {
  fleet?: string;
  semantic?: string;
  staleCheck?: boolean;
}

export interface RouteFlags extends RouterFlags {
  files?: string[];
  top?: string;
  explain?: boolean | string;
}

/** Loads config and fleet and builds the router; shared by `route` and `eval`. */
export async function openRouter(io: CommandIO, flags: RouterFlags): Promise<{ router?: Router; fleetShown: string; diagnostics: Diagnostic[] }> {
  const { loadConfig } = await import('../../config/config.js');
  const loaded = await loadConfig(io.cwd, flags.config);
  const diagnostics = [...loaded.diagnostics];
  const compiler = (loaded.config.compiler ?? {}) as { out?: string };
  const dir = flags.fleet ?? compiler.out ?? 'codex/agents';
  const fleetDir = isAbsolute(dir) ? dir : join(io.cwd, dir);
  const fleetShown = relative(io.cwd, fleetDir) || '.';
  const { loadFleet } = await import('../../fleet/load.js');
  const { fleet, diagnostics: fleetDiagnostics } = loadFleet(fleetDir);
  diagnostics.push(...fleetDiagnostics);
  if (!fleet || hasErrors(diagnostics)) return { fleetShown, diagnostics };
  if (flags.staleCheck !== false) {
    const { checkFreshness } = await import('../../fleet/freshness.js');
    diagnostics.push(...checkFreshness(fleet.index, io.cwd, join(io.cwd, LEXICAL_CACHE_DIR, 'brief-hashes.json')));
  }
  const { createRouter } = await import('../../router/staged-router.js');
  const { RouterConfigError } = await import('../../router/options.js');
  const config = { ...(loaded.config.router ?? {}) } as RouterConfig;
  if (flags.semantic !== undefined) config.semantic = flags.semantic as RouterConfig['semantic'];
  const { cachedLexicalModelFactory } = await import('../../router/lexical-cache.js');
  const semanticModel = cachedLexicalModelFactory(join(io.cwd, LEXICAL_CACHE_DIR), fleet.index.hash);
  try {
    const router = createRouter(fleet, { options: config, semanticModel });
    diagnostics.push(...router.diagnostics);
    return { router, fleetShown, diagnostics };
  } catch (error) {
    if (error instanceof RouterConfigError) throw new UsageError(error.message);
    throw error;
  }
}

export async function runRoute(io: CommandIO, words: string[], flags: RouteFlags): Promise<number> {
  const task = words.join(' ').trim();
  const files = await readFiles(io, flags.files ?? []);
  if (task.length === 0 && files.length === 0) throw new UsageError('give a task ("codex-flow route \\"add a resolver\\"") or changed files (--files a b, or --files - to read them from stdin)');
  const top = flags.top === undefined ? undefined : Number(flags.top);
  if (top !== undefined && (!Number.isInteger(top) || top < 1)) throw new UsageError('--top needs a positive integer');
  const { router, fleetShown, diagnostics } = await openRouter(io, flags);
  if (!router) {
    if (flags.json) jsonOut(io, { ok: false, command: 'route', fleet: fleetShown, diagnostics });
    else printDiagnostics(io, diagnostics, flags);
    return EXIT_FINDINGS;
  }
  const request = { task, files };
  const result = router.route(request, top === undefined ? {} : { top });
  const explainId = typeof flags.explain === 'string' ? flags.explain : undefined;
  const explanation = explainId === undefined ? undefined : router.explain(request, explainId);
  const all = [...diagnostics, ...result.diagnostics];
  const { formatExplanation, formatRoute } = await import('../../router/format.js');
  if (flags.json) {
    jsonOut(io, { ok: explanation?.known !== false, command: 'route', fleet: fleetShown, request, result, ...(explanation ? { explanation } : {}), diagnostics: all });
  } else {
    printDiagnostics(io, all, flags);
    io.stdout(explanation ? formatExplanation(explanation) : formatRoute(result, flags.explain === true));
  }
  return explanation?.known === false ? EXIT_FINDINGS : EXIT_OK;
}

async function readFiles(io: CommandIO, files: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const file of files) {
    if (file !== '-') out.push(file);
    else for (const line of ((await io.readStdin?.()) ?? '').split(/\r?\n/)) if (line.trim()) out.push(line.trim());
  }
  return out;
}

export function withRouterFlags(command: Command): Command {
  return withCommonFlags(command)
    .option('--fleet <dir>', 'compiled fleet folder (default: compiler.out or codex/agents)')
    .option('--semantic <mode>', 'semantic stage: always | fallback | off (default: router.semantic or always)')
    .option('--no-stale-check', 'skip comparing the fleet with its briefs');
}

export function register(program: Command, io: CommandIO, setExit: (code: number) => void): void {
  withRouterFlags(
    program.command('route [task...]')
      .description('rank the agents for a task and/or changed files; --explain shows why')
      .option('--files <paths...>', 'changed files; "-" reads one path per line from stdin')
      .option('--top <n>', 'how many agents to show (default: router.top or 5)')
      .option('--explain [id]', 'show evidence and every score term; with an agent id, why that agent was or was not chosen'),
  ).action(async (words: string[], flags: RouteFlags) => setExit(await runRoute(io, words, flags)));
}
