/**
 * `codex-flow bench --prompt "…" --providers openai,anthropic,ollama [--runs N] [--warmup W]
 * [--concurrency C] [--stream] [--max-output-tokens N] [--budget USD] [--out dir] [--json]`: compare providers on
 * the same prompt. Writes `data/bench/<stamp>.{json,md,csv}` when at least one run answered (nothing
 * otherwise), prints a summary, and shows a progress bar on stderr while it runs (terminals only).
 *
 * Exit 0 when every run finished and every provider measured answered at least once; 1 when the
 * bench was partial (budget), a provider never answered, every provider was skipped (not
 * configured) or the report cannot be written; 2 for usage mistakes.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { EXIT_FINDINGS, EXIT_OK, UsageError, type CommandIO } from '../io.js';
import { withCommonFlags, type CommonFlags } from '../options.js';
import { diagnostic, hasErrors, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { jsonOut, printDiagnostics, reportFailure } from '../report.js';
import type { BenchReport, BenchRun } from '../../providers/bench.js';

export const DEFAULT_BENCH_DIR = 'data/bench';
/** Providers benched when --providers is not given, if configured. */
const DEFAULT_BENCH_PROVIDERS = ['openai', 'anthropic', 'ollama'];
/** Guards against a typo like `--runs 10000` turning into a large bill. */
const MAX_RUNS = 1_000;
/** Past this a bench measures the rate limiter and the local machine, not the provider. */
const MAX_CONCURRENCY = 64;
/** Leaves room on an 80-column line for the count and the last run's outcome. */
const PROGRESS_BAR_WIDTH = 24;
/** Above any model's output limit today: a larger value is a typo. */
const MAX_OUTPUT_TOKENS = 1_000_000;

export interface BenchFlags extends CommonFlags {
  prompt?: string;
  system?: string;
  providers?: string;
  runs?: string;
  warmup?: string;
  concurrency?: string;
  stream?: boolean;
  maxOutputTokens?: string;
  budget?: string;
  out?: string;
}

export interface BenchDeps {
  /** The clock for the file stamp; tests pin it. */
  now?: () => Date;
}

