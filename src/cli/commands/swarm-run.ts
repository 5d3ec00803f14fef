/**
 * The running half of `codex-flow swarm`: a planned swarm, or `--resume <swarm-id>`. Shows the
 * plan, runs it (src/swarm/swarm.ts), prints the report (Markdown for people, the report object
 * with `--json`) and where it was written. Exit 0 when every subtask completed, 1 otherwise; a
 * bug in codex-flow is rethrown once the report is written, so the launcher exits 70.
 */
import { EXIT_FINDINGS, EXIT_OK, UsageError, type CommandIO } from '../io.js';
import { jsonOut, printDiagnostics } from '../report.js';
import { diagnostic, hasErrors, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { onStopSignal } from '../../util/stop-signal.js';
import { swarmRunInput, type SwarmContext } from '../../project/open-swarm.js';
import type { SwarmOptions } from '../../swarm/options.js';
import type { RoutedPlan } from '../../swarm/plan.js';
import type { SwarmResult, SwarmRunInput } from '../../swarm/swarm.js';
import type { SwarmEvent } from '../../swarm/event-log.js';
import { eventLine } from '../../swarm/format-events.js';
import { planReviser } from '../../swarm/revise-plan.js';
import { LiveView } from '../../swarm/live-view.js';
import type { SwarmFlags } from './swarm.js';

export function requireProvider(context: SwarmContext): void {
  const unconfigured = context.chain.members.filter((member) => !member.settings.configured);
  if (unconfigured.length === context.chain.members.length) {
    throw new UsageError(
      `no provider configured (${unconfigured.map((m) => `${m.id}: ${m.settings.missing}`).join('; ')}); set a key such as OPENAI_API_KEY or ANTHROPIC_API_KEY, or pass --provider ollama (--dry-run plans without one)`,
    );
  }
}

/**
 * Progress on stderr: the live tree on a terminal, else (or with --json, where stderr is a log)
 * one line per event. `close` draws the tree's last frame.
 */
function progress(
  io: CommandIO,
  flags: SwarmFlags,
  plan: RoutedPlan,
  completed: Iterable<string> = [],
): { onEvent?: (event: SwarmEvent) => void; close: () => void } {
  if (flags.json) return { close: () => undefined };
  if (io.stderrIsTTY) {
    const view = new LiveView(plan, io.stderr, { completed, width: process.stderr.columns || 120 });
    return { onEvent: (event) => view.onEvent(event), close: () => view.close() };
  }
  return {
    onEvent: (event) => {
      const line = eventLine(event);
      if (line) io.stderr(`${line}\n`);
    },
    close: () => undefined,
  };
}

function runInput(
  io: CommandIO,
  context: SwarmContext,
  options: SwarmOptions,
  flags: SwarmFlags,
  shown: { onEvent?: (event: SwarmEvent) => void },
): SwarmRunInput {
  const write = { stdout: flags.json ? io.stderr : io.stdout, stderr: io.stderr };
  return {
    ...swarmRunInput(context, options, { write, strictTools: flags.strictTools ?? false, followUps: flags.followUps !== false }),
    // The planner that revises is the one that planned: the llm decomposer when asked for (and a goal was planned), else the heuristic.
    ...(flags.revisePlan
      ? {
          revise: planReviser({
            route: context.route,
            maxSubtasks: options.maxSubtasks,
            ...(flags.decomposer === 'llm' && flags.plan === undefined ? { llm: { model: context.chain, agents: context.agents() } } : {}),
          }),
        }
      : {}),
    ...(shown.onEvent ? { onEvent: shown.onEvent } : {}),
  };
}

export async function runSwarmCommand(
  io: CommandIO,
  context: SwarmContext,
  plan: RoutedPlan,
  options: SwarmOptions,
  flags: SwarmFlags,
  planDiagnostics: Diagnostic[],
): Promise<number> {
  requireProvider(context);
  if (!flags.json) {
    const { formatPlanTree } = await import('../../swarm/format-plan.js');
    printDiagnostics(io, planDiagnostics, flags);
    io.stdout(formatPlanTree(plan));
  }
  const { runSwarm } = await import('../../swarm/swarm.js');
  const shown = progress(io, flags, plan);
  const result = await unlessBusy(
    io,
    flags,
    untilInterrupted(io, (signal) => runSwarm(plan, { ...runInput(io, context, options, flags, shown), signal })).finally(shown.close),
  );
  return typeof result === 'number' ? result : finish(io, context, result, flags, flags.json ? planDiagnostics : []);
}

export async function resumeSwarmCommand(
  io: CommandIO,
  context: SwarmContext,
  swarmId: string,
  options: SwarmOptions,
  flags: SwarmFlags,
): Promise<number> {
  const { readSwarmState } = await import('../../swarm/resume.js');
  const { continueSwarm, runsDirOf } = await import('../../swarm/swarm.js');
  const state = readSwarmState(runsDirOf(context.init), swarmId, context.init.options.runsDir);
  if (!state.plan || hasErrors(state.diagnostics)) {
    if (flags.json) jsonOut(io, { ok: false, command: 'swarm', swarm_id: swarmId, diagnostics: state.diagnostics });
    else printDiagnostics(io, state.diagnostics, flags);
    return EXIT_FINDINGS;
  }
  requireProvider(context);
  const left = state.plan.subtasks.length - state.completed.size;
  if (!flags.json) {
    printDiagnostics(io, state.diagnostics, flags);
    const kept =
      state.recorded.size > 0 ? ` (${state.recorded.size} of them with their work's result already recorded: not run again)` : '';
    io.stdout(`resuming swarm ${swarmId}: ${state.completed.size} subtask(s) completed earlier are kept, ${left} to run${kept}\n`);
  }
  const shown = progress(io, flags, state.plan, state.completed.keys());
  const result = await unlessBusy(
    io,
    flags,
    untilInterrupted(io, (signal) =>
      continueSwarm(state.plan!, swarmId, state.completed, state.attempts + 1, {
        ...runInput(io, context, options, flags, shown),
        signal,
        recorded: state.recorded,
      }),
    ).finally(shown.close),
  );
  return typeof result === 'number' ? result : finish(io, context, result, flags, flags.json ? state.diagnostics : []);
}

/** `--replay <id>`: the plan, the run as its log tells it, and the last report; runs nothing. */
export async function replaySwarmCommand(
  io: CommandIO,
  runsDir: string,
  shownRunsDir: string,
  swarmId: string,
  flags: SwarmFlags,
): Promise<number> {
  const { readSwarmState } = await import('../../swarm/resume.js');
  const { readSwarmLog } = await import('../../swarm/event-log.js');
  const { replayLines } = await import('../../swarm/format-events.js');
  const { formatPlanTree } = await import('../../swarm/format-plan.js');
  const { join } = await import('node:path');
  const { existsSync, readFileSync } = await import('node:fs');
  const state = readSwarmState(runsDir, swarmId, shownRunsDir);
  if (!state.plan) {
    if (flags.json) jsonOut(io, { ok: false, command: 'swarm', swarm_id: swarmId, diagnostics: state.diagnostics });
    else printDiagnostics(io, state.diagnostics, flags);
    return EXIT_FINDINGS;
  }
  const { events } = readSwarmLog(join(runsDir, swarmId));
  const reportFile = join(runsDir, swarmId, 'report.json');
  let report: { ok: boolean } | undefined;
  if (existsSync(reportFile)) {
    try {
      report = JSON.parse(readFileSync(reportFile, 'utf8')) as { ok: boolean };
    } catch (error) {
      state.diagnostics.push(
        diagnostic('CF8119', `${shownRunsDir}/${swarmId}/report.json is not JSON (${(error as Error).message})`, {
          file: `${shownRunsDir}/${swarmId}/report.json`,
          line: 1,
          column: 1,
        }),
      );
    }
  }
  if (flags.json)
    jsonOut(io, {
      ok: report?.ok ?? false,
      command: 'swarm',
      replay: true,
      swarm_id: swarmId,
      plan: state.plan,
      events,
      ...(report ? { report } : {}),
      diagnostics: state.diagnostics,
    });
  else {
    printDiagnostics(io, state.diagnostics, flags);
    const markdown = join(runsDir, swarmId, 'report.md');
    io.stdout(
      `${formatPlanTree(state.plan)}\n${replayLines(events)}${existsSync(markdown) ? `\n${readFileSync(markdown, 'utf8')}` : '\nno report yet: the swarm did not finish an attempt\n'}`,
    );
  }
  return EXIT_OK;
}

/** A swarm folder another live process holds (CF8120) is refused with the diagnostic, exit 1. */
async function unlessBusy(io: CommandIO, flags: SwarmFlags, running: Promise<SwarmResult>): Promise<SwarmResult | number> {
  const { SwarmBusyError } = await import('../../swarm/swarm.js');
  try {
    return await running;
  } catch (error) {
    if (!(error instanceof SwarmBusyError)) throw error;
    if (flags.json) jsonOut(io, { ok: false, command: 'swarm', diagnostics: [error.diagnostic] });
    else printDiagnostics(io, [error.diagnostic], flags);
    return EXIT_FINDINGS;
  }
}

/**
 * Ctrl-C stops new work: no subtask starts after it, running ones end (within their timeout_ms),
 * the report is written and the log stays resumable. The handler is removed after the first
 * Ctrl-C, so a second one ends the process at once.
 */
async function untilInterrupted<T>(io: CommandIO, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const stop = new AbortController();
  const dispose = onStopSignal(['SIGINT'], () => {
    if (stop.signal.aborted) {
      // The second Ctrl-C: without our listener the signal ends the process, as it would anywhere.
      dispose();
      process.kill(process.pid, 'SIGINT');
      return;
    }
    stop.abort();
    io.stderr('codex-flow: stopping: no new subtask starts; running ones finish (Ctrl-C again quits at once)\n');
  });
  try {
    return await run(stop.signal);
  } finally {
    dispose();
  }
}

async function finish(
  io: CommandIO,
  context: SwarmContext,
  result: SwarmResult,
  flags: SwarmFlags,
  earlier: Diagnostic[],
): Promise<number> {
  context.chain.flush();
  const { budgetDiagnostics } = await import('./run.js');
  const stopped = result.report.subtasks.map((subtask) => ({ stop_reason: subtask.stop_reason ?? '' }));
  const diagnostics = [
    ...earlier,
    ...result.diagnostics,
    ...context.chain.modelDiagnostics(),
    ...budgetDiagnostics(context.chain.budget, stopped),
  ];
  if (flags.json) jsonOut(io, { command: 'swarm', ...result.report, dir: result.dir, diagnostics });
  else {
    const { formatReportMarkdown } = await import('../../swarm/report.js');
    printDiagnostics(io, diagnostics, flags);
    io.stdout(
      `\n${formatReportMarkdown(result.report)}\nreport: ${result.dir}/report.md (and report.json)${result.report.ok ? '' : `; after a fix: codex-flow swarm --resume ${result.report.swarm_id}`}\n`,
    );
  }
  if (result.internalErrors.length > 0) throw result.internalErrors[0];
  return result.report.ok ? EXIT_OK : EXIT_FINDINGS;
}
