/**
 * Hot reload: the served fleet follows the briefs. A change compiles incrementally
 * (compiler/watch.ts), the compiler publishes atomically, and the new fleet is opened off to the
 * side; only a complete one replaces the old, in one reference swap. A request holds the snapshot
 * it started with, so it finishes on that fleet. A brief that breaks the compile keeps the old
 * fleet serving; its diagnostics stay pending (the server's /readyz) until a compile succeeds, and
 * so does a bad `learning:` or `router:` section (CF9515), which fails the open itself.
 *
 * @example
 * const served = await watchServedFleet({ root: '/repo', env: process.env }, { log: console.error });
 * served.current?.route({ task: 'add a resolver', files: [] });
 * await served.close();
 */
import { isAbsolute, relative, sep } from 'node:path';
import { diagnostic, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { loadConfig } from '../config/config.js';
import { resolveCompilerOptions } from '../compiler/options.js';
import { watchBriefs, type BriefWatch } from '../compiler/watch.js';
import { COMPILE_TIMEOUT_MS, WorkerCompiler, type WorkerCompileResult } from './worker-compile.js';
import type { FleetTexts } from '../fleet/load.js';
import { LearningConfigError } from '../learn/options.js';
import { DecisionBatch, FLUSH_AT_STOP_MS } from '../learn/decision-batch.js';
import { BackgroundCompaction } from './background-compaction.js';
import { RouterConfigError } from '../router/options.js';
import { openServedFleet, type ServedFleet, type ServedFleetRequest } from './served-fleet.js';

export interface ServedFleetEvent {
  event: 'fleet-loaded' | 'fleet-kept';
  hash?: string;
  reason: string;
  ms: number;
  diagnostics: Diagnostic[];
}

/** The fleet a server routes on now, and what the last reload found wrong. */
export class FleetHolder {
  private fleet: ServedFleet | undefined;
  private problems: Diagnostic[] = [];
  private watching: BriefWatch | undefined;
  private compiler: WorkerCompiler | undefined;
  /** Set by close(): a compile that ends after it (cut by the close) changes nothing and logs nothing. */
  private closing = false;
  /** How many times a new fleet replaced the served one. */
  reloads = 0;
  /** How many compiles of the watch have ended (the start compile first): after one, a change recompiles only itself. */
  compiles = 0;

  /**
   * The route decisions of every fleet this holder serves, written in batches off the request
   * path; shared across reloads, so feedback finds a decision made on the fleet before.
   */
  readonly decisions: DecisionBatch;
  /** The outcome compactions of every fleet this holder serves, one at a time on a thread, never in a feedback request. */
  readonly compaction: BackgroundCompaction;

  constructor(
    readonly request: ServedFleetRequest,
    private readonly log: (event: ServedFleetEvent) => void = () => {},
    private readonly compileTimeoutMs = COMPILE_TIMEOUT_MS,
    decisions?: DecisionBatch,
    compaction?: BackgroundCompaction,
  ) {
    this.decisions = decisions ?? new DecisionBatch();
    this.compaction = compaction ?? new BackgroundCompaction();
  }

  /** The snapshot to route on; a request reads it once and keeps it. */
  get current(): ServedFleet | undefined {
    return this.fleet;
  }

  /** Errors of the last open or compile that kept the served fleet (empty when it is current). */
  get pending(): readonly Diagnostic[] {
    return this.problems;
  }

  /**
   * Opens the fleet as it is on disk; replaces the served one only when it opens completely. The
   * open yields to the event loop between its phases, so requests keep being answered; after a
   * compile (`compiled`) the briefs are not checked again for staleness: that compile read them,
   * and its thread's checked texts of the index (`fleetTexts`) stand in for reading it here.
   */
  async reload(reason: string, compiled = false, fleetTexts?: FleetTexts): Promise<void> {
    const started = performance.now();
    let opened;
    try {
      opened = await openServedFleet(this.request, {
        decisions: this.decisions,
        compaction: this.compaction,
        yieldBetweenPhases: true,
        staleCheck: !compiled,
        ...(fleetTexts ? { fleetTexts } : {}),
      });
    } catch (error) {
      // A bad `learning:` or `router:` section is the user's to fix: the served fleet stays, the problem shows as pending.
      if (!(error instanceof LearningConfigError || error instanceof RouterConfigError)) throw error;
      this.keep(reason, Math.round(performance.now() - started), [diagnostic('CF9515', error.message)]);
      return;
    }
    const ms = Math.round(performance.now() - started);
    if (opened.fleet) {
      if (this.fleet) this.reloads++;
      this.fleet = opened.fleet;
      this.problems = [];
      this.log({ event: 'fleet-loaded', hash: opened.fleet.hash, reason, ms, diagnostics: opened.diagnostics });
      return;
    }
    const errors = opened.diagnostics.filter((entry) => entry.severity === 'error');
    this.keep(reason, ms, errors.length > 0 ? errors : [diagnostic('CF9504', `no compiled fleet in ${opened.fleetShown}`)]);
  }

  /** A reload that failed: the served fleet stays, the problems show until the next success. */
  private keep(reason: string, ms: number, problems: Diagnostic[]): void {
    this.problems = problems;
    this.log({ event: 'fleet-kept', ...(this.fleet ? { hash: this.fleet.hash } : {}), reason, ms, diagnostics: problems });
  }

  /** Starts following the briefs: compile on change, reload on a written fleet. */
  async watch(): Promise<void> {
    const { config, diagnostics } = await loadConfig(this.request.root, this.request.configFile);
    if (hasErrors(diagnostics)) {
      this.problems = diagnostics;
      return;
    }
    const options = resolveCompilerOptions(
      this.request.root,
      config.compiler,
      this.request.fleetDir ? { out: this.request.fleetDir } : {},
      this.request.env,
    );
    const shown = (changed: string) => (isAbsolute(changed) ? relative(this.request.root, changed).split(sep).join('/') : changed);
    // Every compile runs on its own thread, which keeps its compile cache: routes keep being
    // answered while briefs compile, and only the open of a published fleet (its routing image)
    // and the swap run on this one. The fleet on disk serves at once; the start compile follows
    // in the background and is reloaded like any change when it publishes.
    this.compiler = new WorkerCompiler(options, this.compileTimeoutMs);
    const compiler = this.compiler;
    await this.reload('start');
    this.watching = await watchBriefs<WorkerCompileResult>(
      options,
      async (result, changed, ms) => {
        if (this.closing) return;
        this.compiles++;
        const reason = shown(changed);
        if (hasErrors(result.diagnostics)) {
          // Nothing was published: the fleet on disk is the last good one (opened at start-up).
          if (!this.fleet) await this.reload(reason);
          const kept = diagnostic('CF9505', `${reason}: the briefs do not compile; fleet ${this.fleet?.hash ?? '(none)'} keeps serving`);
          this.keep(reason, ms, [kept, ...result.diagnostics.filter((entry) => entry.severity === 'error')]);
          return;
        }
        if (result.written || !this.fleet || this.problems.length > 0) await this.reload(reason, true, result.fleet);
      },
      {
        compile: () => compiler.compile(),
        startInBackground: true,
        // A reload that threw (a bug): the served fleet stays, the error shows on /readyz and in the log.
        onError: (error, changed) =>
          this.keep(shown(changed), 0, [
            diagnostic('CF9601', `${shown(changed)}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
          ]),
      },
    );
  }

  /** Waits for the reloads already scheduled (tests, and a clean stop). */
  async idle(): Promise<void> {
    await this.watching?.idle();
  }

  /**
   * Stops the compile thread first, so a compile in flight settles at once instead of holding the
   * stop up to its timeout; then writes the route decisions still in memory and lets a running
   * outcome compaction end (within its bound).
   */
  async close(): Promise<void> {
    this.closing = true;
    await this.compiler?.close();
    await this.watching?.close();
    await this.decisions.flush(FLUSH_AT_STOP_MS);
    await this.compaction.close();
  }
}

/**
 * Opens the project's fleet for serving and, with `watch`, keeps it in step with the briefs.
 *
 * @example const served = await watchServedFleet({ root, env: process.env });
 */
export async function watchServedFleet(
  request: ServedFleetRequest,
  options: {
    watch?: boolean;
    log?: (event: ServedFleetEvent) => void;
    compileTimeoutMs?: number;
    decisions?: DecisionBatch;
    compaction?: BackgroundCompaction;
  } = {},
): Promise<FleetHolder> {
  const holder = new FleetHolder(request, options.log, options.compileTimeoutMs, options.decisions, options.compaction);
  if (options.watch === false) await holder.reload('start');
  else await holder.watch();
  return holder;
}
