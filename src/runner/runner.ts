/**
 * The runner's composition root and library surface. `runTasks` (and `runTask`) take task specs,
 * pick each task's agent (named, aliased, or routed), admit them to the per-alias scheduler and
 * run them; one `Runner` is one run with one run record. Tasks are prepared (routed, resolved)
 * first and submitted in one synchronous pass, so admission depends only on the order of the
 * tasks, never on how fast earlier ones finish: a burst past an alias's threshold is rejected
 * exactly.
 *
 * @example
 * const result = await runTasks([{ task: 'fix the flaky login test' }], { root, fleet, router, model: chain, options });
 * result.tasks[0]?.stop_reason; // 'completed'
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { AliasResolver, type RunnerFleet } from './aliases.js';
import { TaskPreparer, type Prepared, type RouterLike, type TaskSpec } from './prepare.js';
import type { ModelClient } from './agent-loop.js';
import { executeTask, taskHash, taskLineOf, type PreparedTask, type TaskResult } from './execute-task.js';
import { failedResult, lostMemoryWrite, taskDiagnostics } from './task-result.js';
import { AgentMemory } from './memory/agent-memory.js';
import { MemoryAccess } from './memory/policy.js';
import type { MemoryStore } from './memory/store.js';
import type { RunnerOptions } from './options.js';
import type { OutcomeSink } from '../learn/outcome.js';
import type { TaskAlerts, TaskRules } from './execute-task.js';
import { LearningOutcomeSink } from '../learn/record.js';
import { newRunId, NullRecorder, RunRecorder, type RecordSink } from './run-record.js';
import { Scheduler, type Admission, type BackpressureError } from './scheduler.js';
import { Telemetry } from './telemetry.js';
import { taskPlan, type PlanContext, type TaskPlan } from './plan.js';
import { Workspace } from './tools/workspace.js';
import { ProtectedPaths, protectedEntries } from './tools/protected.js';
import { DEFAULT_FLEET_DIR } from '../fleet/complete-fleet.js';
import { runIsolation, type RunIsolation } from './isolation.js';
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import type { Tracer } from '@opentelemetry/api';
import { Redactor, secretsFromEnv } from '../providers/redact.js';

export type { TaskSpec, RouterLike, Prepared } from './prepare.js';

/** What a queue (src/queue) gets of the run whose tasks it takes: events go to the record, outcomes to the sink. */
export interface DispatchRun {
  runId: string;
  record: RecordSink;
  outcomes: OutcomeSink;
}

/** Runs admitted tasks elsewhere (BullMQ workers) instead of this process's scheduler; same admission, same result. */
export interface TaskDispatch {
  submit(task: PreparedTask, priority: number, run: DispatchRun): Promise<Admission<TaskResult>>;
}

export interface RunnerInit {
  root: string;
  fleet: RunnerFleet;
  options: RunnerOptions;
  model: ModelClient;
  router?: RouterLike;
  /** null runs without memory. */
  memory?: MemoryStore | null;
  /** Where outcomes go. Default: the learning store (`LearningOutcomeSink`, default learning options). */
  outcomes?: OutcomeSink;
  /** Learned rules (src/learn/rules.ts): loaded into each agent's prompt, fed each finished task. Default: none. */
  rules?: TaskRules;
  /** Escalation when an agent crosses its metrics.thresholds (src/learn/alerts.ts). Default: none. */
  alerts?: TaskAlerts;
  /** `learning.autotune: apply`'s per-agent values (src/learn/tuning.ts), applied under the configured ones. Default: none. */
  tuned?: ReadonlyMap<string, { autonomy_level?: number; max_parallel_tasks?: number }>;
  /** false writes no run record (benches, dry runs). */
  record?: boolean;
  /** The runner's environment; children get only its allow-listed part (`childEnvironment`). Default: empty (bash's own PATH). */
  env?: Record<string, string | undefined>;
  strictTools?: boolean;
  onText?: (task: PreparedTask, text: string) => void;
  signal?: AbortSignal;
  tracer?: Tracer;
  random?: () => number;
  clock?: () => number;
  write?: { stdout: (text: string) => void; stderr: (text: string) => void };
  runId?: string;
  /** When set (a configured queue), tasks are enqueued for workers instead of run here. */
  dispatch?: TaskDispatch;
  /** The compiled fleet's folder and the config file, protected from file tools with the other control files (and read-only in the command sandbox). Default `codex/agents`, none. */
  fleetDir?: string;
  configFile?: string;
  /** The learning store's folder and the providers' state file, protected like the fleet (set by `openRunContext`). Default: none beyond `.codex-flow`. */
  learningDir?: string;
  providersStateFile?: string;
  /**
   * The one redactor for everything the run writes (record, logs, the returned result). Default:
   * one knowing the secrets of `env`; `openRunContext` adds the providers' keys and the memory URL's password.
   */
  redactor?: Redactor;
}

