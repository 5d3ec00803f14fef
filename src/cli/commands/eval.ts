/**
 * `codex-flow eval labels.jsonl [--min-top1 0.7] [--json]`: route every labeled request and report
 * top-1, top-3, MRR, per-agent confusion and the misses. Exit 1 below `--min-top1` (CI gate), and
 * when a line of the labels file could not be used (reported with its line; the other lines are
 * still scored, so one typo does not hide the report, but a set that silently shrank never passes).
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { Command } from 'commander';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError, unreadableInput, type CommandIO } from '../io.js';
import { jsonOut, printDiagnostics } from '../report.js';
import { openRouter, withRouterFlags, type RouterFlags } from './route.js';
import type { Label } from '../../router/eval.js';
import type { LearningCurve } from '../../learn/learning-curve.js';
import type { RewardSimResult } from '../../learn/simulate-reward.js';
import { learningOptionsFor } from '../learning-options.js';

interface EvalFlags extends RouterFlags {
  minTop1?: string;
  misses?: string;
  /** The learning curve (src/learn/learning-curve.ts): k folds, feedback from the training folds. */
  learn?: boolean;
  folds?: string;
  repeats?: string;
}

export async function runEval(io: CommandIO, file: string, flags: EvalFlags): Promise<number> {
  const minTop1 = flags.minTop1 === undefined ? undefined : Number(flags.minTop1);
  if (minTop1 !== undefined && !(minTop1 >= 0 && minTop1 <= 1)) throw new UsageError('--min-top1 needs a number from 0 to 1');
  let text: string;
  try {
    text = await readFile(isAbsolute(file) ? file : join(io.invocationDir ?? io.cwd, file), 'utf8');
  } catch (error) {
    throw unreadableInput('the labels file', file, error);
  }
  const { parseLabels, evaluate } = await import('../../router/eval.js');
  const { labels, diagnostics } = parseLabels(text, file);
  const skipped = diagnostics.filter((d) => d.severity === 'error').length;
  const opened = await openRouter(io, flags);
  diagnostics.push(...opened.diagnostics);
  if (!opened.router) {
    if (flags.json) jsonOut(io, { ok: false, command: 'eval', fleet: opened.fleetShown, diagnostics });
    else printDiagnostics(io, diagnostics, flags);
    return EXIT_FINDINGS;
  }
  const known = new Set(opened.router.agents);
  for (const label of labels) {
    const unknown = label.expected.filter((id) => !known.has(id));
    if (unknown.length > 0)
      diagnostics.push(diagnostic('CF6011', `expected ${unknown.join(', ')} not in the fleet`, { file, line: label.line, column: 1 }));
  }
  if (opened.embeddings) {
    // Evaluation is synchronous, so every request's vector is fetched up front; after a provider
    // failure no further calls are made (the rest is scored on words alone, and the report says so).
    let problem: Awaited<ReturnType<typeof opened.router.prepare>>;
    for (const label of labels) if ((problem = await opened.router.prepare({ task: label.task, files: label.files }))) break;
    diagnostics.push(...opened.embeddings.settle(problem));
  }
  const embeddings = opened.embeddings?.report();
  const report = evaluate(opened.router, labels);
  const passed = (minTop1 === undefined || report.top1 >= minTop1) && skipped === 0;
  const curve = flags.learn ? await learningCurveOf(io, opened, labels, flags) : undefined;
  const shift = flags.learn ? await trafficShift() : undefined;
  if (flags.json) {
    jsonOut(io, {
      ok: passed,
      command: 'eval',
      fleet: opened.fleetShown,
      labels: file,
      report,
      ...(embeddings ? { embeddings } : {}),
      ...(curve ? { learning_curve: curve } : {}),
      ...(shift ? { traffic_shift: shift } : {}),
      diagnostics,
    });
  } else {
    printDiagnostics(io, diagnostics, flags);
    const { formatEval } = await import('../../router/format.js');
    io.stdout(formatEval(report, flags.misses === undefined ? 50 : Number(flags.misses)));
    if (curve) io.stdout(formatCurve(curve));
    if (shift) io.stdout(formatShift(shift));
    if (skipped > 0) io.stdout(`${skipped} line(s) of ${file} could not be used (above); the report covers the other ${report.total}\n`);
    if (minTop1 !== undefined && report.top1 < minTop1) io.stdout(`top-1 ${report.top1} is below --min-top1 ${minTop1}\n`);
  }
  return passed ? EXIT_OK : EXIT_FINDINGS;
}

async function learningCurveOf(
  io: CommandIO,
  opened: Awaited<ReturnType<typeof openRouter>>,
  labels: Label[],
  flags: EvalFlags,
): Promise<LearningCurve> {
  const whole = (value: string | undefined, name: string, min: number): number | undefined => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`${name} needs an integer ≥ ${min}`);
    return n;
  };
  const folds = whole(flags.folds, '--folds', 2);
  const repeats = whole(flags.repeats, '--repeats', 1);
  const [{ learningCurve }, { priorsFrom }, options] = await Promise.all([
    import('../../learn/learning-curve.js'),
    import('../../learn/model.js'),
    learningOptionsFor(opened.learningConfig, io.env),
  ]);
  const build = opened.build!;
  return learningCurve((learned) => build(learned, options.rewardWeight), labels, priorsFrom(opened.fleet!.triggers), {
    priorStrength: options.priorStrength,
    ...(folds === undefined ? {} : { folds }),
    ...(repeats === undefined ? {} : { repeats }),
  });
}

