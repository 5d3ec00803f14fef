/**
 * `codex-flow eval labels.jsonl [--min-top1 0.7] [--json]`: route every labeled request and report
 * top-1, top-3, MRR, per-agent confusion and the misses. Exit 1 below `--min-top1` (CI gate).
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { Command } from 'commander';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError, type CommandIO } from '../io.js';
import { jsonOut, printDiagnostics } from '../report.js';
import { openRouter, withRouterFlags, type RouterFlags } from './route.js';

interface EvalFlags extends RouterFlags {
  minTop1?: string;
  misses?: string;
}

export async function runEval(io: CommandIO, file: string, flags: EvalFlags): Promise<number> {
  const minTop1 = flags.minTop1 === undefined ? undefined : Number(flags.minTop1);
  if (minTop1 !== undefined && !(minTop1 >= 0 && minTop1 <= 1)) throw new UsageError('--min-top1 needs a number from 0 to 1');
  let text: string;
  try {
    text = await readFile(isAbsolute(file) ? file : join(io.cwd, file), 'utf8');
  } catch {
    throw new UsageError(`cannot read labels file ${file}`);
  }
  const { parseLabels, evaluate } = await import('../../router/eval.js');
  const { labels, diagnostics } = parseLabels(text, file);
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
    if (unknown.length > 0) diagnostics.push(diagnostic('CF6011', `expected ${unknown.join(', ')} not in the fleet`, { file, line: label.line, column: 1 }));
  }
  const report = evaluate(opened.router, labels);
  const passed = minTop1 === undefined || report.top1 >= minTop1;
  if (flags.json) {
    jsonOut(io, { ok: passed, command: 'eval', fleet: opened.fleetShown, labels: file, report, diagnostics });
  } else {
    printDiagnostics(io, diagnostics, flags);
    const { formatEval } = await import('../../router/format.js');
    io.stdout(formatEval(report, flags.misses === undefined ? 50 : Number(flags.misses)));
    if (!passed) io.stdout(`top-1 ${report.top1} is below --min-top1 ${minTop1}\n`);
  }
  return passed ? EXIT_OK : EXIT_FINDINGS;
}

export function register(program: Command, io: CommandIO, setExit: (code: number) => void): void {
  withRouterFlags(
    program.command('eval <labels>')
      .description('judge routing on labeled requests (JSONL: {"task", "files"?, "expected"}): top-1, top-3, MRR, confusion, misses')
      .option('--min-top1 <ratio>', 'exit 1 when top-1 accuracy is below this (0–1)')
      .option('--misses <n>', 'misses to print (default 50)'),
  ).action(async (file: string, flags: EvalFlags) => setExit(await runEval(io, file, flags)));
}
