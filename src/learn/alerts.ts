/**
 * Alerts from an agent's `metrics:` section: `thresholds.failure_rate_pct` over a sliding window of
 * its last tasks, and `thresholds.heartbeat_miss` (that many heartbeat intervals without a beat
 * from a running task). A crossing sends one `escalation` event to `escalation.notify`; the way
 * back sends one `recovery` event — once per crossing, never once per task.
 *
 * Targets, each an entry of `notify`: `log` (a JSON line appended to `.codex-flow/alerts.jsonl`),
 * an `http://` or `https://` URL (a JSON POST; only URLs the brief names are ever called), or
 * `command:<shell command>` (run with the event as JSON on stdin). Webhooks and commands are
 * bounded by NOTIFY_TIMEOUT_MS; a failed delivery is reported to `onError`, never thrown, and
 * never holds a task.
 *
 * @example
 * const monitor = new AlertMonitor({ deliver: notifier(root) });
 * monitor.taskEnded(definition, { ok: false }); // after 5 tasks, 3 failed: one escalation
 */
import { isAgentsOwn } from './state.js';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Tasks in the failure-rate window: recent enough to react within a run, long enough to be a rate. */
export const ALERT_WINDOW = 20;
/** Below five tasks one failure reads as 20 % or more: no failure-rate alert before that. */
export const MIN_ALERT_TASKS = 5;
/** A notification that has not gone through in 5 s is abandoned: alerts must never hold the run. */
export const NOTIFY_TIMEOUT_MS = 5_000;
export const ALERTS_FILE = '.codex-flow/alerts.jsonl';

export interface AlertEvent {
  event: 'escalation' | 'recovery';
  agent: string;
  metric: 'failure_rate_pct' | 'heartbeat_miss';
  value: number;
  threshold: number;
  reason: string;
  at: string;
}

/** What the monitor reads of a definition. */
export interface MonitoredAgent {
  agent: { id: string };
  runtime: { heartbeat_interval_ms: number };
  metrics: { thresholds: { failure_rate_pct: number; heartbeat_miss: number }; escalation: { notify: readonly string[] } };
}

export type Deliver = (target: string, event: AlertEvent) => Promise<void>;

export class AlertMonitor {
  private readonly windows = new Map<string, boolean[]>();
  private readonly alerting = new Set<string>();
  private readonly beats = new Map<string, { definition: MonitoredAgent; last: number }>();
  private readonly pending: Array<Promise<void>> = [];

  constructor(private readonly options: { deliver: Deliver; now?: () => number; onError?: (target: string, error: Error) => void }) {}

  /** Folds a finished task into its agent's window; a crossing notifies. */
  taskEnded(definition: MonitoredAgent, task: { ok: boolean; stop_reason?: string }): AlertEvent | undefined {
    if (!isAgentsOwn(task.stop_reason)) return undefined;
    const id = definition.agent.id;
    const window = this.windows.get(id) ?? [];
    window.push(!task.ok);
    if (window.length > ALERT_WINDOW) window.shift();
    this.windows.set(id, window);
    if (window.length < MIN_ALERT_TASKS) return undefined;
    const failures = window.filter(Boolean).length;
    const rate = Math.round((failures / window.length) * 1000) / 10;
    const threshold = definition.metrics.thresholds.failure_rate_pct;
    return this.transition(
      definition,
      'failure_rate_pct',
      rate > threshold,
      rate,
      threshold,
      `${failures} of the last ${window.length} tasks failed (${rate} %, threshold ${threshold} %)`,
    );
  }

  /** A running task's heartbeat (`key` names the task); `taskStopped` ends its watch. */
  heartbeat(key: string, definition: MonitoredAgent): void {
    this.beats.set(key, { definition, last: this.now() });
  }

  taskStopped(key: string): void {
    const watched = this.beats.get(key);
    this.beats.delete(key);
    if (watched && this.alerting.has(`${watched.definition.agent.id}\0heartbeat_miss`))
      this.transition(
        watched.definition,
        'heartbeat_miss',
        false,
        0,
        watched.definition.metrics.thresholds.heartbeat_miss,
        'the task stopped',
      );
  }

  /** Checks every watched task for missed heartbeats; call it on a timer. */
  checkHeartbeats(): AlertEvent[] {
    const out: AlertEvent[] = [];
    for (const { definition, last } of this.beats.values()) {
      const missed = Math.floor((this.now() - last) / definition.runtime.heartbeat_interval_ms) - 1;
      const threshold = definition.metrics.thresholds.heartbeat_miss;
      const event = this.transition(
        definition,
        'heartbeat_miss',
        missed >= threshold,
        Math.max(0, missed),
        threshold,
        `${Math.max(0, missed)} heartbeat(s) missed (every ${definition.runtime.heartbeat_interval_ms} ms; threshold ${threshold})`,
      );
      if (event) out.push(event);
    }
    return out;
  }

  /** Resolves when every notification sent so far has been delivered or given up. */
  async settled(): Promise<void> {
    await Promise.all(this.pending.splice(0));
  }

  private transition(
    definition: MonitoredAgent,
    metric: AlertEvent['metric'],
    crossed: boolean,
    value: number,
    threshold: number,
    reason: string,
  ): AlertEvent | undefined {
    const key = `${definition.agent.id}\0${metric}`;
    if (crossed === this.alerting.has(key)) return undefined;
    if (crossed) this.alerting.add(key);
    else this.alerting.delete(key);
    const event: AlertEvent = {
      event: crossed ? 'escalation' : 'recovery',
      agent: definition.agent.id,
      metric,
      value,
      threshold,
      reason,
      at: new Date(this.now()).toISOString(),
    };
    for (const target of definition.metrics.escalation.notify) {
      this.pending.push(this.options.deliver(target, event).catch((error: Error) => this.options.onError?.(target, error)));
    }
    return event;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

/**
 * The real delivery: `log` to `<root>/.codex-flow/alerts.jsonl`, a URL by POST, `command:` by a
 * shell with the event on stdin; each bounded by `timeoutMs`.
 */
export function notifier(root: string, timeoutMs = NOTIFY_TIMEOUT_MS): Deliver {
  return async (target, event) => {
    const line = JSON.stringify(event);
    if (target === 'log') {
      const file = join(root, ALERTS_FILE);
      mkdirSync(dirname(file), { recursive: true });
      appendFileSync(file, `${line}\n`);
    } else if (/^https?:\/\//i.test(target)) {
      const response = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: line,
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) throw new Error(`webhook answered ${response.status}`);
    } else if (target.startsWith('command:')) {
      await runCommand(target.slice('command:'.length).trim(), line, root, timeoutMs);
    } else {
      throw new Error(`unknown notify target ${JSON.stringify(target)}: use log, an http(s) URL or command:<shell command>`);
    }
  };
}

function runCommand(command: string, input: string, cwd: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { cwd, stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
      reject(new Error(`notify command timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`notify command exited ${code}`));
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}
