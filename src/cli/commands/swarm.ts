/**
 * `codex-flow swarm "<goal>"`: plan the goal (heuristic decomposer, or `--plan plan.yaml` with no
 * model at all), route every subtask, then run the DAG through the runner, or only show the plan
 * (`--dry-run`, `--json`) or write it (`--plan-only [file]`). A thin shell over src/swarm.
 * Exit 0 when every subtask completed, 1 for a plan that cannot run or a failed subtask (with the
 * report), 2 for usage mistakes.
 */
import type { Command } from 'commander';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { withProviderFlags, chainSpecFromFlags, type ProviderFlags } from '../provider-flags.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError, unreadableInput, type CommandIO } from '../io.js';
import { withCommonFlags, type CommonFlags } from '../options.js';
import { jsonOut, printDiagnostics, reportFailure } from '../report.js';
import type { SwarmOptions } from '../../swarm/options.js';

export interface SwarmFlags extends CommonFlags, ProviderFlags {
  plan?: string;
  planOnly?: boolean | string;
  dryRun?: boolean;
  decomposer?: string;
  maxSubtasks?: string;
  maxParallel?: string;
  maxRevisions?: string;
  budgetUsd?: string;
  resume?: string;
  replay?: string;
  /** commander's `--no-follow-ups`: false turns them off. */
  followUps?: boolean;
  strictTools?: boolean;
  fleet?: string;
  /** `--plan-only <file>` may replace an existing file. */
  force?: boolean;
  /** A reviewer chosen by the router for every subtask that names none. */
  review?: boolean;
  /** After a failure the planner revises the subtasks that have not started. */
  revisePlan?: boolean;
}

async function swarmOptions(flags: SwarmFlags): Promise<SwarmOptions> {
  const { resolveSwarmOptions, SwarmOptionError } = await import('../../swarm/options.js');
  if (flags.decomposer !== undefined && flags.decomposer !== 'heuristic' && flags.decomposer !== 'llm') {
    throw new UsageError(
      `--decomposer ${flags.decomposer} is not available; use heuristic (offline, deterministic) or llm (the provider chain), or write a plan and pass --plan plan.yaml`,
    );
  }
  try {
    return resolveSwarmOptions(flags);
  } catch (error) {
    if (error instanceof SwarmOptionError) throw new UsageError(error.message);
    throw error;
  }
}