export interface RunResult {
  run_id: string;
  /** The run record folder relative to the root, when one was written. */
  record?: string;
  /** Every task completed and no memory write was lost. */
  ok: boolean;
  counts: { ok: number; failed: number; rejected: number };
  tasks: TaskResult[];
  diagnostics: Diagnostic[];
  /** How commands ran: `bubblewrap`, or `none` with the reason (also said once on stderr at start). */
  sandbox: { kind: 'bubblewrap' | 'none'; reason?: string };
}

export class Runner {
  readonly runId: string;
  readonly scheduler: Scheduler;
  readonly resolver: AliasResolver;
  readonly diagnostics: Diagnostic[] = [];
  /** Bugs of codex-flow that ended tasks: the CLI rethrows the first once the run is recorded (exit 70). */
  readonly internalErrors: Error[] = [];
  private readonly record: RecordSink;
  private readonly telemetry: Telemetry;
  private readonly outcomes: OutcomeSink;
  private readonly memoryAccess: MemoryAccess;
  private readonly memories = new Map<string, AgentMemory>();
  private readonly preparer: TaskPreparer;
  private finished = false;
  private readonly clock: () => number;
  private readonly redactor: Redactor;

  private constructor(
    private readonly init: RunnerInit,
    private readonly workspace: Workspace,
    private readonly isolation: RunIsolation,
  ) {
    this.runId = init.runId ?? newRunId();
    this.clock = init.clock ?? Date.now;
    this.resolver = new AliasResolver(init.fleet, init.options, init.tuned);
    this.preparer = new TaskPreparer(this.resolver, init.options.tools, this.diagnostics, init.router);
    this.scheduler = new Scheduler((alias) => {
      const resolved = this.resolver.resolve(alias);
      return resolved.ok ? resolved.target.lane : { limit: 1, strategy: 'fifo', maxQueued: 0 };
    });
    const runsDir = isAbsolute(init.options.runsDir) ? init.options.runsDir : join(init.root, init.options.runsDir);
    this.redactor = init.redactor ?? new Redactor(secretsFromEnv(init.env ?? {}));
    this.record = init.record === false ? new NullRecorder(this.runId) : RunRecorder.create(runsDir, this.runId, this.clock, this.redactor);
    this.telemetry = new Telemetry({
      root: init.root,
      redactor: this.redactor,
      write: init.write ?? { stdout: () => {}, stderr: () => {} },
      ...(init.tracer ? { tracer: init.tracer } : {}),
      ...(init.random ? { random: init.random } : {}),
    });
    this.outcomes = init.outcomes ?? new LearningOutcomeSink(init.root);
    this.memoryAccess = new MemoryAccess((id) => init.fleet.definition(id), init.fleet.ids);
    const support = isolation.support;
    this.record.event({
      event: 'run-start',
      run_id: this.runId,
      sandbox: support.kind,
      ...(support.kind === 'none' ? { sandbox_reason: support.reason } : {}),
    });
    if (support.kind === 'none') {
      init.write?.stderr(
        `codex-flow: warning CF8040: commands (Bash, hooks) run without a sandbox: ${support.reason}${init.strictTools ? '; --strict-tools refuses Bash' : ''}\n`,
      );
    }
    if (support.kind === 'bubblewrap' && isolation.uncoveredGlobs.length > 0) {
      init.write?.stderr(
        `codex-flow: warning CF8050: protected globs ${isolation.uncoveredGlobs.join(', ')} cover, inside the command sandbox, only the files they matched at run start: Bash and hooks can create new matches (file tools refuse them)\n`,
      );
    }
  }

