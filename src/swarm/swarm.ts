/**
 * The swarm's composition root and library surface: `runSwarm` runs a routed plan, `resumeSwarm`
 * continues one from its event log. One swarm is one folder, `.runs/<swarm-id>/`: `events.jsonl`
 * (the plan, then every state change, before it happens), one runner record per attempt
 * (`run-1/`, `run-2/` after a resume: the tool calls, hooks and model turns of its subtasks), and
 * at the end `report.json` and `report.md`, written atomically.
 *
 * @example
 * const { report } = await runSwarm(plan, { init, options });
 * report.ok; // every subtask completed
 */
import { isAbsolute, join, relative } from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { Runner, type RunnerInit } from '../runner/runner.js';
import { newRunId } from '../runner/run-record.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { ChangedFiles } from './changed-files.js';
import { checkSwarmId, SwarmLog, type SwarmEvent } from './event-log.js';
import { executePlan, type ExecuteInput } from './execute.js';
import type { FollowUpRule } from '../fleet/follow-ups.js';
import type { RecordedResult } from './run-subtask.js';
import type { SwarmOptions } from './options.js';
import type { SubtaskOutcome } from './outcome.js';
import type { RoutedPlan } from './plan.js';
import { formatReportMarkdown, swarmReport, type SwarmReport } from './report.js';
import { SubtaskOutcomes } from './subtask-outcomes.js';
import { lockSwarmFolder, SWARM_LOCK_FILE } from './swarm-lock.js';
import { LearningOutcomeSink } from '../learn/record.js';

export const REPORT_JSON = 'report.json';
export const REPORT_MARKDOWN = 'report.md';

export interface SwarmRunInput {
  init: RunnerInit;
  options: SwarmOptions;
  swarmId?: string;
  strictTools?: boolean;
  signal?: AbortSignal;
  /** Each event once it is in the log (a live view or line log). */
  onEvent?: (event: SwarmEvent) => void;
  /** The fleet's follow-up rules, matched on each completed subtask's outcome while the swarm runs. */
  followUps?: readonly FollowUpRule[];
  /** `--revise-plan`: revises the not-started subtasks after a failure (revise-plan.ts). */
  revise?: ExecuteInput['revise'];
  /** Records each ended subtask's hand-offs (learn/handoffs.ts); absent: none recorded. */
  handoffs?: ExecuteInput['handoffs'];
  /** Workspace snapshots around subtasks that may run Bash (default on; off for library callers that run no tools). */
  snapshots?: boolean;
}

export interface SwarmResult {
  report: SwarmReport;
  /** The swarm's folder relative to the project root. */
  dir: string;
  diagnostics: Diagnostic[];
  /** Bugs of codex-flow that ended subtasks: the CLI rethrows the first once the report is written (exit 70). */
  internalErrors: Error[];
}

export async function runSwarm(plan: RoutedPlan, input: SwarmRunInput): Promise<SwarmResult> {
  const swarmId = input.swarmId ?? newRunId();
  return locked(swarmId, input, (log) => {
    log.append({ event: 'swarm-planned', swarm_id: swarmId, plan, options: input.options });
    return attempt(plan, swarmId, log, 1, new Map(), input);
  });
}

/** Continues a swarm whose log `log` holds: completed subtasks are kept, the others run. */
export async function continueSwarm(
  plan: RoutedPlan,
  swarmId: string,
  done: ReadonlyMap<string, SubtaskOutcome>,
  attemptNumber: number,
  input: SwarmRunInput & { recorded?: ReadonlyMap<string, RecordedResult> },
): Promise<SwarmResult> {
  return locked(swarmId, input, (log) => {
    log.append({
      event: 'swarm-resumed',
      swarm_id: swarmId,
      attempt: attemptNumber,
      completed: [...done.keys()],
      ...(input.recorded && input.recorded.size > 0 ? { recorded: [...input.recorded.keys()] } : {}),
    });
    return attempt(plan, swarmId, log, attemptNumber, done, input);
  });
}

/** A swarm that another live process is running (its folder's lock): CF8120. */
export class SwarmBusyError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

/** Runs `body` holding the swarm folder's lock, before the first event is written; the log is closed by `attempt`. */
async function locked(swarmId: string, input: SwarmRunInput, body: (log: SwarmLog) => Promise<SwarmResult>): Promise<SwarmResult> {
  checkSwarmId(swarmId);
  const dir = join(runsDirOf(input.init), swarmId);
  const lock = lockSwarmFolder(dir);
  if ('heldBy' in lock)
    throw new SwarmBusyError(
      diagnostic('CF8120', `swarm ${swarmId} is being run by another codex-flow process (pid ${lock.heldBy})`, {
        file: `${relative(input.init.root, dir).split('\\').join('/')}/${SWARM_LOCK_FILE}`,
        line: 1,
        column: 1,
      }),
    );
  try {
    const log = SwarmLog.open(runsDirOf(input.init), swarmId, input.init.clock, input.init.redactor);
    log.onEvent = input.onEvent;
    try {
      return await body(log);
    } finally {
      log.close();
    }
  } finally {
    lock.release();
  }
}

