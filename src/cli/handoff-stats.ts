/**
 * `stats`' hand-off section: per pair of agents, the hand-offs recorded (learn/handoffs.ts), how
 * many did better, as well as or worse than the receiving agent's baseline, the time they saved,
 * and how far they move the delegation prior. `--reset-tuning` clears them with the tuning.
 *
 * @example const view = await handoffStats(learning.dir, flags.agent, flags.resetTuning === true, diagnostics);
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { handoffReinforcement } from '../learn/delegation.js';
import { HANDOFFS_FILE, readHandoffs, resetHandoffs } from '../learn/handoffs.js';

export interface HandoffRow {
  from: string;
  to: string;
  handoffs: number;
  better: number;
  equal: number;
  worse: number;
  saved_ms: number;
  /** What the tallies add to the pair's delegation prior. */
  reinforcement: number;
}

export interface HandoffStats {
  pairs: HandoffRow[];
  /** Pairs cleared by `--reset-tuning`. */
  reset?: number;
}

/** Undefined when the reset could not take the learning lock (a CF5102 error is added). */
export async function handoffStats(
  dir: string,
  agent: string | undefined,
  reset: boolean,
  diagnostics: Diagnostic[],
): Promise<HandoffStats | undefined> {
  let cleared: number | undefined;
  if (reset) {
    cleared = await resetHandoffs(dir, agent);
    if (cleared === undefined) {
      diagnostics.push(diagnostic('CF5102', 'the hand-off tallies were not reset: the learning lock stayed busy'));
      return undefined;
    }
  }
  const read = readHandoffs(dir);
  if (read.problem) diagnostics.push(diagnostic('CF6721', `${HANDOFFS_FILE}: ${read.problem}`));
  const pairs = Object.entries(read.data.pairs)
    .map(([key, tally]) => {
      const [from, to] = key.split(' → ') as [string, string];
      return { from, to, ...tally, reinforcement: Math.round(handoffReinforcement(tally) * 1000) / 1000 };
    })
    .filter((row) => agent === undefined || row.from === agent || row.to === agent)
    .sort((a, b) => b.handoffs - a.handoffs || (a.from + a.to < b.from + b.to ? -1 : 1));
  return { pairs, ...(cleared !== undefined ? { reset: cleared } : {}) };
}

export function formatHandoffs(stats: HandoffStats): string {
  const lines: string[] = [];
  if (stats.reset !== undefined) lines.push(`hand-offs reset: ${stats.reset} pair(s) cleared`);
  if (stats.pairs.length > 0) lines.push('hand-offs (vs the receiving agent’s baseline; `stats --reset-tuning` clears them):');
  for (const row of stats.pairs) {
    const sign = row.reinforcement >= 0 ? '+' : '−';
    lines.push(
      `  ${row.from} → ${row.to}: ${row.handoffs} hand-off(s), ${row.better} better / ${row.equal} equal / ${row.worse} worse, ` +
        `${row.saved_ms >= 0 ? 'saved' : 'lost'} ${Math.abs(row.saved_ms)} ms; prior ${sign}${Math.abs(row.reinforcement).toFixed(3)}`,
    );
  }
  return lines.length === 0 ? '' : `\n${lines.join('\n')}\n`;
}