  static async create(init: RunnerInit): Promise<Runner> {
    const { options } = init;
    const fleetDir = init.fleetDir ?? DEFAULT_FLEET_DIR;
    const configFile = init.configFile ? { configFile: init.configFile } : {};
    // Only stores that exist now go to the sandbox: a missing control path is removed after each
    // command, which would race the runner creating the store during the run.
    const stores = [init.learningDir, init.providersStateFile].filter(
      (entry): entry is string => entry !== undefined && existsSync(isAbsolute(entry) ? entry : join(init.root, entry)),
    );
    const entries = protectedEntries(
      {
        runsDir: options.runsDir,
        fleetDir,
        memoryDir: options.memory.dir,
        ...configFile,
        learningDir: init.learningDir,
        providersStateFile: init.providersStateFile,
      },
      options.tools.protected,
    );
    const workspaceRoot = isAbsolute(options.workspace) ? options.workspace : join(init.root, options.workspace);
    const protection = await ProtectedPaths.create(init.root, entries, workspaceRoot);
    const workspace = await Workspace.open(workspaceRoot, { protection });
    // The sandbox mounts the same list read-only. It reads paths only, so the stores and what names
    // at any depth and globs match now (protection.existingMatches) join the entries it reads.
    const matched = options.sandbox.enabled ? await protection.existingMatches(workspaceRoot) : [];
    const extra = [...stores, ...matched];
    const isolationOptions =
      extra.length === 0 ? options : { ...options, tools: { ...options.tools, protected: [...options.tools.protected, ...extra] } };
    const isolation = runIsolation({ root: init.root, workspace: workspace.root, options: isolationOptions, fleetDir, ...configFile });
    return new Runner(init, workspace, isolation);
  }

  /** Routes (when no agent or alias is named) and resolves the alias; nothing runs yet. */
  prepare(spec: TaskSpec, index: number): Promise<Prepared> {
    return this.preparer.prepare(spec, index);
  }

  /** Admits a prepared task to its alias's lane; a full queue gives a `rejected` result at once. */
  submit(task: PreparedTask, priority = 0): Promise<TaskResult> {
    if (this.init.dispatch) {
      return this.init.dispatch
        .submit(task, priority, { runId: this.runId, record: this.record, outcomes: this.outcomes })
        .then((admission) => (admission.accepted ? admission.done : this.rejected(task, admission.error)));
    }
    const admission = this.scheduler.submit(task.target.alias, () => executeTask(task, this.services()), priority);
    if (admission.accepted) return admission.done;
    return this.rejected(task, admission.error);
  }

  /** Runs a task now, outside the scheduler, for another run (a queue worker): its id, record and outcomes replace this runner's. */
  execute(task: PreparedTask, run: DispatchRun & { model?: ModelClient; signal?: AbortSignal }): Promise<TaskResult> {
    return executeTask(task, { ...this.services(), ...run });
  }

  private rejected(task: PreparedTask, error: BackpressureError): Promise<TaskResult> {
    this.record.event({ event: 'task-rejected', task: task.index, alias: task.target.alias, reason: error.message });
    const agent = task.target.definition.agent.id;
    const result = failedResult(
      task.index,
      agent,
      task.target.alias,
      taskHash(agent, task.task, task.files),
      'rejected',
      error.message,
      task.id,
    );
    // A rejected task still gets its JSON line (observability), but no outcome: the agent never ran.
    return this.telemetry.taskLine(task.target.definition, taskLineOf(result, this.runId, new Date(this.clock()).toISOString())).then(
      () => result,
      () => result,
    );
  }

  async runTasks(specs: readonly TaskSpec[]): Promise<RunResult> {
    if (this.finished) throw new Error('this run is finished: create a new Runner for the next batch');
    const prepared = await Promise.all(specs.map((spec, index) => this.prepare(spec, index)));
    const pending = prepared.map((entry, index) => {
      if (entry.ok) return this.submit(entry.task, specs[index]!.priority ?? 0);
      this.diagnostics.push(entry.diagnostic);
      this.record.event({ event: 'task-invalid', task: index, reason: entry.diagnostic.message });
      return Promise.resolve(
        failedResult(index, entry.agent ?? '', entry.alias ?? '', '', 'invalid', entry.diagnostic.message, specs[index]!.id),
      );
    });
    const tasks = await Promise.all(pending);
    return this.finish(tasks);
  }

