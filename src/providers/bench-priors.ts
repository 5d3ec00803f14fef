/**
 * What `codex-flow bench` measured, read back as a prior for the tier chains: per (provider,
 * model), the newest bench report's latency p50, cost per call and success (runs, ok). The tier
 * ranking (tier-rank.ts) blends it with the outcomes of real runs, so a member with few runs in
 * a tier is judged by its bench until its own figures accumulate.
 *
 * Reading never fails a run: no bench folder means no priors; a report that cannot be read or
 * has the wrong shape is skipped with a CF6720 warning naming the file, and the other reports
 * still count. Only the newest MAX_BENCH_REPORTS reports are opened, each up to
 * MAX_BENCH_REPORT_BYTES, so a folder of years of benches costs a bounded read.
 *
 * @example
 * const { priors, diagnostics } = readBenchPriors(join(root, DEFAULT_BENCH_DIR));
 * priors.get(benchKey('openai', 'gpt-4o-mini')) // { latencyP50Ms: 420, costPerCallUsd: 0.0003, runs: 5, ok: 5, … }
 */
import { readdirSync } from 'node:fs';
import { readRegularFile } from '../util/read-regular-file.js';
import { join } from 'node:path';
import { diagnostic, type Diagnostic, type SourceLocation } from '../diagnostics/diagnostic.js';

/** Where `codex-flow bench` writes its reports, relative to the project root. */
export const DEFAULT_BENCH_DIR = 'data/bench';
/** The newest reports are the ones that describe today's providers; older ones are only read when newer ones lack a member. */
export const MAX_BENCH_REPORTS = 20;
/** A report of a few hundred runs is well under 1 MiB; anything far larger is not a bench report. */
export const MAX_BENCH_REPORT_BYTES = 8 * 1024 * 1024;

export interface BenchPrior {
  provider: string;
  model: string;
  /** The report's stamp (its file name without `.json`). */
  stamp: string;
  runs: number;
  ok: number;
  latencyP50Ms: number | null;
  costPerCallUsd: number | null;
}

export type BenchPriors = ReadonlyMap<string, BenchPrior>;

export function benchKey(provider: string, model: string): string {
  return `${provider}\0${model}`;
}

/** Report names are `<stamp>.json` with an ISO-like stamp, so the name order is the time order. */
const REPORT_NAME = /^\d{4}-\d{2}-\d{2}T[\d-]+Z\.json$/;

export function readBenchPriors(dir: string): { priors: Map<string, BenchPrior>; diagnostics: Diagnostic[] } {
  const priors = new Map<string, BenchPrior>();
  const diagnostics: Diagnostic[] = [];
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => REPORT_NAME.test(name));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') diagnostics.push(unreadable(dir, `the folder cannot be read (${code ?? String(error)})`));
    return { priors, diagnostics };
  }
  for (const name of names.sort().reverse().slice(0, MAX_BENCH_REPORTS)) {
    const file = join(dir, name);
    const read = readReport(file);
    if (typeof read === 'string' || 'location' in read) {
      diagnostics.push(typeof read === 'string' ? unreadable(file, read) : unreadable(file, read.problem, read.location));
      continue;
    }
    for (const prior of read.summaries)
      if (!priors.has(benchKey(prior.provider, prior.model))) priors.set(benchKey(prior.provider, prior.model), prior);
  }
  return { priors, diagnostics };
}

function readReport(file: string): { summaries: BenchPrior[] } | { problem: string; location: SourceLocation } | string {
  // A report a repository commits may be a link to a device or a FIFO: only a regular file, not followed, is read.
  const read = readRegularFile(file, MAX_BENCH_REPORT_BYTES, { followLinks: false });
  if (!read.ok) return read.reason === 'too-large' ? `larger than ${MAX_BENCH_REPORT_BYTES} bytes` : `cannot be read (${read.problem})`;
  const text = read.text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { problem: `not JSON: ${(error as Error).message}`, location: jsonErrorLocation(file, text, error as Error) };
  }
  const report = parsed as { stamp?: unknown; summaries?: unknown };
  if (!report || typeof report !== 'object' || !Array.isArray(report.summaries)) return 'not a bench report (no `summaries` list)';
  const stamp = file.replace(/^.*[\\/]/, '').replace(/\.json$/, '');
  const summaries: BenchPrior[] = [];
  for (const [index, raw] of (report.summaries as unknown[]).entries()) {
    const prior = benchPrior(raw, stamp);
    if (prior === 'skipped') continue;
    if (typeof prior === 'string') return `summaries[${index}]: ${prior}`;
    summaries.push(prior);
  }
  return { summaries };
}

/** One summary as a prior; a skipped provider (never called) or one with no run is no evidence. */
function benchPrior(raw: unknown, stamp: string): BenchPrior | 'skipped' | string {
  if (!raw || typeof raw !== 'object') return 'not an object';
  const s = raw as Record<string, unknown>;
  if (typeof s.provider !== 'string' || typeof s.model !== 'string') return 'provider and model should be strings';
  if (s.skipped !== undefined) return 'skipped';
  if (!count(s.runs) || !count(s.ok) || (s.ok as number) > (s.runs as number)) return 'runs and ok should be counts with ok ≤ runs';
  if ((s.runs as number) === 0) return 'skipped';
  const latency = s.latencyMs as { p50?: unknown } | null | undefined;
  if (latency !== null && latency !== undefined && !nonNegative(latency.p50)) return 'latencyMs.p50 should be a number ≥ 0';
  if (s.costPerRunUsd !== null && s.costPerRunUsd !== undefined && !nonNegative(s.costPerRunUsd))
    return 'costPerRunUsd should be a number ≥ 0';
  return {
    provider: s.provider,
    model: s.model,
    stamp,
    runs: s.runs as number,
    ok: s.ok as number,
    latencyP50Ms: latency ? (latency.p50 as number) : null,
    costPerCallUsd: typeof s.costPerRunUsd === 'number' ? s.costPerRunUsd : null,
  };
}

const count = (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value >= 0;
const nonNegative = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value >= 0;

function unreadable(file: string, problem: string, location?: SourceLocation): Diagnostic {
  return diagnostic('CF6720', `bench report ${file} ignored: ${problem}`, location ?? { file, line: 1, column: 1 });
}

/** V8 says `… at position N` (newer: `(line L column C)`); either becomes a 1-based line and column. */
function jsonErrorLocation(file: string, text: string, error: Error): SourceLocation {
  const lineColumn = /line (\d+) column (\d+)/.exec(error.message);
  if (lineColumn) return { file, line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  const position = /position (\d+)/.exec(error.message);
  if (!position) return { file, line: 1, column: 1 };
  const before = text.slice(0, Number(position[1])).split('\n');
  return { file, line: before.length, column: before[before.length - 1]!.length + 1 };
}
