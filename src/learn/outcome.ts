/**
 * Outcomes for the learning subsystem (SPEC §4): one record per finished task, written through an
 * `OutcomeSink`. The runner's default is the learning layer's `LearningOutcomeSink`
 * (src/learn/record.ts): one store (`.codex-flow/outcomes.jsonl`, one O_APPEND write per line) and
 * one format for runs and `codex-flow feedback`, with the routing decision's context attached
 * when the outcome carries a `route_id`.
 *
 * @example
 * const sink = new MemoryOutcomeSink();
 * await runTasks(tasks, { ...init, outcomes: sink });
 * sink.outcomes[0]?.stop_reason; // 'completed'
 */
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

/** Keeps outcomes in memory: for tests and library callers that route them elsewhere. */
export class MemoryOutcomeSink implements OutcomeSink {
  readonly outcomes: Outcome[] = [];

  async record(outcome: Outcome): Promise<void> {
    this.outcomes.push(outcome);
  }
}
