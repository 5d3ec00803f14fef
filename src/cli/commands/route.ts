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
import type { LoadedFleet } from '../../fleet/load.js';
import type { LearnedModel } from '../../router/types.js';
import { DEFAULT_FLEET_DIR } from '../../fleet/complete-fleet.js';

/** Where the CLI caches the fleet's lexical model (keyed by fleet hash), the router's build products (keyed by their input) and brief hashes; add it to .gitignore. */
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
  /** Learning (src/learn): Thompson sampling on/off, its seed, shadow mode, recording the decision. */
  explore?: string;
  seed?: string;
  shadow?: boolean;
  record?: boolean;
}

/** A router over the opened fleet with a learned model (δ = `rewardWeight` unless router.weights.reward is set). */
export type RouterBuilder = (learned?: LearnedModel, rewardWeight?: number) => Router;

/** Loads config and fleet and builds the router; shared by `route` and `eval`. */
export async function openRouter(io: CommandIO, flags: RouterFlags, learn?: (fleet: LoadedFleet, config: Record<string, unknown> | undefined) => { model?: LearnedModel; rewardWeight: number }): Promise<{ router?: Router; build?: RouterBuilder; fleet?: LoadedFleet; learningConfig?: Record<string, unknown>; fleetShown: string; diagnostics: Diagnostic[] }> {
  const { loadConfig } = await import('../../config/config.js');
  const loaded = await loadConfig(io.cwd, flags.config);
  const diagnostics = [...loaded.diagnostics];
  const compiler = (loaded.config.compiler ?? {}) as { out?: string };
  const dir = flags.fleet ?? compiler.out ?? DEFAULT_FLEET_DIR;
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
  const { fileBuildCache } = await import('../../router/build-cache.js');
  const semanticModel = cachedLexicalModelFactory(join(io.cwd, LEXICAL_CACHE_DIR), fleet.index.hash);
  const buildCache = fileBuildCache(join(io.cwd, LEXICAL_CACHE_DIR));
  try {
    const build: RouterBuilder = (learned, rewardWeight) => createRouter(fleet, {
      options: learned && rewardWeight !== undefined && config.weights?.reward === undefined ? { ...config, weights: { ...config.weights, reward: rewardWeight } } : config,
      semanticModel, buildCache, ...(learned ? { learned } : {}),
    });
    const learning = learn?.(fleet, loaded.config.learning);
    const router = build(learning?.model, learning?.rewardWeight);
    diagnostics.push(...router.diagnostics);
    return { router, build, fleet, ...(loaded.config.learning ? { learningConfig: loaded.config.learning } : {}), fleetShown, diagnostics };
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
  const overrides = learningOverrides(flags);
  const { openLearning, routeLearned } = await import('../../learn/open.js');
  let learning: ReturnType<typeof openLearning> | undefined;
  const { LearningConfigError } = await import('../../learn/options.js');
  const opened = await openRouter(io, flags, (fleet, config) => {
    try {
      learning = openLearning(io.cwd, config, io.env, fleet, overrides);
    } catch (error) {
      if (error instanceof LearningConfigError) throw new UsageError(error.message);
      throw error;
    }
    return { ...(learning.model ? { model: learning.model } : {}), rewardWeight: learning.options.rewardWeight };
  });
  const { fleetShown, diagnostics } = opened;
  let { router } = opened;
  if (!router || !opened.build || !learning) {
    if (flags.json) jsonOut(io, { ok: false, command: 'route', fleet: fleetShown, diagnostics });
    else printDiagnostics(io, diagnostics, flags);
    return EXIT_FINDINGS;
  }
  diagnostics.push(...learning.diagnostics);
  const request = { task, files };
  const build = opened.build;
  const learned = routeLearned(learning, router, () => (router = build()), request, top, flags.record !== false);
  const { result } = learned;
  const learningReport = { mode: learned.mode, explore: learned.explore, ...(learned.seed === undefined ? {} : { seed: learned.seed }), recorded: learned.recorded, ...(learned.shadow ? { shadow: learned.shadow } : {}) };
  const explainId = typeof flags.explain === 'string' ? flags.explain : undefined;
  const explanation = explainId === undefined ? undefined : router.explain(request, explainId);
  const all = [...diagnostics, ...result.diagnostics];
  const { formatExplanation, formatRoute } = await import('../../router/format.js');
  if (flags.json) {
    jsonOut(io, { ok: explanation?.known !== false, command: 'route', fleet: fleetShown, request, result, learning: learningReport, ...(explanation ? { explanation } : {}), diagnostics: all });
  } else {
    printDiagnostics(io, all, flags);
    io.stdout(explanation ? formatExplanation(explanation) : formatRoute(result, flags.explain === true));
    if (learned.shadow?.changed) io.stdout(`shadow: learning would have chosen ${learned.shadow.learned ?? 'no agent'} instead of ${learned.shadow.plain ?? 'no agent'}\n`);
    if (learned.recorded) io.stdout(`recorded ${result.routeId}: codex-flow feedback ${result.routeId} --ok | --fail\n`);
  }
  return explanation?.known === false ? EXIT_FINDINGS : EXIT_OK;
}

/** --explore on|off, --seed N, --shadow → overrides of the learning options (usage errors exit 2). */
function learningOverrides(flags: RouteFlags): { explore?: boolean; seed?: number; mode?: 'shadow' } {
  if (flags.explore !== undefined && flags.explore !== 'on' && flags.explore !== 'off') throw new UsageError('--explore needs on or off');
  const seed = flags.seed === undefined ? undefined : Number(flags.seed);
  if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32)) throw new UsageError('--seed needs an integer from 0 to 4294967295');
  return {
    ...(flags.explore === undefined ? {} : { explore: flags.explore === 'on' }),
    ...(seed === undefined ? {} : { seed }), ...(flags.shadow ? { mode: 'shadow' as const } : {}),
  };
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
    .option('--fleet <dir>', `compiled fleet folder (default: compiler.out or ${DEFAULT_FLEET_DIR})`)
    .option('--semantic <mode>', 'semantic stage: always | fallback | off (default: router.semantic or always)')
    .option('--no-stale-check', 'skip comparing the fleet with its briefs');
}

export function register(program: Command, io: CommandIO, setExit: (code: number) => void): void {
  withRouterFlags(
    program.command('route [task...]')
      .description('rank the agents for a task and/or changed files; --explain shows why')
      .option('--files <paths...>', 'changed files; "-" reads one path per line from stdin')
      .option('--top <n>', 'how many agents to show (default: router.top or 5)')
      .option('--explain [id]', 'show evidence and every score term; with an agent id, why that agent was or was not chosen')
      .option('--explore <on|off>', 'Thompson sampling over what was learned (default: on locally, off when CI=true)')
      .option('--seed <n>', 'seed of the sampler, to replay an exploring decision')
      .option('--shadow', 'learn, but route as if nothing was learned; report whether learning would change the answer')
      .option('--no-record', 'do not record this decision for `codex-flow feedback`'),
  ).action(async (words: string[], flags: RouteFlags) => setExit(await runRoute(io, words, flags)));
}
