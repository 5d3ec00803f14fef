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
import { ProviderError } from './errors.js';
import { resolveProviderOptions, type ProvidersConfig } from './options.js';
import type { Provider, ProviderRequest, ProviderResult, StreamEvent } from './provider.js';
import { Redactor } from './redact.js';
import { createProvider, runtimeFor, unknownProvider } from './registry.js';

export const BENCH_REPORT_VERSION = 1;
/** Bench answers are capped so a run's cost stays small and providers are compared on equal length. */
export const DEFAULT_BENCH_MAX_OUTPUT_TOKENS = 512;
export const DEFAULT_BENCH_RUNS = 3;
/**
 * The first call to a provider pays DNS, TLS and the client library's lazy set-up (hundreds of
 * ms); one unmeasured call per provider keeps that out of the percentiles.
 */
export const DEFAULT_BENCH_WARMUP = 1;

export interface BenchOptions {
  prompt: string;
  system?: string;
  providers: string[];
  runs: number;
  concurrency: number;
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

export interface Percentiles { p50: number; p95: number }

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
  for (const name of options.providers) {
    const settings = resolved.providers[name];
    if (!settings) throw unknownProvider(name, resolved);
    if (!settings.configured) skipped.set(name, redactor.text(`not configured: ${settings.missing}`));
    else providers.set(name, await createProvider(settings, env, runtime));
  }

  const warmup = options.warmup ?? DEFAULT_BENCH_WARMUP;
  await Promise.all([...providers.values()].map(async (provider) => {
    for (let call = 0; call < warmup; call++) {
      const result = await measure(provider, 0, request, options.stream, redactor, options.signal);
      if (result.costUsd !== null) options.budget?.charge({ costUsd: result.costUsd });
    }
  }));

  // Interleaved: openai#1, anthropic#1, …, openai#2, … so conditions drift evenly across providers.
  const jobs: Array<{ provider: Provider; run: number }> = [];
  for (let run = 1; run <= options.runs; run++) for (const provider of providers.values()) jobs.push({ provider, run });
  const runs: BenchRun[] = [];
  let stopped: string | undefined;
  await mapLimit(jobs, Math.max(1, options.concurrency), async (job) => {
    if (!stopped && options.budget?.exhausted) stopped = `budget of ${usd(options.budget.limitUsd)} reached after ${runs.length} of ${jobs.length} runs; the report covers the runs made`;
    if (!stopped && options.signal?.aborted) stopped = `stopped after ${runs.length} of ${jobs.length} runs`;
    if (stopped) return;
    const measured = await measure(job.provider, job.run, request, options.stream, redactor, options.signal);
    if (measured.costUsd !== null) options.budget?.charge({ costUsd: measured.costUsd });
    runs.push(measured);
    options.onProgress?.(runs.length, jobs.length, measured);
  });
  runs.sort((a, b) => a.run - b.run || options.providers.indexOf(a.provider) - options.providers.indexOf(b.provider));

  const summaries = options.providers.map((name) =>
    summarize(name, resolved.providers[name]!.model, runs.filter((run) => run.provider === name), skipped.get(name)));
  const report: BenchReport = {
    version: BENCH_REPORT_VERSION,
    stamp,
    prompt: redactor.text(options.prompt),
    settings: { providers: options.providers, runs: options.runs, warmup, concurrency: options.concurrency, stream: options.stream, maxOutputTokens },
    status: stopped ? 'partial' : 'complete',
    summaries,
    runs,
  };
  if (stopped) report.message = stopped;
  return report;
}