export async function runSwarm(io: CommandIO, words: string[], flags: SwarmFlags): Promise<number> {
  const options = await swarmOptions(flags);
  const goal = words.join(' ').trim();
  if (flags.replay !== undefined) return replay(io, words, flags);
  const given = [goal !== '', flags.plan !== undefined, flags.resume !== undefined].filter(Boolean).length;
  if (given !== 1)
    throw new UsageError(
      'give one of: a goal (codex-flow swarm "add rate limiting to the public API and document it"), --plan plan.yaml, or --resume <swarm-id>',
    );
  if (flags.resume !== undefined && (flags.dryRun || flags.planOnly !== undefined))
    throw new UsageError('--resume runs the rest of a swarm; --dry-run and --plan-only do not apply');
  const planning = flags.dryRun === true || flags.planOnly !== undefined;
  const { openSwarmContext, SwarmSetupError } = await import('../../project/open-swarm.js');
  const { formatLogEvent } = await import('../../providers/chain.js');
  let opened: Awaited<ReturnType<typeof openSwarmContext>>;
  try {
    opened = await openSwarmContext({
      root: io.cwd,
      env: io.env,
      chain: chainSpecFromFlags(flags),
      planning,
      budgetUsd: options.budgetUsd,
      providerLog: (event) => {
        if (event.event !== 'provider-error') io.stderr(`codex-flow: ${formatLogEvent(event)}\n`);
      },
      ...(flags.config ? { configFile: flags.config } : {}),
      ...(flags.fleet ? { fleetDir: flags.fleet } : {}),
    });
  } catch (error) {
    if (error instanceof SwarmSetupError) throw new UsageError(error.message);
    throw error;
  }
  if (!opened.context) {
    if (flags.json) jsonOut(io, { ok: false, command: 'swarm', diagnostics: opened.diagnostics });
    else printDiagnostics(io, opened.diagnostics, flags);
    return EXIT_FINDINGS;
  }
  const { context } = opened;
  try {
    if (flags.resume !== undefined) {
      const { resumeSwarmCommand } = await import('./swarm-run.js');
      return await resumeSwarmCommand(io, context, flags.resume, options, flags);
    }
    const llm = flags.plan === undefined && flags.decomposer === 'llm';
    const input =
      flags.plan !== undefined
        ? { file: flags.plan, text: await readPlanText(io, flags.plan) }
        : { goal, decomposer: llm ? ('llm' as const) : ('heuristic' as const) };
    const { buildPlan } = await import('../../swarm/planner.js');
    if (llm) {
      const { requireProvider } = await import('./swarm-run.js');
      requireProvider(context);
    }
    const built = await buildPlan(input, {
      maxSubtasks: options.maxSubtasks,
      route: context.route,
      ...(llm ? { llm: { model: context.chain, agents: context.agents() } } : {}),
      ...(flags.followUps === false ? {} : { followUps: context.followUps() }),
      ...(flags.review ? { review: { reviewers: (await import('../../swarm/choose-reviewer.js')).reviewerAgents(context.agents()) } } : {}),
    });
    const diagnostics = [...opened.diagnostics, ...built.diagnostics];
    if (!built.plan || planning) {
      if (flags.planOnly !== undefined && built.plan) return await writePlan(io, built.plan, flags, diagnostics);
      const { formatPlanTree } = await import('../../swarm/format-plan.js');
      if (flags.json)
        jsonOut(io, {
          ok: !hasErrors(diagnostics),
          command: 'swarm',
          dry_run: true,
          ...(built.plan ? { plan: built.plan } : {}),
          diagnostics,
        });
      else {
        printDiagnostics(io, diagnostics, flags);
        if (built.plan) io.stdout(formatPlanTree(built.plan));
      }
      return built.plan ? EXIT_OK : EXIT_FINDINGS;
    }
    const { runSwarmCommand } = await import('./swarm-run.js');
    return await runSwarmCommand(io, context, built.plan, options, flags, diagnostics);
  } finally {
    await context.close();
  }
}

/** `--replay` reads the log only: no fleet, no provider, no router is opened. */
async function replay(io: CommandIO, words: string[], flags: SwarmFlags): Promise<number> {
  if (words.length > 0 || flags.plan !== undefined || flags.resume !== undefined)
    throw new UsageError('--replay <swarm-id> prints a past swarm; give no goal, --plan or --resume with it');
  const { loadConfig } = await import('../../config/config.js');
  const { resolveRunnerOptions } = await import('../../runner/options.js');
  const { isAbsolute, join } = await import('node:path');
  const loaded = await loadConfig(io.cwd, flags.config);
  // A config that cannot be read stops the replay as it stops every command: its runs folder is unknown.
  if (hasErrors(loaded.diagnostics)) return reportFailure(io, 'swarm', loaded.diagnostics, flags);
  const { runsDir } = resolveRunnerOptions(loaded.config.runner ?? {}, io.env).options;
  const { replaySwarmCommand } = await import('./swarm-run.js');
  return replaySwarmCommand(io, isAbsolute(runsDir) ? runsDir : join(io.cwd, runsDir), runsDir, flags.replay!, flags);
}

async function readPlanText(io: CommandIO, file: string): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const { resolve } = await import('node:path');
  try {
    return file === '-' ? ((await io.readStdin?.()) ?? '') : await readFile(resolve(io.cwd, file), 'utf8');
  } catch (error) {
    throw unreadableInput('the plan file', file, error);
  }
}

