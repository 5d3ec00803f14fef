/**
 * A bench report as files people and tools read: `<stamp>.json` (everything, sorted keys),
 * `<stamp>.csv` (one row per provider) and `<stamp>.md` (a table and text bar charts that read
 * at a glance in a terminal, a pull request or an editor). All three carry the same numbers;
 * secrets were scrubbed when the report was built.
 *
 * @example
 * const files = writeBenchReport(report, join(cwd, 'data/bench')); // ['data/bench/2026-…Z.json', …]
 */
import { join } from 'node:path';
import { stableJson, writeFileAtomic } from '../util/atomic-write.js';
import type { BenchReport, BenchSummary } from './bench.js';

/** Width of the longest bar in the Markdown charts, in characters. */
const BAR_WIDTH = 30;
/** The prompt is quoted in the report up to this length: enough to recognise it, short enough to skim. */
const MAX_PROMPT_CHARS = 200;

export function writeBenchReport(report: BenchReport, dir: string): string[] {
  const files: Array<[string, string]> = [
    [`${report.stamp}.json`, renderBenchJson(report)],
    [`${report.stamp}.md`, renderBenchMarkdown(report)],
    [`${report.stamp}.csv`, renderBenchCsv(report)],
  ];
  return files.map(([name, content]) => {
    const path = join(dir, name);
    writeFileAtomic(path, content);
    return path;
  });
}

export function renderBenchJson(report: BenchReport): string {
  return stableJson(report);
}

const CSV_COLUMNS = [
  'provider',
  'model',
  'runs',
  'ok',
  'errors',
  'ttft_p50_ms',
  'ttft_p95_ms',
  'latency_p50_ms',
  'latency_p95_ms',
  'output_tokens_per_s_p50',
  'input_tokens_mean',
  'output_tokens_mean',
  'cached_tokens_mean',
  'cost_usd',
  'cost_per_run_usd',
  'skipped',
] as const;

export function renderBenchCsv(report: BenchReport): string {
  const rows = report.summaries.map((s) =>
    [
      s.provider,
      s.model,
      s.runs,
      s.ok,
      s.errors,
      fixed(s.ttftMs?.p50, 1),
      fixed(s.ttftMs?.p95, 1),
      fixed(s.latencyMs?.p50, 1),
      fixed(s.latencyMs?.p95, 1),
      fixed(s.tokensPerSecond?.p50, 1),
      fixed(s.tokens.input, 1),
      fixed(s.tokens.output, 1),
      fixed(s.tokens.cached, 1),
      fixed(s.costUsd, 6),
      fixed(s.costPerRunUsd, 6),
      s.skipped ?? '',
    ]
      .map(csvCell)
      .join(','),
  );
  return `${[CSV_COLUMNS.join(','), ...rows].join('\n')}\n`;
}

export function renderBenchMarkdown(report: BenchReport): string {
  const { settings } = report;
  const rate = settings.stream ? 'Output tok/s (after first chunk)' : 'Output tok/s (end to end)';
  const lines = [
    `# codex-flow bench ${report.stamp}`,
    '',
    `Prompt: ${quote(report.prompt)}`,
    '',
    `${settings.runs} run(s) per provider after ${settings.warmup} unmeasured warm-up call(s) · concurrency ${settings.concurrency} · ${settings.stream ? 'streamed' : 'not streamed'} · max ${settings.maxOutputTokens} output tokens`,
    '',
  ];
  if (report.status === 'partial') lines.push(`**Partial:** ${report.message ?? 'the bench stopped early'}`, '');
  lines.push(
    `| Provider | Model | OK | Errors | TTFT p50 | TTFT p95 | Latency p50 | Latency p95 | ${rate} | Input tok | Output tok | Cached tok | Cost (USD) |`,
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  );
  for (const s of report.summaries) {
    if (s.skipped) {
      lines.push(`| ${cell(s.provider)} | ${cell(s.model)} | – | – | skipped: ${cell(s.skipped)} | | | | | | | | |`);
      continue;
    }
    lines.push(
      `| ${[
        cell(s.provider),
        cell(s.model),
        `${s.ok}/${s.runs}`,
        errorsCell(s),
        ms(s.ttftMs?.p50),
        ms(s.ttftMs?.p95),
        ms(s.latencyMs?.p50),
        ms(s.latencyMs?.p95),
        fixed(s.tokensPerSecond?.p50, 1) || '–',
        fixed(s.tokens.input, 0),
        fixed(s.tokens.output, 0),
        fixed(s.tokens.cached, 0),
        s.costUsd === null ? 'unknown' : `$${s.costUsd.toFixed(6)}`,
      ].join(' | ')} |`,
    );
  }
  lines.push('', 'Token counts are means per successful run; cost is the total over the runs.', '');
  lines.push(
    ...chart(
      'Latency p50 (ms, shorter is better)',
      report.summaries,
      (s) => s.latencyMs?.p50,
      (v) => `${Math.round(v)} ms`,
    ),
  );
  if (settings.stream)
    lines.push(
      ...chart(
        'Time to first token p50 (ms, shorter is better)',
        report.summaries,
        (s) => s.ttftMs?.p50,
        (v) => `${Math.round(v)} ms`,
      ),
    );
  lines.push(
    ...chart(
      `${rate} p50 (longer is better)`,
      report.summaries,
      (s) => s.tokensPerSecond?.p50,
      (v) => `${v.toFixed(1)} tok/s`,
    ),
  );
  const failed = report.runs.filter((run) => run.error);
  if (failed.length > 0) {
    lines.push('## Errors', '');
    for (const run of failed) lines.push(`- ${run.provider} run ${run.run}: ${run.error!.message}`);
    lines.push('');
  }
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}

/** A text bar chart in a fenced block, bars scaled to the largest value. */
function chart(
  title: string,
  summaries: BenchSummary[],
  pick: (s: BenchSummary) => number | undefined,
  label: (value: number) => string,
): string[] {
  const rows = summaries.map((s) => [s.provider, pick(s)] as const).filter((row): row is readonly [string, number] => row[1] !== undefined);
  if (rows.length === 0) return [];
  const max = Math.max(...rows.map(([, value]) => value), Number.MIN_VALUE);
  const nameWidth = Math.max(...rows.map(([name]) => name.length));
  const bars = rows.map(([name, value]) => {
    const length = value > 0 ? Math.max(1, Math.round((value / max) * BAR_WIDTH)) : 0;
    return `${name.padEnd(nameWidth)}  ${'█'.repeat(length)}${' '.repeat(BAR_WIDTH - length)}  ${label(value)}`;
  });
  return [`## ${title}`, '', '```text', ...bars, '```', ''];
}

function errorsCell(summary: BenchSummary): string {
  const kinds = Object.entries(summary.errorKinds)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([kind, count]) => `${kind} ×${count}`);
  return kinds.length > 0 ? `${summary.errors} (${kinds.join(', ')})` : '0';
}

/** Table cells cannot hold a pipe or a newline. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');
}

function ms(value: number | undefined): string {
  return value === undefined ? '–' : `${Math.round(value)} ms`;
}

function fixed(value: number | null | undefined, digits: number): string {
  return value === null || value === undefined ? '' : value.toFixed(digits);
}

function quote(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return `"${oneLine.length > MAX_PROMPT_CHARS ? `${oneLine.slice(0, MAX_PROMPT_CHARS - 1)}…` : oneLine}"`;
}

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