export function runsDirOf(init: Pick<RunnerInit, 'root' | 'options'>): string {
  return isAbsolute(init.options.runsDir) ? init.options.runsDir : join(init.root, init.options.runsDir);
}

async function attempt(
  planned: RoutedPlan,
  swarmId: string,
  log: SwarmLog,
  attemptNumber: number,
  done: ReadonlyMap<string, SubtaskOutcome>,
  input: SwarmRunInput & { recorded?: ReadonlyMap<string, RecordedResult> },
): Promise<SwarmResult> {
  const { init, options } = input;
  const clock = init.clock ?? Date.now;
  const started = clock();
  const changed = new ChangedFiles();
  const diagnostics: Diagnostic[] = [];
  try {
    // The stop signal goes to the scheduling only: running subtasks end on their own (within timeout_ms).
    const outcomeSink = new SubtaskOutcomes(init.outcomes ?? new LearningOutcomeSink(init.root));
    const runner = await Runner.create({
      ...init,
      model: changed.wrap(init.model),
      outcomes: outcomeSink,
      runId: `${swarmId}/run-${attemptNumber}`,
      strictTools: input.strictTools ?? false,
    });
    const runsDir = relative(init.root, runsDirOf(init)).split('\\').join('/');
    const { outcomes, results, internalErrors, plan } = await executePlan(planned, {
      runner,
      log,
      swarmId,
      maxParallel: options.maxParallel,
      contextChars: options.contextChars,
      maxRevisions: options.maxRevisions,
      outcomes: outcomeSink,
      changed,
      done,
      run: `run-${attemptNumber}`,
      ...(input.signal ? { signal: input.signal } : {}),
      ...(input.recorded ? { recorded: input.recorded } : {}),
      ...(input.revise ? { revise: input.revise } : {}),
      ...(input.handoffs ? { handoffs: input.handoffs } : {}),
      ...(input.followUps && input.followUps.length > 0 ? { followUps: { rules: input.followUps, maxSubtasks: options.maxSubtasks } } : {}),
      // The runs folder holds every subtask's own record: outside the root (or the root itself) nothing is left out.
      ...(input.snapshots === false
        ? {}
        : { workspace: { root: init.root, ignored: runsDir.startsWith('..') || runsDir === '' ? [] : [runsDir] } }),
      onShortened: (id) =>
        diagnostics.push(
          diagnostic('CF8114', `subtask "${id}": its dependencies' results were shortened to fit ${options.contextChars} characters`),
        ),
    });
    if (input.signal?.aborted)
      log.append({
        event: 'swarm-stopped',
        swarm_id: swarmId,
        not_run: [...outcomes.values()].filter((outcome) => outcome.state === 'not-run').map((outcome) => outcome.id),
      });
    const run = runner.finish(results);
    // CF8006 ("task failed") would repeat CF8110 below, which names the subtask.
    diagnostics.push(...run.diagnostics.filter((entry) => entry.code !== 'CF8006'));
    // Answers can quote a configured secret: the report passes the run's redactor as the log and the run record do.
    const built = swarmReport(swarmId, plan, outcomes, Math.max(0, Math.round(clock() - started)));
    const report = init.redactor ? init.redactor.value(built) : built;
    for (const subtask of report.subtasks) {
      if (subtask.state === 'failed')
        diagnostics.push(
          diagnostic(
            'CF8110',
            `subtask "${subtask.id}" (${subtask.agent ?? 'no agent'}) failed: ${subtask.reason ?? subtask.stop_reason ?? 'unknown'}`,
          ),
        );
      if (subtask.state === 'skipped') diagnostics.push(diagnostic('CF8111', `subtask "${subtask.id}" skipped: ${subtask.reason ?? ''}`));
      if (subtask.review === 'not-run')
        diagnostics.push(
          diagnostic(
            'CF8121',
            `subtask "${subtask.id}": its reviewer ${subtask.reviews?.at(-1)?.reviewer ?? ''} could not run (${subtask.reviews?.at(-1)?.summary.replace(/^the review could not run: /, '') ?? 'unknown'}); the work passed unreviewed`,
          ),
        );
    }
    log.append({ event: 'swarm-finished', swarm_id: swarmId, ok: report.ok, counts: report.counts, totals: report.totals });
    writeFileAtomic(join(log.dir, REPORT_JSON), `${JSON.stringify(report, null, 2)}\n`, { fsync: true });
    writeFileAtomic(join(log.dir, REPORT_MARKDOWN), formatReportMarkdown(report));
    return {
      report,
      dir: relative(init.root, log.dir).split('\\').join('/'),
      diagnostics,
      internalErrors: [...runner.internalErrors, ...internalErrors],
    };
  } finally {
    log.close();
  }
}
