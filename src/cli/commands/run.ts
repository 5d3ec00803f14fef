/**
 * `codex-flow run`: run one task (`--route "…"`, `--agent ID`, `--alias NAME`, `--route-files …`)
 * or many (`--tasks tasks.jsonl`) under the runner's policies. `--dry-run` prints the plan and runs
 * nothing; `--json` prints the run record. A thin shell over `runTasks` (src/runner/runner.ts).
 * Exit 0 when every task completed, 1 when one failed or was rejected, 2 for usage mistakes; a bug
 * in codex-flow itself is rethrown after the run is recorded, so the launcher exits 70.
 */
import type { Command } from 'commander';
import { diagnostic, hasErrors, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { usd, type Budget } from '../../providers/budget.js';
import { withProviderFlags, chainSpecFromFlags, type ProviderFlags } from '../provider-flags.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, unreadableInput, type CommandIO } from '../io.js';
import { withCommonFlags, type CommonFlags } from '../options.js';
import { jsonOut, printDiagnostics } from '../report.js';
import type { TaskSpec } from '../../runner/runner.js';
import { DEFAULT_FLEET_DIR } from '../../fleet/complete-fleet.js';

export interface RunFlags extends CommonFlags, ProviderFlags {
  route?: string;
  routeFiles?: string[];
  agent?: string;
  alias?: string;
  tasks?: string;
  prompt?: string;
  stream?: boolean;
  strictTools?: boolean;
  dryRun?: boolean;
  fleet?: string;
}

/** The tasks to run, and what reading a tasks file found wrong (a skipped line fails the run: exit 1). */
async function readTasks(io: CommandIO, words: string[], flags: RunFlags): Promise<{ tasks: TaskSpec[]; diagnostics: Diagnostic[] }> {
  if (flags.agent && flags.alias) throw new UsageError('give --agent or --alias, not both');
  if (flags.tasks !== undefined) {
    if (flags.route || words.length > 0 || flags.routeFiles)
      throw new UsageError('--tasks takes every task from the file; drop the task text and --route-files');
    const { readFile } = await import('node:fs/promises');
    const { join, isAbsolute } = await import('node:path');
    let text: string;
    try {
      text =
        flags.tasks === '-'
          ? ((await io.readStdin?.()) ?? '')
          : await readFile(isAbsolute(flags.tasks) ? flags.tasks : join(io.cwd, flags.tasks), 'utf8');
    } catch (error) {
      throw unreadableInput('the tasks file', flags.tasks, error);
    }
    const { parseTasksFile } = await import('../../runner/tasks-file.js');
    const parsed = parseTasksFile(text, flags.tasks);
    if (parsed.tasks.length === 0) throw new UsageError(`no valid task in ${flags.tasks}`, undefined, parsed.diagnostics);
    const tasks = parsed.tasks.map((task) => ({
      ...task,
      ...(flags.prompt && !task.prompt ? { prompt: flags.prompt } : {}),
      ...(task.agent || task.alias ? {} : flags.agent ? { agent: flags.agent } : flags.alias ? { alias: flags.alias } : {}),
    }));
    return { tasks, diagnostics: parsed.diagnostics };
  }
  if (flags.route && words.length > 0) throw new UsageError('give the task once: either as --route "…" or as words');
  const task = (flags.route ?? words.join(' ')).trim();
  const files = flags.routeFiles ?? [];
  if (!task && files.length === 0)
    throw new UsageError(
      'give a task: codex-flow run --route "fix the flaky login test" (or --agent ID "task", --route-files a b, --tasks tasks.jsonl)',
    );
  const spec: TaskSpec = { task, files };
  if (flags.agent) spec.agent = flags.agent;
  if (flags.alias) spec.alias = flags.alias;
  if (flags.prompt) spec.prompt = flags.prompt;
  return { tasks: [spec], diagnostics: [] };
}

export async function runRun(io: CommandIO, words: string[], flags: RunFlags): Promise<number> {
  const { tasks, diagnostics: taskFileDiagnostics } = await readTasks(io, words, flags);
  const { openRunContext } = await import('../../project/open-run.js');
  const { UnknownProviderError } = await import('../../providers/errors.js');
  const { LearningConfigError } = await import('../../learn/options.js');
  const { formatLogEvent } = await import('../../providers/chain.js');
  let opened;
  try {
    opened = await openRunContext({
      root: io.cwd,
      env: io.env,
      needsRouter: tasks.some((task) => !task.agent && !task.alias),
      dryRun: flags.dryRun ?? false,
      chain: chainSpecFromFlags(flags),
      providerLog: (event) => {
        if (event.event !== 'provider-error') io.stderr(`codex-flow: ${formatLogEvent(event)}\n`);
      },
      ...(flags.config ? { configFile: flags.config } : {}),
      ...(flags.fleet ? { fleetDir: flags.fleet } : {}),
    });
  } catch (error) {
    if (error instanceof UnknownProviderError) throw new UsageError(`${error.message}; ${error.hint}`);
    if (error instanceof LearningConfigError) throw new UsageError(error.message);
    throw error;
  }
  const { init, chain } = opened;
  // What opening found (config, fleet, memory) is printed through the run's one redactor, like the run itself.
  const openedDiagnostics = opened.redactor.value([...taskFileDiagnostics, ...opened.diagnostics]);
  const skippedTasks = hasErrors(taskFileDiagnostics);
  if (!init || !chain) {
    if (flags.json) jsonOut(io, { ok: false, command: 'run', fleet: opened.fleetShown, diagnostics: openedDiagnostics });
    else printDiagnostics(io, openedDiagnostics, flags);
    return EXIT_FINDINGS;
  }
  const unconfigured = chain.members.filter((member) => !member.settings.configured);
  if (!flags.dryRun && unconfigured.length === chain.members.length) {
    await init.memory?.close();
    throw new UsageError(
      `no provider configured (${unconfigured.map((m) => `${m.id}: ${m.settings.missing}`).join('; ')})`,
      unconfiguredHint(unconfigured.map((m) => m.settings.missing!)),
    );
  }
  const named = tasks.length === 1 ? (tasks[0]!.alias ?? tasks[0]!.agent) : undefined;
  if (named !== undefined) {
    // A mistyped agent is a usage mistake: one line, exit 2, and no run record for a run that never was.
    const { AliasResolver } = await import('../../runner/aliases.js');
    const resolved = new AliasResolver(init.fleet, init.options).resolve(named);
    if (!resolved.ok) {
      await init.memory?.close();
      if (flags.json) jsonOut(io, { ok: false, command: 'run', diagnostics: [...openedDiagnostics, resolved.diagnostic] });
      else printDiagnostics(io, [...openedDiagnostics, resolved.diagnostic], flags);
      return EXIT_USAGE;
    }
  }
  const { Runner } = await import('../../runner/runner.js');
  const write = { stdout: flags.json ? io.stderr : io.stdout, stderr: io.stderr };
  try {
    const runner = await Runner.create({
      ...init,
      write,
      record: !flags.dryRun,
      strictTools: flags.strictTools ?? false,
      ...(flags.stream ? { onText: (_task, text) => write.stdout(text) } : {}),
    });
    if (flags.dryRun) {
      const { tierPlanSource } = await import('../../runner/tier-plan.js');
      const { plans, diagnostics } = await runner.plan(tasks, chain.ids, (model) => chain.modelsFor(model), tierPlanSource(chain));
      const all = [...openedDiagnostics, ...opened.redactor.value([...diagnostics, ...chain.modelDiagnostics()])];
      const { formatPlans } = await import('../../runner/plan.js');
      if (flags.json) jsonOut(io, { ok: !hasErrors(all), command: 'run', dry_run: true, plans, diagnostics: all });
      else {
        printDiagnostics(io, all, flags);
        if (plans.length > 0) io.stdout(formatPlans(plans));
      }
      return hasErrors(diagnostics) ? EXIT_USAGE : skippedTasks ? EXIT_FINDINGS : EXIT_OK;
    }
    const result = await runner.runTasks(tasks);
    chain.flush();
    const diagnostics = [
      ...openedDiagnostics,
      ...result.diagnostics,
      ...chain.modelDiagnostics(),
      ...budgetDiagnostics(chain.budget, result.tasks),
    ];
    const { formatRun } = await import('../../runner/format.js');
    if (flags.json) jsonOut(io, { command: 'run', ...result, ok: result.ok && !skippedTasks, diagnostics });
    else {
      printDiagnostics(io, diagnostics, flags);
      io.stdout(formatRun(result, { streamed: flags.stream ?? false }));
    }
    // A bug of ours ends as an internal error (bin/codex-flow.js: exit 70), once the run is recorded.
    if (runner.internalErrors.length > 0) throw runner.internalErrors[0];
    if (tasks.length === 1 && result.tasks[0]?.stop_reason === 'invalid') return EXIT_USAGE;
    return result.ok && !skippedTasks ? EXIT_OK : EXIT_FINDINGS;
  } finally {
    await init.memory?.close();
  }
}

/** The budget's word on the run: its warning threshold crossed (CF7020), tasks it stopped (CF7012). */
export function budgetDiagnostics(budget: Budget | undefined, tasks: ReadonlyArray<{ stop_reason: string }>): Diagnostic[] {
  if (!budget) return [];
  const out: Diagnostic[] = [];
  if (budget.warned) out.push(diagnostic('CF7020', budget.describe()));
  const stopped = tasks.filter((task) => task.stop_reason === 'budget').length;
  if (stopped > 0)
    out.push(diagnostic('CF7012', `${stopped} task(s) stopped by the budget of ${usd(budget.limitUsd)} (${usd(budget.spentUsd)} spent)`));
  return out;
}

export function register(program: Command, io: CommandIO, setExit: (code: number) => void): void {
  withProviderFlags(
    withCommonFlags(
      program
        .command('run [task...]')
        .description(
          'run agents on tasks: routed (--route), named (--agent/--alias) or from a file (--tasks), under per-alias limits and deny-by-default tools',
        )
        .option('--route <task>', 'route the task and run the top agent')
        .option('--route-files <paths...>', 'route by changed files (with or without a task text)')
        .option('--agent <id>', 'run this agent')
        .option('--alias <name>', 'run this alias (runner.aliases in the config)')
        .option('--tasks <file>', 'JSONL file of tasks ("-" reads stdin): {"task", "agent"?, "alias"?, "files"?, "prompt"?, "priority"?}')
        .option('--prompt <text>', 'extra context for the model')
        .option('--stream', 'print the model output as it arrives')
        .option('--strict-tools', 'a call to a tool outside the allow-list fails the task instead of being refused')
        .option('--dry-run', 'print the plan (agent, why, tools, providers, limits, hooks) and run nothing')
        .option('--fleet <dir>', `compiled fleet folder (default: compiler.out or ${DEFAULT_FLEET_DIR})`),
    ),
  ).action(async (words: string[], flags: RunFlags) => setExit(await runRun(io, words, flags)));
}

/**
 * What to do when no provider of the chain can be used. Each reason names one setting: a variable
 * that is not set asks to be set, any other (a base URL that is not a URL, a broken command
 * template) asks to be fixed. A key is never asked for when the key is not what is wrong.
 */
function unconfiguredHint(reasons: string[]): string {
  const unset = new Set<string>();
  const wrong = new Set<string>();
  for (const reason of reasons) {
    if (reason.endsWith(' is not set')) unset.add(reason.slice(0, -' is not set'.length));
    else wrong.add(/^[\w.]+/.exec(reason)?.[0] ?? reason);
  }
  if (wrong.size === 0) return `set ${[...unset].join(' or ')}, or pass --provider ollama`;
  const steps = [`fix ${[...wrong].join(' and ')}`, ...(unset.size > 0 ? [`set ${[...unset].join(' or ')}`] : [])];
  return `${steps.join(', or ')} (\`codex-flow providers\` shows why each provider cannot be used), or pass --provider with a configured one`;
}