export async function runBenchCommand(io: CommandIO, flags: BenchFlags, deps: BenchDeps = {}): Promise<number> {
  const prompt = flags.prompt === '-' ? ((await io.readStdin?.()) ?? '').trim() : flags.prompt?.trim();
  if (!prompt) throw new UsageError('give the prompt to send: --prompt "…" (or --prompt - to read it from stdin)');
  // Absent flags stay undefined: runBench resolves the defaults.
  const runs = positiveInteger(flags.runs, '--runs', MAX_RUNS);
  const concurrency = positiveInteger(flags.concurrency, '--concurrency', MAX_CONCURRENCY);
  const warmup = flags.warmup === '0' ? 0 : positiveInteger(flags.warmup, '--warmup', MAX_RUNS);
  const maxOutputTokens = positiveInteger(flags.maxOutputTokens, '--max-output-tokens', MAX_OUTPUT_TOKENS);
  const budgetUsd = flags.budget === undefined ? undefined : Number(flags.budget);
  if (budgetUsd !== undefined && !(budgetUsd > 0)) throw new UsageError('--budget needs a positive amount in USD');

  const [
    { loadConfig },
    { resolveProviderOptions, splitList },
    { runBench },
    { writeBenchReport },
    { Budget },
    { UnknownProviderError, ProviderError },
    { providerErrorDiagnostic },
    { Redactor },
  ] = await Promise.all([
    import('../../config/config.js'),
    import('../../providers/options.js'),
    import('../../providers/bench.js'),
    import('../../providers/bench-report.js'),
    import('../../providers/budget.js'),
    import('../../providers/errors.js'),
    import('../../providers/diagnostics.js'),
    import('../../providers/redact.js'),
  ]);
  const loaded = await loadConfig(io.cwd, flags.config);
  if (hasErrors(loaded.diagnostics)) return reportFailure(io, 'bench', loaded.diagnostics, flags);
  const config = loaded.config.providers as never;
  const resolved = resolveProviderOptions(io.env, config);
  const providers =
    flags.providers !== undefined ? splitList(flags.providers) : DEFAULT_BENCH_PROVIDERS.filter((id) => resolved.providers[id]?.configured);
  if (providers.length === 0) throw new UsageError('name the providers to compare: --providers openai,anthropic,ollama');
  const limit = budgetUsd ?? resolved.budgetUsd ?? undefined;
  const redactor = new Redactor(resolved.secrets);
  // The bench calls each named provider directly: a CODEX_FLOW_PROVIDER typo (CF7002) is not its concern.
  const settingsProblems = resolved.diagnostics.filter((d) => d.code !== 'CF7002');
  const settingsDiagnostics = redactor.value([...loaded.diagnostics, ...settingsProblems]);
  if (!flags.json) printDiagnostics(io, settingsDiagnostics, flags);
  // Before any paid call: a report that cannot be written would waste the whole bench.
  const dir = isAbsolute(flags.out ?? '') ? flags.out! : join(io.cwd, flags.out ?? DEFAULT_BENCH_DIR);
  const dirProblem = unwritable(dir);
  if (dirProblem && flags.out !== undefined) throw new UsageError(`--out ${flags.out}: ${dirProblem}`);
  if (dirProblem)
    return fail(io, flags, `cannot write the bench report to ${DEFAULT_BENCH_DIR}: ${dirProblem}; pass --out <dir>`, settingsDiagnostics);

  let report: BenchReport;
  try {
    report = await runBench(io.env, {
      prompt,
      system: flags.system,
      providers,
      runs,
      warmup,
      concurrency,
      stream: Boolean(flags.stream),
      maxOutputTokens,
      config,
      budget: limit === undefined ? undefined : new Budget(limit),
      now: deps.now,
      onProgress: io.isTTY ? progressBar(io) : undefined,
    });
  } catch (error) {
    if (error instanceof UnknownProviderError) throw new UsageError(`${error.message}; ${error.hint}`);
    if (error instanceof ProviderError) return reportFailure(io, 'bench', [...settingsDiagnostics, providerErrorDiagnostic(error)], flags);
    throw error;
  }
  if (io.isTTY) io.stderr('\n');

  const failedProviders = report.summaries.filter((s) => !s.skipped && s.ok === 0).map((s) => s.provider);
  const measured = report.summaries.some((s) => !s.skipped);
  // A report without one answer holds no figure, and `run` would read it as evidence against every
  // provider in it: nothing is written then.
  const answered = report.runs.some((run) => run.ok);
  let files: string[] = [];
  if (answered) {
    try {
      files = writeBenchReport(report, dir).map((file) => relative(io.cwd, file).split('\\').join('/'));
    } catch (error) {
      return fail(io, flags, `cannot write the bench report to ${dir}: ${(error as Error).message}`, settingsDiagnostics);
    }
  }
  const ok = report.status === 'complete' && failedProviders.length === 0 && measured;
  const skips = report.summaries.filter((s) => s.skipped).map((s) => diagnostic('CF7003', `${s.provider} skipped: ${s.skipped}`));
  const nothing = !measured
    ? 'nothing was measured: every provider named was skipped; no report written'
    : answered
      ? undefined
      : 'no provider answered: no report written';
  if (flags.json) {
    jsonOut(io, {
      ok,
      command: 'bench',
      status: report.status,
      message: report.message ?? nothing,
      files,
      report,
      diagnostics: [...settingsDiagnostics, ...skips],
    });
  } else {
    printDiagnostics(io, skips, flags);
    io.stdout(formatSummary(report));
    if (report.message) io.stdout(`\npartial: ${report.message}\n`);
    if (nothing) io.stdout(`\n${nothing}\n`);
    if (files.length > 0) io.stdout(`\nwrote ${files.join(', ')}\n`);
  }
  return ok ? EXIT_OK : EXIT_FINDINGS;
}

