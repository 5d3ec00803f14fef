/**
 * Everything a run needs from a project folder, opened in one place for the CLI (library callers
 * may build a RunnerInit themselves): the config, the runner options, the compiled fleet, a router
 * when a task must be routed (with the learned model; its decisions are recorded), the provider
 * chain, the memory store, and the learning store that receives the outcomes. Problems come back as
 * diagnostics with a hint; nothing here throws for a user's mistake except an unknown provider
 * name (UnknownProviderError) or a bad `learning:` section (LearningConfigError), which the caller
 * reports as usage errors.
 *
 * @example
 * const opened = await openRunContext({ root: io.cwd, env: io.env, needsRouter: true, chain: { provider: 'ollama' } });
 * if (opened.init) await runTasks(tasks, opened.init);
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { diagnostic, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { loadConfig } from '../config/config.js';
import { loadFleet } from '../fleet/load.js';
import { completeFleetDir } from '../fleet/complete-fleet.js';
import { LEXICAL_CACHE_DIR, projectFleetDir } from './fleet-dir.js';
import { Budget } from '../providers/budget.js';
import { Redactor, urlPassword } from '../providers/redact.js';
import { createProviderChain, type ChainSpec, type ProviderChain, type ProviderLogEvent } from '../providers/chain.js';
import { resolveProviderOptions, type ProvidersConfig } from '../providers/options.js';
import type { RouterConfig } from '../router/options.js';
import { MemoryRequiredError, openMemoryStore } from '../runner/memory/agent-memory.js';
import type { MemoryStore } from '../runner/memory/store.js';
import { resolveRunnerOptions, type RunnerOptions } from '../runner/options.js';
import { runnerFleet, type RunnerInit } from '../runner/runner.js';
import type { RouterLike } from '../runner/prepare.js';
import { LearnedRouter } from '../runner/learned-router.js';
import { openLearning, type LearningOverrides, type OpenedLearning } from '../learn/open.js';
import { applyTuning, readTuning, TUNING_FILE, tunableAgentsOf, tunedSettings, type TunedSettings } from '../learn/tuning.js';
import { LearningOutcomeSink } from '../learn/record.js';
import { tierObservations } from '../learn/tier-observations.js';
import { RuleBook } from '../learn/rules.js';
import { AlertMonitor, notifier } from '../learn/alerts.js';
import type { LearnedState } from '../learn/state.js';
import { definitionWorkload, type Workload } from '../fleet/workload.js';
import type { LoadedFleet } from '../fleet/load.js';
import type { TierObservation } from '../providers/tiers.js';
import { DEFAULT_BENCH_DIR, readBenchPriors, type BenchPriors } from '../providers/bench-priors.js';

export interface OpenRequest {
  root: string;
  env: Record<string, string | undefined>;
  configFile?: string;
  fleetDir?: string;
  needsRouter: boolean;
  /** Route without recording decisions (`--dry-run`). */
  dryRun?: boolean;
  /** No agent runs (planning only): the memory store is not opened (no wait for Redis, no CF8021). */
  skipMemory?: boolean;
  /** Learning settings this command fixes (`swarm` plans with exploration off, so its plans repeat). */
  learning?: LearningOverrides;
  chain: ChainSpec;
  /** A spending cap for this run that beats the config's and CODEX_FLOW_BUDGET_USD (`swarm --budget-usd`). */
  budgetUsd?: number | null;
  providerLog?: (event: ProviderLogEvent) => void;
  /** Run tasks in this process even when a queue is configured (`codex-flow worker`). */
  inProcess?: boolean;
}

export interface Opened {
  init?: Omit<RunnerInit, 'write'>;
  /** The run's one redactor, also when nothing opened: what the caller prints passes it too. */
  redactor: Redactor;
  options?: RunnerOptions;
  chain?: ProviderChain;
  fleetShown: string;
  /** The compiled fleet's content hash (a queue's jobs carry it). */
  fleetHash?: string;
  /** The learned state the run routes with (outcomes fold into it as they arrive) and each agent's workload tier. */
  learning?: { state: LearnedState; workloadOf: (agent: string) => Workload | undefined };
  diagnostics: Diagnostic[];
}

