/**
 * `codex-flow stats [--agent ID] [--suggest] [--reset-tuning] [--compact] [--json]`: per-agent
 * scorecards (tasks, success rate, retries, latency p50/p95/p99, tool errors, trend), the learned
 * weights furthest from their priors, what shadow mode would have changed, suggested tuning, and
 * the tuning `learning.autotune: apply` made (its values and log), the hand-offs swarms recorded
 * (learn/handoffs.ts); `--reset-tuning` undoes the tuning and clears the hand-off tallies.
 */
import type { Command } from 'commander';
import { EXIT_FINDINGS, EXIT_OK, UsageError, type CommandIO } from '../io.js';
import { withCommonFlags, type CommonFlags } from '../options.js';
import { diagnostic, hasErrors, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { closest } from '../../util/closest.js';
import { jsonOut, printDiagnostics, reportFailure } from '../report.js';
import type { Scorecard, WeightChange } from '../../learn/scorecard.js';
import type { Suggestion, TunableAgent } from '../../learn/suggest.js';
import type { TuningChange } from '../../learn/tuning.js';
import type { LearnedState } from '../../learn/state.js';
import type { LoadedFleet } from '../../fleet/load.js';
import { learningOptionsFor } from '../learning-options.js';
import { DEFAULT_FLEET_DIR } from '../../fleet/complete-fleet.js';

interface StatsFlags extends CommonFlags {
  agent?: string;
  suggest?: boolean;
  compact?: boolean;
  fleet?: string;
  weights?: string;
  resetTuning?: boolean;
}

/** Tuning log entries shown: the newest, one screen. */
const TUNING_LOG_SHOWN = 10;

/** Learned weights listed by default: one screen. */
const DEFAULT_WEIGHTS_SHOWN = 10;

export async function runStats(io: CommandIO, flags: StatsFlags): Promise<number> {
  const shown = flags.weights === undefined ? DEFAULT_WEIGHTS_SHOWN : Number(flags.weights);
  if (!Number.isInteger(shown) || shown < 0) throw new UsageError('--weights needs an integer ≥ 0');
  const { loadConfig } = await import('../../config/config.js');
  const loaded = await loadConfig(io.cwd, flags.config);
  if (hasErrors(loaded.diagnostics)) return reportFailure(io, 'stats', loaded.diagnostics, flags);
  const diagnostics = [...loaded.diagnostics];
  const options = await learningOptionsFor(loaded.config.learning, io.env);
  const { projectFleetDir } = await import('../../project/fleet-dir.js');
  const { loadFleet } = await import('../../fleet/load.js');
  const { fleet } = loadFleet(projectFleetDir(io.cwd, loaded.config, flags.fleet).fleetDir);
  const [{ Learning }, { priorsFrom }, { scorecards, weightChanges }, { suggestTuning }, { readDecisions }] = await Promise.all([
    import('../../learn/learner.js'),
    import('../../learn/model.js'),
    import('../../learn/scorecard.js'),
    import('../../learn/suggest.js'),
    import('../../learn/decisions.js'),
  ]);
  const learning = new Learning(io.cwd, options);
  if (flags.compact) learning.compact();
  const tuningModule = await import('../../learn/tuning.js');
  let reset: TuningChange[] | undefined;
  if (flags.resetTuning) {
    const compiled = new Map((fleet?.index.agents ?? []).map((entry) => [entry.id, entry]));
    reset = await tuningModule.resetTuning(learning.dir, flags.agent, new Date(), (id) => compiled.get(id));
    if (reset === undefined) {
      diagnostics.push(diagnostic('CF5102', 'the tuning was not reset: the learning lock stayed busy'));
      return reportFailure(io, 'stats', diagnostics, flags);
    }
  }
  const { handoffStats, formatHandoffs } = await import('../handoff-stats.js');
  const handoffs = await handoffStats(learning.dir, flags.agent, flags.resetTuning === true, diagnostics);
  if (!handoffs) return reportFailure(io, 'stats', diagnostics, flags);
  const tuningRead = tuningModule.readTuning(learning.dir);
  if (tuningRead.problem) diagnostics.push(diagnostic('CF5103', `${tuningModule.TUNING_FILE}: ${tuningRead.problem}`));
  const tuning = {
    autotune: options.autotune,
    // Runs apply tuned values only under `autotune: apply` (project/open-run.ts); otherwise they are on file, unused.
    applied: options.autotune === 'apply' && options.mode !== 'off',
    tuned: Object.fromEntries(
      [...tuningModule.tunedSettings(tuningRead.data)].filter(([id]) => flags.agent === undefined || id === flags.agent),
    ),
    log: tuningRead.data.log.filter((entry) => flags.agent === undefined || entry.agent === flags.agent).slice(-TUNING_LOG_SHOWN),
    ...(reset ? { reset } : {}),
  };
  const briefs = new Map((fleet?.index.agents ?? []).map((a) => [a.id, a.hash]));
  const { state, diagnostics: loadDiagnostics } = learning.load(briefs);
  diagnostics.push(...loadDiagnostics);
  const priors = fleet ? priorsFrom(fleet.triggers) : new Map<string, number>();
  let cards = scorecards(state, priors, options.priorStrength, options.emaAlpha);
  if (flags.agent !== undefined) cards = cards.filter((c) => c.id === flags.agent);
  const weights = weightChanges(state, priors, options.priorStrength, shown, flags.agent);
  const decisions = [...readDecisions(learning.dir).byId.values()];
  const shadowed = decisions.filter((d) => d.shadow);
  const shadow = { decisions: shadowed.length, changed: shadowed.filter((d) => d.shadow!.learned !== d.shadow!.plain).length };
  const suggestions =
    flags.suggest && fleet && options.autotune !== 'off'
      ? suggestTuning(state, tunableAgents(fleet, state), options.emaAlpha).filter(
          (s) => flags.agent === undefined || s.agent === flags.agent,
        )
      : undefined;
  const fleetIds = (fleet?.index.agents ?? []).map((entry) => entry.id);
  const unknownAgent = flags.agent !== undefined && cards.length === 0 && !fleetIds.includes(flags.agent);
  if (unknownAgent) diagnostics.push(unknownAgentDiagnostic(flags.agent!, [...fleetIds, ...state.agents.keys()], fleet !== undefined));
  if (flags.json) {
    jsonOut(io, {
      ok: !unknownAgent,
      command: 'stats',
      outcomes: state.outcomes,
      agents: cards,
      weights,
      shadow,
      ...(suggestions ? { suggestions } : {}),
      tuning,
      handoffs,
      diagnostics,
    });
  } else {
    printDiagnostics(io, diagnostics, flags);
    if (flags.agent !== undefined && cards.length === 0) io.stdout(unknownAgent ? '' : `no outcomes recorded for ${flags.agent} yet\n`);
    else io.stdout(formatStats(state.outcomes, cards, weights, shadow, suggestions));
    io.stdout(formatTuning(tuning));
    io.stdout(formatHandoffs(handoffs));
  }
  return unknownAgent ? EXIT_FINDINGS : EXIT_OK;
}

/** Index rows with each brief's failure threshold, read only for agents with outcomes. */
function tunableAgents(fleet: LoadedFleet, state: LearnedState): TunableAgent[] {
  return fleet.index.agents.map((entry) => {
    if (!state.agents.has(entry.id)) return entry;
    const threshold = fleet.definition(entry.id)?.metrics?.thresholds?.failure_rate_pct;
    return threshold === undefined ? entry : { ...entry, failure_rate_pct: threshold };
  });
}

/** `--agent` naming an agent neither in the fleet nor in the outcome log: say so, with the likely id. */
function unknownAgentDiagnostic(agent: string, known: string[], haveFleet: boolean): Diagnostic {
  const guess = closest(agent, [...new Set(known)]);
  const where = haveFleet ? 'in the fleet or the outcome log' : 'in the outcome log (no compiled fleet found to check)';
  return diagnostic('CF6012', `no agent ${agent} ${where}`, undefined, guess ? { hint: `did you mean ${guess}?` } : {});
}

function formatStats(
  outcomes: number,
  cards: Scorecard[],
  weights: WeightChange[],
  shadow: { decisions: number; changed: number },
  suggestions: Suggestion[] | undefined,
): string {
  if (outcomes === 0) return 'no outcomes recorded yet: `codex-flow feedback <route-id> --ok|--fail` or `codex-flow run` record them\n';
  const ms = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(0)).padStart(7);
  const lines = [
    `${outcomes} outcome(s)`,
    '',
    `${'agent'.padEnd(32)} ${'tasks'.padStart(5)} ${'success'.padStart(8)} ${'retries'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'tool err'.padStart(8)}  trend  R prior → learned`,
  ];
  for (const c of cards) {
    lines.push(
      `${c.id.padEnd(32)} ${String(c.tasks).padStart(5)} ${`${(c.successRate * 100).toFixed(1)} %`.padStart(8)} ${c.retries.toFixed(2).padStart(7)} ${ms(c.latency?.p50)} ${ms(c.latency?.p95)} ${ms(c.latency?.p99)} ${String(c.toolErrors).padStart(8)}  ${c.trend.padEnd(5)}  ${c.prior.toFixed(3)} → ${c.learned.toFixed(3)}`,
    );
  }
  if (weights.length > 0) lines.push('', 'learned weights furthest from their priors (W[feature → agent], posterior mean):');
  for (const w of weights)
    lines.push(`  ${w.label} → ${w.agent}: ${w.prior.toFixed(3)} → ${w.learned.toFixed(3)} (${w.trials} outcome(s))`);
  if (shadow.decisions > 0)
    lines.push('', `shadow: learning would have changed ${shadow.changed} of ${shadow.decisions} recorded shadow decision(s)`);
  if (suggestions) {
    lines.push(
      '',
      suggestions.length === 0
        ? 'no tuning suggestions (needs 10+ tasks per agent)'
        : "suggested tuning (set it in the brief's codex: block or a runner alias override):",
    );
    for (const s of suggestions) lines.push(`  ${s.agent}: ${s.setting} ${s.current} → ${s.suggested} (${s.reason})`);
  }
  return `${lines.join('\n')}\n`;
}

