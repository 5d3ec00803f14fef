/**
 * `codex-flow route "task" [--files a b | --files -] [--top N] [--explain [id]] [--json]`: who
 * should handle this? Loads the compiled fleet, routes, prints the ranking (and why).
 *
 * Grammar: the task is the positional words, before `--files` or after `--`; `--files` takes
 * every word up to the next option or `--`. A word after `--files` that holds whitespace and is no
 * file here is a misplaced task, and a usage error says where the task goes (paths from stdin are
 * taken as they come).
 */
import { lstatSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { EXIT_FINDINGS, EXIT_OK, UsageError, type CommandIO } from '../io.js';
import { withCommonFlags, type CommonFlags } from '../options.js';
import { jsonOut, printDiagnostics } from '../report.js';
import { DEFAULT_FLEET_DIR } from '../../fleet/complete-fleet.js';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import type { OpenedRouter, OpenRouterRequest } from '../../project/open-router.js';

export { BRIEF_HASHES_FILE, LEXICAL_CACHE_DIR } from '../../project/fleet-dir.js';
export type { LearningFleet, RouterBuilder } from '../../project/open-router.js';

export interface RouterFlags extends CommonFlags {
  fleet?: string;
  semantic?: string;
  staleCheck?: boolean;
  /** on | off: the embedding term of router.embeddings (docs/routing.md, "Embeddings"). */
  embeddings?: string;
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
  /** text (default), json (= --json) or markdown (a pull-request comment: router/format-markdown.ts). */
  format?: string;
  /** The model reranker (project/rerank-route.ts): on, off, or absent to follow `router.rerank`. */
  rerank?: string;
}

/**
 * Loads config and fleet and builds the router (src/project/open-router.ts); shared by `route` and
 * `eval`. A bad `router:` section is a usage error.
 */
export async function openRouter(io: CommandIO, flags: RouterFlags, learn?: OpenRouterRequest['learn']): Promise<OpenedRouter> {
  const { openRouter: openProjectRouter } = await import('../../project/open-router.js');
  const { RouterConfigError } = await import('../../router/options.js');
  try {
    return await openProjectRouter({
      root: io.cwd,
      ...(flags.config ? { configFile: flags.config } : {}),
      ...(flags.fleet ? { fleetDir: flags.fleet } : {}),
      ...(flags.semantic !== undefined ? { semantic: flags.semantic } : {}),
      ...(flags.staleCheck === false ? { staleCheck: false } : {}),
      ...(flags.embeddings !== undefined ? { embeddings: embeddingsMode(flags.embeddings) } : {}),
      env: io.env,
      buildNote: (message: string) => {
        if (io.stderrIsTTY) io.stderr(message);
      },
      ...(learn ? { learn } : {}),
    });
  } catch (error) {
    if (error instanceof RouterConfigError) throw new UsageError(error.message);
    throw error;
  }
}

export async function runRoute(io: CommandIO, words: string[], flags: RouteFlags): Promise<number> {
  const task = words.join(' ').trim();
  rejectMisplacedTask(io.cwd, task, flags.files ?? []);
  if (typeof flags.explain === 'string' && /\s/.test(flags.explain)) {
    // Agent ids are slugs: a value with whitespace is the task, written after the flag.
    throw new UsageError(
      `${JSON.stringify(flags.explain)} came after --explain, which takes an agent id: it looks like the task`,
      `put the task first: codex-flow route ${shellWord([task, flags.explain].filter(Boolean).join(' '))} --explain`,
    );
  }
  if (flags.format !== undefined && !['text', 'json', 'markdown'].includes(flags.format))
    throw new UsageError(`--format ${JSON.stringify(flags.format)} is not a format`, 'use --format text, json or markdown');
  if (flags.format === 'json') flags = { ...flags, json: true };
  const files = await readFiles(io, flags.files ?? []);
  if (task.length === 0 && files.length === 0 && flags.files?.includes('-')) {
    // `git diff --name-only | codex-flow route --files -` on a change with no files: no work, no error.
    const empty = diagnostic('CF9033', 'nothing to route: --files - read no path from standard input and no task was given');
    if (flags.json) jsonOut(io, { ok: true, command: 'route', request: { task, files }, result: null, diagnostics: [empty] });
    else printDiagnostics({ ...io, stdout: io.stderr }, [empty], flags);
    return EXIT_OK;
  }
  if (task.length === 0 && files.length === 0)
    throw new UsageError(
      'give a task ("codex-flow route \\"add a resolver\\"") or changed files (--files a b, or --files - to read them from stdin)',
    );
  const top = flags.top === undefined ? undefined : Number(flags.top);
  if (top !== undefined && (!Number.isInteger(top) || top < 1)) throw new UsageError('--top needs a positive integer');
  if (flags.rerank !== undefined && flags.rerank !== 'on' && flags.rerank !== 'off') throw new UsageError('--rerank needs on or off');
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
  // The reranker's modules (the provider chain) load only when it may run: `route` must start fast.
  const mayRerank = flags.rerank === 'on' || (flags.rerank === undefined && opened.config?.router?.rerank !== undefined);
  const rerankModule = mayRerank ? await import('../../project/rerank-route.js') : undefined;
  const rerank = rerankModule?.rerankSettings(opened.config, opened.locateConfig, flags.rerank as 'on' | undefined);
  if (rerank && rerank.diagnostics.length > 0) {
    if (flags.json) jsonOut(io, { ok: false, command: 'route', fleet: fleetShown, diagnostics: [...diagnostics, ...rerank.diagnostics] });
    else printDiagnostics(io, [...diagnostics, ...rerank.diagnostics], flags);
    return EXIT_FINDINGS;
  }
  const request = { task, files };
  if (opened.embeddings) diagnostics.push(...opened.embeddings.settle(await router.prepare(request)));
  else if (flags.embeddings === 'on')
    throw new UsageError('--embeddings on needs router.embeddings in the config', 'see docs/routing.md, "Embeddings"');
  const embeddings = opened.embeddings?.report();
  const build = opened.build;
  const shown = top ?? router.options.top;
  const asked = rerank?.options ? Math.max(shown, rerank.options.k) : top;
  const record = flags.record !== false;
  const willRerank = Boolean(rerankModule && rerank?.options && opened.fleet && opened.config && opened.hash);
  // A reranked route records its decision after the rerank, for the order shown (rerankLearned).
  const routed = routeLearned(learning, router, () => (router = build()), request, asked, record && !willRerank);
  const reranking =
    willRerank && rerankModule && rerank?.options && opened.fleet && opened.config && opened.hash
      ? await rerankModule.rerankLearned({
          root: io.cwd,
          env: io.env,
          config: opened.config,
          ...(opened.locateConfig ? { locate: opened.locateConfig } : {}),
          fleet: opened.fleet,
          fleetHash: opened.hash,
          request,
          learned: routed,
          record,
          top: shown,
          options: rerank.options,
        })
      : undefined;
  const learned = reranking?.learned ?? routed;
  const reranked = reranking?.reranked;
  const result = reranked?.result ?? learned.result;
  if (reranked) diagnostics.push(...reranked.diagnostics);
  const learningReport = {
    mode: learned.mode,
    explore: learned.explore,
    ...(learned.seed === undefined ? {} : { seed: learned.seed }),
    recorded: learned.recorded,
    ...(learned.shadow ? { shadow: learned.shadow } : {}),
  };
  const explainId = typeof flags.explain === 'string' ? flags.explain : undefined;
  const explanation = explainId === undefined ? undefined : router.explain(request, explainId);
  const tierAgent = explainId ?? (flags.explain === true ? result.candidates[0]?.id : undefined);
  const tier =
    tierAgent !== undefined && opened.fleet
      ? await (await import('../tier-explain.js')).explainTier(io, flags.config, opened.fleet, tierAgent, learning.state, diagnostics)
      : undefined;
  const all = [...diagnostics, ...result.diagnostics, ...(learned.notRecorded ? [learned.notRecorded] : [])];
  const { formatExplanation, formatRoute } = await import('../../router/format.js');
  if (flags.json) {
    jsonOut(io, {
      ok: explanation?.known !== false,
      command: 'route',
      fleet: fleetShown,
      request,
      result,
      learning: learningReport,
      ...(reranked ? { rerank: reranked.report } : {}),
      ...(embeddings ? { embeddings } : {}),
      ...(explanation ? { explanation } : {}),
      ...(tier ? { tier } : {}),
      diagnostics: all,
    });
  } else if (flags.format === 'markdown' && !explanation) {
    // The comment body is stdout alone: diagnostics (GitHub annotations included) go to stderr.
    printDiagnostics({ ...io, stdout: io.stderr }, all, flags);
    io.stdout((await import('../../router/format-markdown.js')).formatRouteMarkdown(request, result));
  } else {
    printDiagnostics(io, all, flags);
    io.stdout(explanation ? formatExplanation(explanation) : formatRoute(result, flags.explain === true));
    if (reranked) io.stdout((await import('../../router/rerank/report.js')).formatRerank(reranked.report, flags.explain !== undefined));
    if (tier) io.stdout((await import('../tier-explain.js')).formatTier(tier));
    if (embeddings && flags.explain !== undefined) io.stdout(formatEmbeddings(embeddings));
    if (learned.shadow?.changed)
      io.stdout(
        `shadow: learning would have chosen ${learned.shadow.learned ?? 'no agent'} instead of ${learned.shadow.plain ?? 'no agent'}\n`,
      );
    if (learned.recorded) io.stdout(`recorded ${result.routeId}: codex-flow feedback ${result.routeId} --ok | --fail\n`);
  }
  return explanation?.known === false ? EXIT_FINDINGS : EXIT_OK;
}

function embeddingsMode(value: string): 'on' | 'off' {
  if (value !== 'on' && value !== 'off') throw new UsageError('--embeddings needs on or off');
  return value;
}

/** One line under --explain: whether the embedding term is in the answer and what it cost. */
function formatEmbeddings(report: import('../../project/route-embeddings.js').EmbeddingReport): string {
  const what = `${report.provider}${report.model ? ` ${report.model}` : ''} (${report.fusion}, weight ${report.weight})`;
  const cost = `${report.calls} call(s), ${report.tokens} token(s), ${report.embedded} vector(s) computed, ${report.cached} from the cache`;
  return report.used ? `embeddings: ${what}: ${cost}\n` : `embeddings: ${what}: not used, routed on words alone (${report.fallback})\n`;
}

/** --explore on|off, --seed N, --shadow → overrides of the learning options (usage errors exit 2). */
function learningOverrides(flags: RouteFlags): { explore?: boolean; seed?: number; mode?: 'shadow' } {
  if (flags.explore !== undefined && flags.explore !== 'on' && flags.explore !== 'off') throw new UsageError('--explore needs on or off');
  const seed = flags.seed === undefined ? undefined : Number(flags.seed);
  if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32))
    throw new UsageError('--seed needs an integer from 0 to 4294967295');
  return {
    ...(flags.explore === undefined ? {} : { explore: flags.explore === 'on' }),
    ...(seed === undefined ? {} : { seed }),
    ...(flags.shadow ? { mode: 'shadow' as const } : {}),
  };
}