export async function openRunContext(request: OpenRequest): Promise<Opened> {
  const loaded = await loadConfig(request.root, request.configFile);
  const diagnostics = [...loaded.diagnostics];
  const resolved = resolveRunnerOptions(loaded.config.runner ?? {}, request.env);
  diagnostics.push(...resolved.diagnostics);
  const providerOptions = resolveProviderOptions(request.env, (loaded.config.providers ?? {}) as ProvidersConfig);
  // One redactor for the run: the environment's secrets, every provider's key (apiKeyEnv included), the memory URL's password.
  const redactor = new Redactor([
    ...providerOptions.secrets,
    ...[urlPassword(resolved.options.memory.redisUrl)].filter((value): value is string => value !== undefined),
  ]);
  const { fleetDir, fleetShown } = projectFleetDir(request.root, loaded.config, request.fleetDir);
  if (!existsSync(join(completeFleetDir(fleetDir), 'index.json'))) {
    // No fleet at all is one line with what to do, not one error per missing file.
    diagnostics.push(
      diagnostic('CF8002', `no compiled fleet in ${fleetShown}`, undefined, {
        hint: 'run `codex-flow convert` first, or point --fleet at the folder',
      }),
    );
    return { fleetShown, diagnostics, redactor };
  }
  const { fleet, diagnostics: fleetDiagnostics } = loadFleet(fleetDir);
  diagnostics.push(...fleetDiagnostics);
  if (!fleet || hasErrors(diagnostics)) return { fleetShown, diagnostics, redactor };
  const learning = openLearning(request.root, loaded.config.learning, request.env, fleet, request.learning);
  diagnostics.push(...learning.diagnostics);
  let router: RouterLike | undefined;
  if (request.needsRouter) {
    const [{ createRouter }, { cachedLexicalModelFactory }, { fileBuildCache }] = await Promise.all([
      import('../router/staged-router.js'),
      import('../router/lexical-cache.js'),
      import('../router/build-cache.js'),
    ]);
    const config = (loaded.config.router ?? {}) as RouterConfig;
    const semanticModel = cachedLexicalModelFactory(join(request.root, LEXICAL_CACHE_DIR), fleet.index.hash);
    const buildCache = fileBuildCache(join(request.root, LEXICAL_CACHE_DIR));
    // As `codex-flow route` does: δ (the learned reward's weight) comes from learning unless router.weights.reward is set.
    const withLearning =
      learning.model && config.weights?.reward === undefined
        ? { ...config, weights: { ...config.weights, reward: learning.options.rewardWeight } }
        : config;
    const built = createRouter(fleet, {
      options: withLearning,
      semanticModel,
      buildCache,
      ...(learning.model ? { learned: learning.model } : {}),
    });
    diagnostics.push(...built.diagnostics);
    let plain: ReturnType<typeof createRouter> | undefined;
    router = new LearnedRouter(
      learning,
      built,
      () => (plain ??= createRouter(fleet, { options: config, semanticModel, buildCache })),
      request.dryRun !== true,
    );
  }
  // Settings ignored with a warning (CF7001, CF7022) are this run's too. An unknown provider
  // (CF7002) in the chain stops it below with a usage error; one only named where the flags win is not this run's.
  diagnostics.push(...providerOptions.diagnostics.filter((entry) => entry.code !== 'CF7002'));
  const budgetUsd = request.budgetUsd ?? providerOptions.budgetUsd;
  const chain = createProviderChain(request.chain, request.env, {
    cwd: request.root,
    resolved: providerOptions,
    redactor,
    ...(budgetUsd ? { budget: new Budget(budgetUsd, { warnAt: providerOptions.budgetWarnAt }) } : {}),
    ...(request.providerLog ? { log: request.providerLog } : {}),
    tierObservations: tierObservationsOf(learning.state, fleet),
    ...(hasTierChains(providerOptions.tiers) ? { benchPriors: openBenchPriors(request.root, diagnostics) } : {}),
  });
  let memory: MemoryStore | null = null;
  if (!request.skipMemory) {
    try {
      memory = await openMemoryStore(request.root, resolved.options.memory, Date.now, (message) =>
        diagnostics.push(diagnostic('CF8020', message)),
      );
    } catch (error) {
      if (error instanceof MemoryRequiredError) {
        diagnostics.push(diagnostic('CF8021', error.message));
        return { fleetShown, diagnostics, redactor };
      }
      diagnostics.push(diagnostic('CF8013', `memory store unavailable: ${(error as Error).message}`));
    }
  }
  // A configured queue (docs/queue.md) takes the tasks instead of this process's scheduler.
  let dispatch: RunnerInit['dispatch'];
  if (
    !request.inProcess &&
    !request.dryRun &&
    !request.skipMemory &&
    (loaded.config.queue !== undefined || request.env.CODEX_FLOW_QUEUE_URL)
  ) {
    const { openQueueDispatch } = await import('../queue/open.js');
    const queue = await openQueueDispatch({
      section: loaded.config.queue,
      env: request.env,
      root: request.root,
      fleetHash: fleet.index.hash,
      fleetDir,
      ...(budgetUsd ? { budgetUsd } : {}),
    });
    diagnostics.push(...queue.diagnostics);
    if (queue.failed) {
      await memory?.close();
      return { fleetShown, diagnostics, redactor };
    }
    dispatch = queue.dispatch;
  }
  const tuned = await autotune(learning, fleet, request.dryRun === true, diagnostics);
  const init: Omit<RunnerInit, 'write'> = {
    root: request.root,
    ...(tuned ? { tuned } : {}),
    fleet: runnerFleet(fleet),
    options: resolved.options,
    model: chain,
    memory,
    env: request.env,
    fleetDir,
    redactor,
    ...(loaded.file ? { configFile: loaded.file } : {}),
    // learning.dir is joined to the root by the learner, absolute or not.
    learningDir: join(request.root, learning.options.dir),
    ...(chain.store.file ? { providersStateFile: chain.store.file } : {}),
    outcomes: new LearningOutcomeSink(request.root, learning.options, learning.state, fleetWorkloads(fleet)),
    ...(learning.options.mode === 'off' ? {} : { rules: openRules(join(request.root, learning.options.dir), diagnostics) }),
    alerts: new AlertMonitor({
      deliver: notifier(request.root),
      onError: (target, error) =>
        process.stderr.write(`codex-flow: alert to ${redactor.text(target)} not delivered: ${redactor.text(error.message)}\n`),
    }),
    ...(router ? { router } : {}),
    ...(dispatch ? { dispatch } : {}),
  };
  return {
    init,
    options: resolved.options,
    chain,
    fleetShown,
    fleetHash: fleet.index.hash,
    ...(learning.options.mode === 'off' ? {} : { learning: { state: learning.state, workloadOf: fleetWorkloads(fleet) } }),
    diagnostics,
    redactor,
  };
}

