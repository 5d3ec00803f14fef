/**
 * `codex-flow feedback <route-id> --ok | --fail [--agent ID] [--latency-ms N] [--retries N]
 * [--tool-errors N] [--json]`: records the outcome of a routed task, the same record `run` writes,
 * so the learner updates R(agent) and W[trigger → agent] for that decision's context.
 */
import type { Command } from 'commander';
import { closest } from '../../util/closest.js';
import { diagnostic, hasErrors, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError, type CommandIO } from '../io.js';
import { withCommonFlags, type CommonFlags } from '../options.js';
import { jsonOut, printDiagnostics, reportFailure } from '../report.js';
import { learningOptionsFor } from '../learning-options.js';
import { DEFAULT_FLEET_DIR } from '../../fleet/complete-fleet.js';

interface FeedbackFlags extends CommonFlags {
  ok?: boolean;
  fail?: boolean;
  agent?: string;
  latencyMs?: string;
  retries?: string;
  toolErrors?: string;
  costUsd?: string;
  review?: string;
  fleet?: string;
}

export { LATENCY_NOT_MEASURED } from '../../learn/options.js';
import { LATENCY_NOT_MEASURED } from '../../learn/options.js';

export async function runFeedback(io: CommandIO, routeId: string, flags: FeedbackFlags, now = new Date()): Promise<number> {
  if (flags.ok === flags.fail) throw new UsageError('give exactly one of --ok or --fail');
  const count = (value: string | undefined, name: string, fallback: number): number => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new UsageError(`${name} needs a number ≥ 0`);
    return n;
  };
  const latency = count(flags.latencyMs, '--latency-ms', LATENCY_NOT_MEASURED);
  const retries = count(flags.retries, '--retries', 0);
  const toolErrors = count(flags.toolErrors, '--tool-errors', 0);
  const costUsd = flags.costUsd === undefined ? undefined : count(flags.costUsd, '--cost-usd', 0);
  const { REVIEW_VERDICTS } = await import('../../learn/reward.js');
  if (flags.review !== undefined && !(REVIEW_VERDICTS as readonly string[]).includes(flags.review))
    throw new UsageError(`--review needs one of ${REVIEW_VERDICTS.join(', ')}`);
  const review = flags.review as import('../../learn/reward.js').ReviewVerdict | undefined;
  const { loadConfig } = await import('../../config/config.js');
  const loaded = await loadConfig(io.cwd, flags.config);
  if (hasErrors(loaded.diagnostics)) return reportFailure(io, 'feedback', loaded.diagnostics, flags, { route_id: routeId });
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  const options = await learningOptionsFor(loaded.config.learning, io.env);
  const { Learning } = await import('../../learn/learner.js');
  const learning = new Learning(io.cwd, options);
  const decision = learning.decision(routeId);
  if (flags.agent !== undefined) checkAgent(flags.agent, await fleetAgents(io, flags, loaded.config.compiler), decision?.candidates ?? []);
  const agent = flags.agent ?? decision?.chosen ?? undefined;
  if (!decision) {
    const severity = agent === undefined ? 'error' : 'warning';
    const then = agent === undefined ? '' : `; recorded for ${agent} without the decision's context`;
    diagnostics.push(diagnostic('CF6603', `no recorded route decision ${routeId}${then}`, undefined, { severity }));
  }
  if (agent === undefined) {
    if (flags.json) jsonOut(io, { ok: false, command: 'feedback', route_id: routeId, diagnostics });
    else printDiagnostics(io, diagnostics, flags);
    return EXIT_FINDINGS;
  }
  const outcome = {
    route_id: routeId,
    agent,
    alias: agent,
    ok: flags.ok === true,
    latency_ms: latency,
    retries,
    tool_errors: toolErrors,
    stop_reason: 'feedback',
    task_hash: routeId,
    at: now.toISOString(),
    ...(costUsd === undefined ? {} : { cost_usd: costUsd }),
    ...(review === undefined ? {} : { review }),
  };
  // The reward normalises latency and cost by the agent's workload tier: read it only when there is something to normalise.
  const workload = latency >= 0 || costUsd !== undefined ? await agentWorkload(io, flags, loaded.config.compiler, agent) : undefined;
  const recorded = learning.recordVerdict(outcome, workload);
  if (!('stored' in recorded)) {
    const { verdictDiagnostic } = await import('../../learn/verdicts.js');
    diagnostics.push(verdictDiagnostic(recorded.first, recorded.same));
    if (flags.json)
      jsonOut(io, { ok: recorded.same, command: 'feedback', route_id: routeId, recorded: false, verdict: recorded.first, diagnostics });
    else printDiagnostics(io, diagnostics, flags);
    return recorded.same ? EXIT_OK : EXIT_FINDINGS;
  }
  const stored = recorded.stored;
  const context = stored.context?.length ?? 0;
  if (flags.json) {
    jsonOut(io, {
      ok: true,
      command: 'feedback',
      recorded: true,
      outcome,
      reward: stored.reward ?? (outcome.ok ? 1 : 0),
      context_features: context,
      diagnostics,
    });
  } else {
    printDiagnostics(io, diagnostics, flags);
    const reward = stored.reward === undefined ? '' : `, reward ${stored.reward.toFixed(3)}`;
    io.stdout(
      `recorded ${outcome.ok ? 'success' : 'failure'} of ${agent} for ${routeId}${context > 0 ? ` (${context} context feature(s)${reward})` : reward ? ` (${reward.slice(2)})` : ''}\n`,
    );
  }
  return EXIT_OK;
}