/** A `--files` word that reads like a task: whitespace in it, and no such file from `cwd`. */
function rejectMisplacedTask(cwd: string, task: string, files: string[]): void {
  const misplaced = files.filter(
    (file) => file !== '-' && /\s/.test(file) && lstatSync(resolve(cwd, file), { throwIfNoEntry: false }) === undefined,
  );
  if (misplaced.length === 0) return;
  const paths =
    files
      .filter((file) => !misplaced.includes(file))
      .map(shellWord)
      .join(' ') || '<paths>';
  const words = [task, ...misplaced].filter(Boolean).join(' ');
  throw new UsageError(
    `${JSON.stringify(misplaced[0])} came after --files, which takes paths up to the next option: it is not a file here, and looks like the task`,
    `put the task first: codex-flow route ${shellWord(words)} --files ${paths} (or end the paths with --: --files ${paths} -- ${shellWord(words)})`,
  );
}

/** A word as it would be typed in a shell: bare when safe, double-quoted otherwise. */
function shellWord(word: string): string {
  return /^[\w./@:+,=-]+$/.test(word) ? word : JSON.stringify(word);
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
    .option('--embeddings <on|off>', 'the embedding term of router.embeddings (default: on when configured)')
    .option('--no-stale-check', 'skip comparing the fleet with its briefs');
}

export function register(program: Command, io: CommandIO, setExit: (code: number) => void): void {
  withRouterFlags(
    program
      .command('route [task...]')
      .description('rank the agents for a task and/or changed files; --explain shows why')
      .option(
        '--files <paths...>',
        'changed files, up to the next option or -- (put the task before --files); "-" reads one path per line from stdin',
      )
      .option('--top <n>', 'how many agents to show (default: router.top or 5)')
      .option('--explain [id]', 'show evidence and every score term; with an agent id, why that agent was or was not chosen')
      .option('--explore <on|off>', 'Thompson sampling over what was learned (default: on locally, off when CI=true)')
      .option('--seed <n>', 'seed of the sampler, to replay an exploring decision')
      .option('--shadow', 'learn, but route as if nothing was learned; report whether learning would change the answer')
      .option('--no-record', 'do not record this decision for `codex-flow feedback`')
      .option('--rerank <on|off>', 'reorder the top k with a model (router.rerank; default: on when that section is written, else off)')
      .option(
        '--format <format>',
        'text (default), json (as --json) or markdown (a table of changed files → agents for a pull-request comment)',
      ),
  ).action(async (words: string[], flags: RouteFlags) => setExit(await runRoute(io, words, flags)));
}
