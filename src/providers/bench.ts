/**
 * `codex-flow bench`: the same prompt to several providers, N times each, C at a time, measured.
 * Each provider is called directly — no failover, no breaker — because a bench of "openai" must
 * measure OpenAI, not whoever answered for it.
 *
 * Per run: time to first token (streamed runs), end-to-end latency, output tokens per second
 * (streamed: counted after the first chunk — see decodeRate — so a slow prefill does not hide a
 * fast decoder; not streamed: output ÷ total), tokens, cost, the error if any. Runs
 * are interleaved across providers so a network blip hits all of them alike. A budget stops the
 * bench between runs with status `partial`.
 *
 * @example
 * const report = await runBench(env, { prompt: 'Write a haiku', providers: ['openai', 'ollama'], runs: 5, concurrency: 2, stream: true });
 * writeBenchReport(report, 'data/bench');
 */
import { mapLimit } from '../util/map-limit.js';
import { usd, type Budget } from './budget.js';
import { measure } from './bench-measure.js';
import { summarize, type BenchSummary } from './bench-stats.js';
import { resolveProviderOptions, type ProvidersConfig } from './options.js';
import type { Provider, ProviderRequest } from './provider.js';
import { Redactor } from './redact.js';
import { createProvider, runtimeFor, unknownProvider } from './registry.js';

export { decodeRate, type ChunkSample } from './bench-measure.js';
export { percentiles, type BenchSummary, type Percentiles } from './bench-stats.js';

export const BENCH_REPORT_VERSION = 1;
/** Bench answers are capped so a run's cost stays small and providers are compared on equal length. */
export const DEFAULT_BENCH_MAX_OUTPUT_TOKENS = 512;
/** Three runs give a median that one outlier cannot move, at three times the cost of one. */
export const DEFAULT_BENCH_RUNS = 3;
/** One call at a time: concurrent calls measure the provider under load, which is a choice to make on purpose. */
export const DEFAULT_BENCH_CONCURRENCY = 1;
/**
 * The first call to a provider pays DNS, TLS and the client library's lazy set-up (hundreds of
 * ms); one unmeasured call per provider keeps that out of the percentiles.
 */
export const DEFAULT_BENCH_WARMUP = 1;

export interface BenchOptions {
  prompt: string;
  system?: string;
  providers: string[];
  /** Measured runs per provider (default DEFAULT_BENCH_RUNS). */
  runs?: number;
  /** Runs in flight at once (default DEFAULT_BENCH_CONCURRENCY). */
  concurrency?: number;
  stream: boolean;
  /** Unmeasured calls per provider before the runs (default DEFAULT_BENCH_WARMUP). */
  warmup?: number;
  maxOutputTokens?: number;
  budget?: Budget;
  config?: ProvidersConfig;
  /** The clock for the report's stamp; tests pin it. */
  now?: () => Date;
  onProgress?: (done: number, total: number, last: BenchRun) => void;
  signal?: AbortSignal;
}

export interface BenchRun {
  provider: string;
  model: string;
  run: number;
  ok: boolean;
  error?: { kind: string; message: string };
  ttftMs: number | null;
  totalMs: number;
  tokensPerSecond: number | null;
  usage: { input: number; output: number; cached: number };
  costUsd: number | null;
}

export interface BenchReport {
  version: number;
  stamp: string;
  prompt: string;
  settings: { providers: string[]; runs: number; warmup: number; concurrency: number; stream: boolean; maxOutputTokens: number };
  status: 'complete' | 'partial';
  message?: string;
  summaries: BenchSummary[];
  runs: BenchRun[];
}

export async function runBench(env: Record<string, string | undefined>, options: BenchOptions): Promise<BenchReport> {
  const resolved = resolveProviderOptions(env, options.config);
  const redactor = new Redactor(resolved.secrets);
  const runtime = runtimeFor(resolved, redactor);
  const stamp = formatStamp((options.now ?? (() => new Date()))());
  const maxOutputTokens = options.maxOutputTokens ?? DEFAULT_BENCH_MAX_OUTPUT_TOKENS;
  const request: ProviderRequest = { system: options.system, messages: [{ role: 'user', content: options.prompt }], maxOutputTokens };

  const providers = new Map<string, Provider>();
  const skipped = new Map<string, string>();
  // `--providers openai,openai` benches openai once
  const names = [...new Set(options.providers)];
  for (const name of names) {
    const settings = resolved.providers[name];
    if (!settings) throw unknownProvider(name, resolved);
    if (!settings.configured) skipped.set(name, redactor.text(`not configured: ${settings.missing}`));
    else providers.set(name, await createProvider(settings, env, runtime));
  }

  const warmup = options.warmup ?? DEFAULT_BENCH_WARMUP;
  const runCount = options.runs ?? DEFAULT_BENCH_RUNS;
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_BENCH_CONCURRENCY);
  await Promise.all(
    [...providers.values()].map(async (provider) => {
      for (let call = 0; call < warmup; call++) {
        const result = await measure(provider, 0, request, options.stream, redactor, options.signal);
        if (result.costUsd !== null) options.budget?.charge({ costUsd: result.costUsd });
      }
    }),
  );

  // Interleaved: openai#1, anthropic#1, …, openai#2, … so conditions drift evenly across providers.
  const jobs: Array<{ provider: Provider; run: number }> = [];
  for (let run = 1; run <= runCount; run++) for (const provider of providers.values()) jobs.push({ provider, run });
  const runs: BenchRun[] = [];
  let stopped: string | undefined;
  await mapLimit(jobs, concurrency, async (job) => {
    if (!stopped && options.budget?.exhausted)
      stopped = `budget of ${usd(options.budget.limitUsd)} reached after ${runs.length} of ${jobs.length} runs; the report covers the runs made`;
    if (!stopped && options.signal?.aborted) stopped = `stopped after ${runs.length} of ${jobs.length} runs`;
    if (stopped) return;
    const measured = await measure(job.provider, job.run, request, options.stream, redactor, options.signal);
    if (measured.costUsd !== null) options.budget?.charge({ costUsd: measured.costUsd });
    runs.push(measured);
    options.onProgress?.(runs.length, jobs.length, measured);
  });
  runs.sort((a, b) => a.run - b.run || names.indexOf(a.provider) - names.indexOf(b.provider));

  const summaries = names.map((name) =>
    summarize(
      name,
      resolved.providers[name]!.model,
      runs.filter((run) => run.provider === name),
      skipped.get(name),
    ),
  );
  const report: BenchReport = {
    version: BENCH_REPORT_VERSION,
    stamp,
    prompt: redactor.text(options.prompt),
    settings: { providers: names, runs: runCount, warmup, concurrency, stream: options.stream, maxOutputTokens },
    status: stopped ? 'partial' : 'complete',
    summaries,
    runs,
  };
  if (stopped) report.message = stopped;
  return report;
}

/** `2026-01-02T03-04-05Z`: sortable, and valid in a file name on every OS. */
export function formatStamp(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-');
}
