/** `convert --watch`: the compile loop of compiler/watch.ts, its results printed as they come. */
import { hasErrors } from '../diagnostics/diagnostic.js';
import { watchBriefs } from '../compiler/watch.js';
import { untilStopSignal } from '../util/stop-signal.js';
import type { CompilerOptions } from '../compiler/options.js';
import type { CommandIO } from './io.js';
import { printDiagnostics, summarize } from './report.js';

export async function watchFleet(
  io: CommandIO,
  options: CompilerOptions,
  flags: { verbose?: boolean; json?: boolean },
  signal?: AbortSignal,
): Promise<number> {
  const watching = await watchBriefs(options, (result, reason, ms) => {
    if (flags.json) {
      io.stdout(
        `${JSON.stringify({ event: 'compiled', reason, ms, stats: result.stats, written: result.written, ok: !hasErrors(result.diagnostics), diagnostics: result.diagnostics })}\n`,
      );
      return;
    }
    printDiagnostics(io, result.diagnostics, flags);
    io.stdout(
      `[${reason}] compiled ${result.stats.compiled}/${result.stats.briefs} (${result.stats.recompiled} recompiled) in ${ms} ms${result.written ? '' : ', unchanged'}; ${summarize(result.diagnostics, flags.verbose)}\n`,
    );
  });
  // The listeners are in place when the prompt shows: a Ctrl-C (or a supervisor's SIGTERM) at any
  // moment stops the watch (exit 0) instead of meeting Node's default handler.
  const stopped = untilStopSignal(['SIGINT', 'SIGTERM'], signal);
  io.stderr(`watching ${options.src} (Ctrl-C to stop)\n`);
  await stopped;
  await watching.close();
  return 0;
}
