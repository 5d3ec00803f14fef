/**
 * Observability of a task: one JSON line per task to the agent's `observability.log_channels`,
 * and an OpenTelemetry span `agent:<id>` when `tracing.enabled`, sampled at `tracing.sample_rate`.
 *
 * Channels: `file:<path>` (relative to the project root; one O_APPEND write per line), `stdout`,
 * `stderr`. An unknown channel is a CF8009 warning, reported once per run.
 *
 * Spans go through `@opentelemetry/api` only: without an SDK registered in the process they cost
 * nothing and go nowhere. Exporting is opt-in — register a TracerProvider (e.g. with
 * `node --import ./otel.js`), or pass a `tracer` to runTasks.
 *
 * @example
 * const telemetry = new Telemetry({ root, write: { stdout: io.stdout, stderr: io.stderr } });
 * await telemetry.taskLine(definition, line);
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { AgentDefinition } from '../schema/definition.js';
import type { Redactor } from '../providers/redact.js';

/** The per-task log line. `agent.id` is nested so `jq .agent.id` reads it. */
export interface TaskLine {
  at: string;
  run_id: string;
  agent: { id: string };
  alias: string;
  task_hash: string;
  ms: number;
  ok: boolean;
  stop_reason: string;
  provider: string | null;
  model: string | null;
  tokens: { input: number; output: number; cached: number };
  cost_usd: number | null;
  steps: number;
  retries: number;
  tool_calls: number;
  tool_refusals: number;
  tool_errors: number;
}

export interface TelemetryInit {
  root: string;
  write: { stdout: (text: string) => void; stderr: (text: string) => void };
  tracer?: Tracer;
  random?: () => number;
  /** The run's redactor: every log line passes it. */
  redactor?: Redactor;
}

export class Telemetry {
  readonly diagnostics: Diagnostic[] = [];
  private readonly warned = new Set<string>();
  private readonly madeDirs = new Map<string, Promise<unknown>>();
  private readonly tracer: Tracer;
  private readonly random: () => number;

  constructor(private readonly init: TelemetryInit) {
    this.tracer = init.tracer ?? trace.getTracer('codex-flow');
    this.random = init.random ?? Math.random;
  }

  /** A span for the task, or undefined when tracing is off or the sample says no. */
  startSpan(definition: AgentDefinition, attributes: Record<string, string>): Span | undefined {
    const tracing = definition.observability.tracing;
    if (!tracing.enabled || this.random() >= tracing.sample_rate) return undefined;
    return this.tracer.startSpan(`agent:${definition.agent.id}`, { attributes: { 'agent.id': definition.agent.id, ...attributes } });
  }

  endSpan(span: Span | undefined, line: TaskLine): void {
    if (!span) return;
    span.setAttributes({
      ok: line.ok,
      stop_reason: line.stop_reason,
      ms: line.ms,
      provider: line.provider ?? '',
      'tokens.input': line.tokens.input,
      'tokens.output': line.tokens.output,
      cost_usd: line.cost_usd ?? 0,
      tool_refusals: line.tool_refusals,
    });
    span.setStatus(line.ok ? { code: SpanStatusCode.OK } : { code: SpanStatusCode.ERROR, message: line.stop_reason });
    span.end();
  }

  async taskLine(definition: AgentDefinition, line: TaskLine): Promise<void> {
    const text = `${JSON.stringify(this.init.redactor ? this.init.redactor.value(line) : line)}\n`;
    for (const channel of definition.observability.log_channels) {
      if (channel === 'stdout') this.init.write.stdout(text);
      else if (channel === 'stderr') this.init.write.stderr(text);
      else if (channel.startsWith('file:') && channel.length > 5) await this.appendTo(channel.slice(5), text);
      else this.warnOnce(channel);
    }
  }

  private async appendTo(path: string, text: string): Promise<void> {
    const file = isAbsolute(path) ? path : join(this.init.root, path);
    let made = this.madeDirs.get(file);
    if (!made) this.madeDirs.set(file, (made = mkdir(dirname(file), { recursive: true })));
    await made;
    await appendFile(file, text, { flag: 'a' });
  }

  private warnOnce(channel: string): void {
    if (this.warned.has(channel)) return;
    this.warned.add(channel);
    this.diagnostics.push(diagnostic('CF8009', `log channel "${channel}" is not file:<path>, stdout or stderr`));
  }
}