  /** `--dry-run`: prepares every task and describes how it would run; runs nothing. */
  async plan(
    specs: readonly TaskSpec[],
    providers: string[],
    modelsFor?: PlanContext['modelsFor'],
    tierOf?: PlanContext['tierOf'],
  ): Promise<{ plans: TaskPlan[]; diagnostics: Diagnostic[] }> {
    const plans: TaskPlan[] = [];
    const diagnostics: Diagnostic[] = [];
    const memoryStore = this.init.memory ? this.init.memory.kind : 'none';
    for (const [index, spec] of specs.entries()) {
      const prepared = await this.prepare(spec, index);
      if (prepared.ok)
        plans.push(
          taskPlan(prepared.task, {
            options: this.init.options,
            providers,
            memoryStore,
            access: this.memoryAccess,
            ...(modelsFor ? { modelsFor } : {}),
            ...(tierOf ? { tierOf } : {}),
            ...(this.init.rules ? { rules: this.init.rules } : {}),
          }),
        );
      else diagnostics.push(prepared.diagnostic);
    }
    return { plans, diagnostics: [...this.diagnostics, ...diagnostics] };
  }

  /** Writes the result last (atomically) and closes the record; the result returned is redacted as the record is. */
  finish(tasks: TaskResult[]): RunResult {
    this.finished = true;
    const counts = { ok: 0, failed: 0, rejected: 0 };
    for (const task of tasks) {
      if (task.ok) counts.ok++;
      else if (task.stop_reason === 'rejected') counts.rejected++;
      else counts.failed++;
    }
    const runsDir = this.init.options.runsDir;
    const recordDir =
      this.init.record === false
        ? undefined
        : `${isAbsolute(runsDir) ? runsDir : relative(this.init.root, join(this.init.root, runsDir)) || '.'}/${this.runId}/`;
    this.diagnostics.push(...this.telemetry.diagnostics, ...tasks.flatMap((task) => taskDiagnostics(task, recordDir)));
    const support = this.isolation.support;
    const sandbox = support.kind === 'none' ? { kind: support.kind, reason: support.reason } : { kind: support.kind };
    // A lost memory write leaves the task's answer standing but makes the run not ok (exit 1).
    const ok = counts.ok === tasks.length && !tasks.some(lostMemoryWrite);
    const result: RunResult = { run_id: this.runId, ok, counts, tasks, diagnostics: this.diagnostics, sandbox };
    if (this.record.dir) result.record = relative(this.init.root, this.record.dir).split('\\').join('/');
    this.record.event({ event: 'run-end', ok: result.ok, counts });
    this.record.finish(result);
    return this.redactor.value(result);
  }

  private services() {
    return {
      runId: this.runId,
      root: this.init.root,
      options: this.init.options,
      model: this.init.model,
      workspace: this.workspace,
      parentEnv: this.init.env ?? {},
      redactor: this.redactor,
      record: this.record,
      telemetry: this.telemetry,
      outcomes: this.outcomes,
      memoryFor: (agent: string) => this.memoryFor(agent),
      strictTools: this.init.strictTools ?? false,
      isolation: this.isolation,
      onInternalError: (error: Error) => {
        this.internalErrors.push(error);
      },
      ...(this.init.rules ? { rules: this.init.rules } : {}),
      ...(this.init.alerts ? { alerts: this.init.alerts } : {}),
      ...(this.init.onText ? { onText: this.init.onText } : {}),
      ...(this.init.signal ? { signal: this.init.signal } : {}),
      clock: this.clock,
    };
  }

  private memoryFor(agent: string): AgentMemory | undefined {
    if (!this.init.memory) return undefined;
    let memory = this.memories.get(agent);
    if (!memory) this.memories.set(agent, (memory = new AgentMemory(this.init.memory, this.memoryAccess, agent, this.clock)));
    return memory;
  }
}

/**
 * Runs tasks as one run and returns the run's result (also written to `.runs/<run-id>/`).
 *
 * @example
 * const { tasks } = await runTasks([{ agent: 'code-reviewer', task: 'review the diff' }], init);
 */
export async function runTasks(specs: readonly TaskSpec[], init: RunnerInit): Promise<RunResult> {
  return (await Runner.create(init)).runTasks(specs);
}

/** One task as a run of one. @example const { tasks: [result] } = await runTask({ task: 'fix the flaky login test' }, init); */
export async function runTask(spec: TaskSpec, init: RunnerInit): Promise<RunResult> {
  return runTasks([spec], init);
}

/** A LoadedFleet (src/fleet/load.ts) as the runner's fleet. */
export function runnerFleet(fleet: { index: { agents: Array<{ id: string }> }; definition: RunnerFleet['definition'] }): RunnerFleet {
  return { ids: fleet.index.agents.map((agent) => agent.id), definition: (id) => fleet.definition(id) };
}
