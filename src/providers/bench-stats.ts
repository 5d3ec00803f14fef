/**
 * A provider's bench runs summarised: nearest-rank p50/p95 of time to first token, latency and
 * output rate over the successful runs, mean tokens, total cost, errors by kind. Nearest rank
 * (rather than interpolation) means every number reported is one that was measured.
 *
 * @example
 * summarize('openai', 'gpt-4.1-mini', runs, undefined).latencyMs // { p50: 812, p95: 1490 }
 */
import type { BenchRun } from './bench.js';

export interface Percentiles {
  p50: number;
  p95: number;
}

export interface BenchSummary {
  provider: string;
  model: string;
  skipped?: string;
  runs: number;
  ok: number;
  errors: number;
  errorKinds: Record<string, number>;
  ttftMs: Percentiles | null;
  latencyMs: Percentiles | null;
  tokensPerSecond: Percentiles | null;
  /** Means over successful runs. */
  tokens: { input: number; output: number; cached: number };
  costUsd: number | null;
  costPerRunUsd: number | null;
}

/** The summary of one provider's runs; `skipped` when it was never called. */
export function summarize(provider: string, model: string, runs: BenchRun[], skipped: string | undefined): BenchSummary {
  const ok = runs.filter((run) => run.ok);
  const errorKinds: Record<string, number> = {};
  for (const run of runs) if (run.error) errorKinds[run.error.kind] = (errorKinds[run.error.kind] ?? 0) + 1;
  const values = (pick: (run: BenchRun) => number | null) => ok.map(pick).filter((value): value is number => value !== null);
  const mean = (pick: (run: BenchRun) => number) => (ok.length === 0 ? 0 : ok.reduce((sum, run) => sum + pick(run), 0) / ok.length);
  const priced = ok.every((run) => run.costUsd !== null);
  const costUsd = ok.length > 0 && priced ? ok.reduce((sum, run) => sum + run.costUsd!, 0) : null;
  const summary: BenchSummary = {
    provider,
    model,
    runs: runs.length,
    ok: ok.length,
    errors: runs.length - ok.length,
    errorKinds,
    ttftMs: percentiles(values((run) => run.ttftMs)),
    latencyMs: percentiles(values((run) => run.totalMs)),
    tokensPerSecond: percentiles(values((run) => run.tokensPerSecond)),
    tokens: { input: mean((run) => run.usage.input), output: mean((run) => run.usage.output), cached: mean((run) => run.usage.cached) },
    costUsd,
    costPerRunUsd: costUsd === null ? null : costUsd / ok.length,
  };
  if (skipped) summary.skipped = skipped;
  return summary;
}

/** Nearest-rank percentiles: every value reported is one that was measured. */
export function percentiles(values: number[]): Percentiles | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
  return { p50: rank(50), p95: rank(95) };
}