/**
 * Why `dir` cannot take the report, or undefined when it can: the folder, or the nearest one above
 * it that exists, must be a writable folder. Nothing is created here, so a bench that writes no
 * report leaves no empty folder behind.
 */
function unwritable(dir: string): string | undefined {
  let folder = resolve(dir);
  try {
    while (!existsSync(folder) && dirname(folder) !== folder) folder = dirname(folder);
    if (!statSync(folder).isDirectory()) return 'ENOTDIR';
    accessSync(folder, constants.W_OK);
    return undefined;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    return code ?? message;
  }
}

function fail(io: CommandIO, flags: BenchFlags, message: string, found: readonly Diagnostic[]): number {
  const problem = diagnostic('CF5030', message);
  return reportFailure(io, 'bench', flags.json ? [...found, problem] : [problem], flags);
}

function positiveInteger(raw: string | undefined, flag: string, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new UsageError(`${flag} needs a whole number from 1 to ${max}`);
  return value;
}

function progressBar(io: CommandIO): (done: number, total: number, last: BenchRun) => void {
  const width = PROGRESS_BAR_WIDTH;
  return (done, total, last) => {
    const filled = Math.round((done / total) * width);
    const outcome = last.ok ? `${Math.round(last.totalMs)} ms` : last.error!.kind;
    io.stderr(`\r[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total}  ${last.provider} ${outcome}\u001b[K`);
  };
}

function formatSummary(report: BenchReport): string {
  const lines = report.summaries.map((s) => {
    if (s.skipped) return `${s.provider.padEnd(12)} skipped: ${s.skipped}`;
    const parts = [
      `${s.ok}/${s.runs} ok`,
      s.latencyMs ? `latency p50 ${Math.round(s.latencyMs.p50)} ms p95 ${Math.round(s.latencyMs.p95)} ms` : 'no successful run',
      s.ttftMs ? `ttft p50 ${Math.round(s.ttftMs.p50)} ms` : '',
      s.tokensPerSecond ? `${s.tokensPerSecond.p50.toFixed(1)} tok/s` : '',
      s.costUsd === null ? 'cost unknown' : `$${s.costUsd.toFixed(6)}`,
      s.errors > 0 ? `${s.errors} error(s): ${Object.keys(s.errorKinds).join(', ')}` : '',
    ];
    return `${s.provider.padEnd(12)} ${parts.filter(Boolean).join(' · ')}`;
  });
  return `${lines.join('\n')}\n`;
}

export function register(program: Command, io: CommandIO, setExit: (code: number) => void): void {
  withCommonFlags(
    program
      .command('bench')
      .description(
        'compare providers on the same prompt: latency, time to first token, tokens/s, cost (writes data/bench/<stamp>.json/.md/.csv)',
      )
      .option('--prompt <text>', 'the prompt to send ("-" reads it from stdin)')
      .option('--system <text>', 'a system prompt to send with it')
      .option('--providers <names>', 'comma-separated providers (default: the configured ones of openai, anthropic, ollama)')
      .option('--runs <n>', 'runs per provider (default: 3)')
      .option('--warmup <n>', 'unmeasured calls per provider before the runs (default: 1)')
      .option('--concurrency <n>', 'runs in flight at once (default: 1)')
      .option('--stream', 'stream the answers (measures time to first token)')
      .option('--max-output-tokens <n>', 'cap on each answer (default: 512)')
      .option('--budget <usd>', 'stop when this much has been spent (default: CODEX_FLOW_BUDGET_USD)')
      .option('--out <dir>', `where to write the report (default: ${DEFAULT_BENCH_DIR})`),
  ).action(async (flags: BenchFlags) => setExit(await runBenchCommand(io, flags)));
}