function formatTuning(tuning: {
  autotune: string;
  applied: boolean;
  tuned: Record<string, { autonomy_level?: number; max_parallel_tasks?: number }>;
  log: TuningChange[];
  reset?: TuningChange[];
}): string {
  const lines: string[] = [];
  if (tuning.reset)
    lines.push(
      tuning.reset.length === 0
        ? 'tuning reset: nothing was tuned'
        : `tuning reset: ${tuning.reset.map((c) => `${c.agent} ${c.setting} ${c.from} → ${c.to}`).join(', ')} (the compiled values)`,
    );
  const tuned = Object.entries(tuning.tuned);
  if (tuned.length > 0) {
    lines.push(
      tuning.applied
        ? `tuned (learning.autotune: ${tuning.autotune}; \`stats --reset-tuning\` undoes it):`
        : `tuned values on file, not applied (learning.autotune: ${tuning.autotune}; runs use the compiled values; \`stats --reset-tuning\` clears them):`,
    );
    for (const [agent, values] of tuned)
      lines.push(
        `  ${agent}: ${Object.entries(values)
          .map(([setting, value]) => `${setting} ${value}`)
          .join(', ')}`,
      );
  }
  if (tuning.log.length > 0) lines.push('tuning log (newest last):');
  for (const c of tuning.log) lines.push(`  ${c.at} ${c.agent}: ${c.setting} ${c.from} → ${c.to} (${c.reason})`);
  return lines.length === 0 ? '' : `\n${lines.join('\n')}\n`;
}

export function register(program: Command, io: CommandIO, setExit: (code: number) => void): void {
  withCommonFlags(
    program
      .command('stats')
      .description('per-agent scorecards from recorded outcomes, learned routing weights, tuning suggestions')
      .option('--agent <id>', 'only this agent')
      .option('--suggest', 'suggest autonomy_level and max_parallel_tasks from failures and latency')
      .option('--reset-tuning', 'undo what learning.autotune: apply changed and clear the hand-off tallies (every agent, or --agent)')
      .option('--weights <n>', `learned weights to list (default ${DEFAULT_WEIGHTS_SHOWN})`)
      .option('--compact', 'fold the outcome log into .codex-flow/learned-state.json first')
      .option('--fleet <dir>', `compiled fleet folder (default: compiler.out or ${DEFAULT_FLEET_DIR})`),
  ).action(async (flags: StatsFlags) => setExit(await runStats(io, flags)));
}