/** The agent's workload tier from the compiled fleet, or undefined without a fleet or the agent. */
async function agentWorkload(
  io: CommandIO,
  flags: FeedbackFlags,
  compiler: unknown,
  agent: string,
): Promise<import('../../fleet/workload.js').Workload | undefined> {
  const [{ projectFleetDir }, { loadFleet }, { definitionWorkload }] = await Promise.all([
    import('../../project/fleet-dir.js'),
    import('../../fleet/load.js'),
    import('../../fleet/workload.js'),
  ]);
  const definition = loadFleet(projectFleetDir(io.cwd, { compiler }, flags.fleet).fleetDir).fleet?.definition(agent);
  return definition ? definitionWorkload(definition) : undefined;
}

/** The agent ids of the compiled fleet, or undefined when there is none to check against. */
async function fleetAgents(io: CommandIO, flags: FeedbackFlags, compiler: unknown): Promise<string[] | undefined> {
  const { projectFleetDir } = await import('../../project/fleet-dir.js');
  const { loadFleet } = await import('../../fleet/load.js');
  const { fleet } = loadFleet(projectFleetDir(io.cwd, { compiler }, flags.fleet).fleetDir);
  return fleet?.index.agents.map((entry) => entry.id);
}

/**
 * An outcome teaches the learner about one agent: an id that is neither in the fleet nor among the
 * decision's candidates (a typo, a person's name) would create a scorecard for an agent that does
 * not exist, so it is refused before anything is written.
 */
function checkAgent(agent: string, fleet: string[] | undefined, candidates: readonly string[]): void {
  if (candidates.includes(agent) || fleet?.includes(agent)) return;
  const known = [...new Set([...(fleet ?? []), ...candidates])];
  const guess = closest(agent, known);
  const where = fleet ? 'not in the fleet' : "not among the decision's candidates, and there is no compiled fleet to check it against";
  throw new UsageError(
    `--agent ${agent}: ${where}; nothing recorded`,
    guess
      ? `did you mean ${guess}?`
      : fleet
        ? 'use an id from codex/agents/index.json (`codex-flow route --json` lists candidates)'
        : 'run `codex-flow convert`, or pass --fleet <dir>',
  );
}

export function register(program: Command, io: CommandIO, setExit: (code: number) => void): void {
  withCommonFlags(
    program
      .command('feedback <route-id>')
      .description('record how a routed task went (--ok or --fail); the router learns from it')
      .option('--ok', 'the agent handled it')
      .option('--fail', 'the agent did not')
      .option('--agent <id>', 'the agent that handled it (default: the one the route chose)')
      .option('--latency-ms <n>', 'how long it took')
      .option('--retries <n>', 'retries needed')
      .option('--tool-errors <n>', 'tool calls that failed')
      .option('--cost-usd <n>', 'what the task cost (USD); with --latency-ms it lowers the reward of a success (learning.reward)')
      .option('--review <verdict>', "a reviewer's verdict: approved, changes-requested or rejected")
      .option('--fleet <dir>', `compiled fleet folder, to check --agent (default: compiler.out or ${DEFAULT_FLEET_DIR})`),
  ).action(async (routeId: string, flags: FeedbackFlags) => setExit(await runFeedback(io, routeId, flags)));
}
