/**
 * Outcomes for the learning subsystem (SPEC §4): one record per finished task. The runner writes
 * through an `OutcomeSink`; the default appends one JSON line per outcome to
 * `.codex-flow/outcomes.jsonl` with a single O_APPEND write, so concurrent runs never interleave
 * lines. The learning layer reads that file, or replaces the sink.
 *
 * @example
 * const sink = new JsonlOutcomeSink('/repo/.codex-flow/outcomes.jsonl');
 * await sink.record({ agent: 'code-reviewer', alias: 'code-reviewer', ok: true, latency_ms: 812, retries: 0, tool_errors: 0, stop_reason: 'completed', task_hash: 'sha256:…', at: new Date().toISOString() });
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface Outcome {
  route_id?: string;
  agent: string;
  alias: string;
  ok: boolean;
  latency_ms: number;
  retries: number;
  tool_errors: number;
  stop_reason: string;
  provider?: string;
  tokens?: { input: number; output: number; cached: number };
  cost_usd?: number;
  task_hash: string;
  at: string;
}

export interface OutcomeSink {
  record(outcome: Outcome): Promise<void>;
}

export class JsonlOutcomeSink implements OutcomeSink {
  private ready: Promise<unknown> | undefined;

  constructor(readonly file: string) {}

  async record(outcome: Outcome): Promise<void> {
    this.ready ??= mkdir(dirname(this.file), { recursive: true });
    await this.ready;
    await appendFile(this.file, `${JSON.stringify(outcome)}\n`, { flag: 'a' });
  }
}

/** Keeps outcomes in memory: for tests and library callers that route them elsewhere. */
export class MemoryOutcomeSink implements OutcomeSink {
  readonly outcomes: Outcome[] = [];

  async record(outcome: Outcome): Promise<void> {
    this.outcomes.push(outcome);
  }
}