async function measure(provider: Provider, run: number, request: ProviderRequest, stream: boolean, redactor: Redactor, signal?: AbortSignal): Promise<BenchRun> {
  const started = performance.now();
  try {
    let result: ProviderResult;
    let tokensPerSecond: number | null;
    if (stream) {
      const timed = await drainTimed(provider.stream(request, signal));
      result = timed.result;
      tokensPerSecond = decodeRate(result.usage.output, timed.chunks);
    } else {
      result = await provider.generate(request, signal);
      tokensPerSecond = result.timings.totalMs > 0 ? result.usage.output / (result.timings.totalMs / 1000) : null;
    }
    return {
      provider: provider.id, model: result.model, run, ok: true, ttftMs: result.timings.ttftMs, totalMs: result.timings.totalMs, tokensPerSecond,
      usage: { input: result.usage.input, output: result.usage.output, cached: result.usage.cached },
      costUsd: result.costUsd,
    };
  } catch (thrown) {
    const error = thrown instanceof ProviderError ? thrown : new ProviderError('server', String(thrown), { provider: provider.id });
    return {
      provider: provider.id, model: provider.model, run, ok: false,
      error: { kind: error.kind, message: redactor.text(error.summary()) },
      ttftMs: null, totalMs: performance.now() - started, tokensPerSecond: null,
      usage: { input: 0, output: 0, cached: 0 }, costUsd: null,
    };
  }
}

/** When each content chunk of a stream arrived and how much it carried (characters of text or tool input). */
export interface ChunkSample { atMs: number; size: number }

async function drainTimed(events: AsyncIterable<StreamEvent>): Promise<{ result: ProviderResult; chunks: ChunkSample[] }> {
  const chunks: ChunkSample[] = [];
  for await (const event of events) {
    if (event.type === 'text') chunks.push({ atMs: performance.now(), size: event.text.length });
    else if (event.type === 'tool-call') chunks.push({ atMs: performance.now(), size: JSON.stringify(event.call.input ?? null).length });
    else if (event.type === 'finish') return { result: event.result, chunks };
    else if (event.type === 'incomplete') throw event.error;
  }
  throw new ProviderError('stream-cut', 'the stream ended without a result');
}

/**
 * Output tokens per second counted after the first chunk: the tokens that arrived after it
 * (the output's share carried by the later chunks) over the time from the first chunk to the
 * last. The first chunk is left out on both sides, so a slow prompt phase does not hide a fast
 * decoder and a chunk that arrives with the first one does not inflate it. Null when a single
 * chunk (or none) leaves no interval to measure.
 *
 * @example decodeRate(10, [{ atMs: 100, size: 2 }, { atMs: 150, size: 9 }, { atMs: 200, size: 9 }]) // 90 (9 tokens in 0.1 s)
 */
export function decodeRate(outputTokens: number, chunks: readonly ChunkSample[]): number | null {
  if (chunks.length < 2) return null;
  const seconds = (chunks.at(-1)!.atMs - chunks[0]!.atMs) / 1000;
  let total = 0;
  for (const chunk of chunks) total += chunk.size;
  if (seconds <= 0 || total === 0) return null;
  return (outputTokens * (total - chunks[0]!.size)) / total / seconds;
}

function summarize(provider: string, model: string, runs: BenchRun[], skipped: string | undefined): BenchSummary {
  const ok = runs.filter((run) => run.ok);
  const errorKinds: Record<string, number> = {};
  for (const run of runs) if (run.error) errorKinds[run.error.kind] = (errorKinds[run.error.kind] ?? 0) + 1;
  const values = (pick: (run: BenchRun) => number | null) => ok.map(pick).filter((value): value is number => value !== null);
  const mean = (pick: (run: BenchRun) => number) => (ok.length === 0 ? 0 : ok.reduce((sum, run) => sum + pick(run), 0) / ok.length);
  const priced = ok.every((run) => run.costUsd !== null);
  const costUsd = ok.length > 0 && priced ? ok.reduce((sum, run) => sum + run.costUsd!, 0) : null;
  const summary: BenchSummary = {
    provider, model,
    runs: runs.length, ok: ok.length, errors: runs.length - ok.length, errorKinds,
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

/** `2026-01-02T03-04-05Z`: sortable, and valid in a file name on every OS. */
export function formatStamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
}