/** `--plan-only`: the routed plan as YAML (agents pinned), to stdout or atomically to the file named. */
async function writePlan(
  io: CommandIO,
  plan: import('../../swarm/plan.js').RoutedPlan,
  flags: SwarmFlags,
  diagnostics: import('../../diagnostics/diagnostic.js').Diagnostic[],
): Promise<number> {
  const { planToData } = await import('../../swarm/plan.js');
  const { writeYaml } = await import('../../compiler/yaml-writer.js');
  const text = writeYaml(planToData(plan));
  printDiagnostics(io, diagnostics, flags);
  if (typeof flags.planOnly !== 'string') {
    if (flags.json) jsonOut(io, { ok: true, command: 'swarm', plan_only: true, plan: planToData(plan), diagnostics });
    else io.stdout(text);
    return EXIT_OK;
  }
  const { resolve } = await import('node:path');
  const { existsSync } = await import('node:fs');
  const target = resolve(io.cwd, flags.planOnly);
  // A plan file is often edited by hand after it is written: planning again must not silently undo that.
  if (existsSync(target) && flags.force !== true) {
    const { diagnostic } = await import('../../diagnostics/diagnostic.js');
    const refused = [
      ...diagnostics,
      diagnostic('CF8130', `${flags.planOnly} exists; the plan was not written`, { file: flags.planOnly, line: 1, column: 1 }),
    ];
    if (flags.json) jsonOut(io, { ok: false, command: 'swarm', plan_only: true, file: flags.planOnly, diagnostics: refused });
    else printDiagnostics(io, refused.slice(diagnostics.length), flags);
    return EXIT_FINDINGS;
  }
  const { writeFileAtomic } = await import('../../util/atomic-write.js');
  writeFileAtomic(target, text);
  if (flags.json) jsonOut(io, { ok: true, command: 'swarm', plan_only: true, file: flags.planOnly, plan: planToData(plan), diagnostics });
  else
    io.stdout(
      `wrote the plan (${plan.subtasks.length} subtasks) to ${flags.planOnly}; run it with: codex-flow swarm --plan ${flags.planOnly}\n`,
    );
  return EXIT_OK;
}

export function register(program: Command, io: CommandIO, setExit: (code: number) => void): void {
  withProviderFlags(
    withCommonFlags(
      program
        .command('swarm [goal...]')
        .description('plan a goal into subtasks, route each to an agent, and run them as a DAG (parallel where independent) with a report')
        .option(
          '--plan <file>',
          'run this plan file (YAML or JSON: goal, subtasks[{id, task, agent?, depends_on?, files?, acceptance?}]) with no model for planning',
        )
        .option('--plan-only [file]', 'plan and write the plan (YAML) to the file, or to stdout; run nothing')
        .option('--force', 'let --plan-only <file> replace an existing file')
        .option('--dry-run', 'plan and show the plan as a tree (agents and reasons); run nothing')
        .option(
          '--decomposer <name>',
          'how a goal is split: heuristic (offline, deterministic) or llm (the provider chain; strict JSON, one repair try, then the heuristic)',
          'heuristic',
        )
        .option('--max-subtasks <n>', 'refuse a plan with more subtasks (default 50)')
        .option('--max-parallel <n>', 'subtasks in flight at once across the swarm (default 8; per-alias limits still apply)')
        .option('--review', "give every subtask that names no reviewer one chosen by the router among the fleet's reviewer agents")
        .option(
          '--revise-plan',
          "after a subtask fails, let the planner revise the subtasks that have not started (the decomposer's kind: llm or heuristic)",
        )
        .option(
          '--max-revisions <n>',
          "times a reviewer's fail sends a subtask's work back (default 1; 0: a failed review fails the subtask)",
        )
        .option('--budget-usd <amount>', 'spending cap for the whole swarm, reserved for calls in flight')
        .option('--resume <swarm-id>', 'continue a swarm from its event log: finished subtasks are not run again')
        .option('--no-follow-ups', 'do not schedule the follow-up agents briefs ask for ("use proactively after …")')
        .option('--replay <swarm-id>', 'print a past swarm from its event log (plan, events with times, report); runs nothing')
        .option('--strict-tools', 'a call to a tool outside the allow-list fails the subtask instead of being refused')
        .option('--fleet <dir>', 'compiled fleet folder (default: compiler.out or codex/agents)'),
    ),
  ).action(async (words: string[], flags: SwarmFlags) => setExit(await runSwarm(io, words, flags)));
}