/** The reward simulation's seed and length for `eval --learn`: fixed, so the figures match docs/learning.md. */
const SHIFT_SEED = 7;
const SHIFT_TASKS = 2000;

interface TrafficShift {
  seed: number;
  tasks: number;
  agents: Array<{
    agent: string;
    success: number;
    latency_ms: number;
    cost_usd: number;
    first: number;
    last: number;
    success_only_last: number;
  }>;
  reward: Pick<RewardSimResult, 'regret' | 'costUsd' | 'meanLatencyMs' | 'successes'>;
  success_only: Pick<RewardSimResult, 'regret' | 'costUsd' | 'meanLatencyMs' | 'successes'>;
}

/**
 * How the loop moves traffic (src/learn/simulate-reward.ts): agents of equal success, one fast and
 * cheap, routed by Thompson sampling through the shipped model, learning from the reward and, for
 * comparison, from success alone. The report gives each agent's share of the first and last 100 tasks.
 */
async function trafficShift(): Promise<TrafficShift> {
  const { simulateReward, REWARD_WORLD } = await import('../../learn/simulate-reward.js');
  const reward = simulateReward({ tasks: SHIFT_TASKS, seed: SHIFT_SEED, learnFrom: 'reward' });
  const successOnly = simulateReward({ tasks: SHIFT_TASKS, seed: SHIFT_SEED, learnFrom: 'success' });
  const totals = ({ regret, costUsd, meanLatencyMs, successes }: RewardSimResult) => ({ regret, costUsd, meanLatencyMs, successes });
  return {
    seed: SHIFT_SEED,
    tasks: SHIFT_TASKS,
    agents: reward.shares.map((share, index) => ({
      agent: share.agent,
      success: REWARD_WORLD[index]!.success,
      latency_ms: REWARD_WORLD[index]!.latencyMs,
      cost_usd: REWARD_WORLD[index]!.costUsd,
      first: share.first,
      last: share.last,
      success_only_last: successOnly.shares[index]!.last,
    })),
    reward: totals(reward),
    success_only: totals(successOnly),
  };
}

function formatShift(shift: TrafficShift): string {
  const pct = (value: number) => `${(value * 100).toFixed(0)} %`.padStart(5);
  const lines = ['', `traffic shift (reward simulation, seed ${shift.seed}, ${shift.tasks} tasks; share of the first → last 100 tasks):`];
  for (const a of shift.agents)
    lines.push(
      `  ${a.agent}  success ${pct(a.success)}  ${(a.latency_ms / 1000).toFixed(0).padStart(3)} s  $${a.cost_usd.toFixed(3)}   ${pct(a.first)} → ${pct(a.last)}   (success-only loop: ${pct(a.success_only_last).trim()})`,
    );
  const totals = (t: TrafficShift['reward']) =>
    `regret ${t.regret.toFixed(1)}, spent $${t.costUsd.toFixed(2)}, mean latency ${(t.meanLatencyMs / 1000).toFixed(1)} s, ${t.successes} successes`;
  lines.push(`  reward:       ${totals(shift.reward)}`, `  success-only: ${totals(shift.success_only)}`);
  return `${lines.join('\n')}\n`;
}

function formatCurve(curve: LearningCurve): string {
  const pct = (value: number) => `${(value * 100).toFixed(1)} %`.padStart(7);
  const lines = [
    '',
    `learning curve (${curve.folds} folds × ${curve.repeats} shuffles: feedback from the training folds, scored on the held-out fold):`,
  ];
  for (const p of curve.points) {
    const seen =
      p.seenTop1 === null || p.seenBaseline === null
        ? ''
        : `   | fed back, routed again: top-1 ${pct(p.seenBaseline)} → ${pct(p.seenTop1)}`;
    lines.push(
      `  ${`${Math.round(p.fraction * 100)} %`.padStart(5)} of the feedback (${String(p.feedback).padStart(4)} requests): held-out top-1 ${pct(p.top1)}  top-3 ${pct(p.top3)}  MRR ${p.mrr.toFixed(3)}${seen}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function register(program: Command, io: CommandIO, setExit: (code: number) => void): void {
  withRouterFlags(
    program
      .command('eval <labels>')
      .description('judge routing on labeled requests (JSONL: {"task", "files"?, "expected"}): top-1, top-3, MRR, confusion, misses')
      .option('--min-top1 <ratio>', 'exit 1 when top-1 accuracy is below this (0–1)')
      .option('--misses <n>', 'misses to print (default 50)')
      .option('--learn', 'replay the labels as feedback in k folds and print the learning curve (0, 10, 25, 50, 100 % of the feedback)')
      .option('--folds <k>', 'folds for --learn (default 5)')
      .option('--repeats <n>', 'shuffles averaged by --learn (default 3)'),
  ).action(async (file: string, flags: EvalFlags) => setExit(await runEval(io, file, flags)));
}