/**
 * `learning.autotune: apply`: the outcomes so far tune each agent (src/learn/tuning.ts) before the
 * run, and the run uses the tuned values; a dry run reads them without changing them.
 */
async function autotune(
  learning: OpenedLearning,
  fleet: LoadedFleet,
  dryRun: boolean,
  diagnostics: Diagnostic[],
): Promise<TunedSettings | undefined> {
  if (learning.options.autotune !== 'apply' || learning.options.mode === 'off') return undefined;
  const dir = learning.learning.dir;
  if (dryRun) {
    const read = readTuning(dir);
    if (read.problem) diagnostics.push(diagnostic('CF5103', `${join(dir, TUNING_FILE)}: ${read.problem}`));
    return tunedSettings(read.data);
  }
  const applied = await applyTuning(dir, learning.state, tunableAgentsOf(fleet), learning.options.emaAlpha);
  if (!applied) {
    diagnostics.push(diagnostic('CF5102', 'autotune skipped: the learning lock stayed busy'));
    return tunedSettings(readTuning(dir).data);
  }
  if (applied.problem) diagnostics.push(diagnostic('CF5103', `${join(dir, TUNING_FILE)}: ${applied.problem}`));
  for (const change of applied.changes)
    diagnostics.push(diagnostic('CF5101', `autotune: ${change.agent} ${change.setting} ${change.from} → ${change.to} (${change.reason})`));
  return applied.tuned;
}

/** Per tier, per provider, what the outcomes say; computed when a tier chain is first built (one per tier and run). */
function tierObservationsOf(
  state: LearnedState,
  fleet: LoadedFleet,
): (workload: Workload) => ReadonlyMap<string, TierObservation> | undefined {
  let observed: ReturnType<typeof tierObservations> | undefined;
  return (workload) => (observed ??= tierObservations(state, fleetWorkloads(fleet))).get(workload);
}

/** The bench results (data/bench) as the tier ranking's prior; an unreadable report is a CF6720 warning. */
export function openBenchPriors(root: string, diagnostics: Diagnostic[]): BenchPriors {
  const read = readBenchPriors(join(root, DEFAULT_BENCH_DIR));
  diagnostics.push(...read.diagnostics);
  return read.priors;
}

/** Only a tier chain is ranked, so only then is the bench folder read. */
function hasTierChains(tiers: Readonly<Record<string, readonly unknown[] | undefined>>): boolean {
  return Object.values(tiers).some((entries) => (entries?.length ?? 0) > 0);
}

/** The project's learned rules; an unreadable file is a warning and the run starts from none. */
function openRules(dir: string, diagnostics: Diagnostic[]): RuleBook {
  const book = RuleBook.open(dir);
  if (book.problem) diagnostics.push(diagnostic('CF6700', `learned rules unreadable: ${book.problem}; starting without them`));
  return book;
}

/** Agent id → its workload tier, from the fleet's definitions (parsed on first use). */
function fleetWorkloads(fleet: LoadedFleet): (agent: string) => Workload | undefined {
  return (agent) => {
    const definition = fleet.definition(agent);
    return definition ? definitionWorkload(definition) : undefined;
  };
}
