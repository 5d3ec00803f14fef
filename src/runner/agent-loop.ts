/**
 * The agent loop: system prompt (the brief, plus memory context), the task, then model turns. A
 * turn that calls tools gets their results and another turn; a turn without tool calls completes
 * the task. The loop stops on completion, `max_steps`, the task's deadline (its signal), the budget
 * or an error, and always says which (`stop_reason`). `single-shot` agents get one turn, no tools.
 *
 * Deny by default: only the plan's offered tools are sent to the model; a call to anything else is
 * refused before execution and audited (`tool-refused`), then either reported to the model as an
 * error result or — with `strictTools` and a tool outside the allow-list — ends the task.
 *
 * The deadline is a hard cap: every await on the model races the task's signal, so a provider
 * that ignores cancellation cannot hold the task past `timeout_ms`.
 *
 * @example
 * const result = await runAgentLoop({ definition, task: 'fix the flaky login test', model: chain, tools: planTools(definition, options.tools), ... });
 * result.stop_reason; // 'completed' | 'max-steps' | 'timeout' | 'budget' | 'tool-denied' | 'error' | 'cancelled'
 */
import { definitionWorkload, type Workload } from '../fleet/workload.js';
import { ProviderChainError, ProviderError } from '../providers/errors.js';
import { isProgrammingError } from '../providers/faults.js';
import type { Message, ProviderRequest, ProviderResult, StreamEvent } from '../providers/provider.js';
import type { AgentDefinition } from '../schema/definition.js';
import type { AutonomyGate, GateDecision } from './autonomy.js';
import type { ToolPlan } from './tools/policy.js';
import type { ToolContext, ToolOutcome } from './tools/types.js';
import { stopOf, untilAborted } from './abort.js';

/** `internal-error` is a bug in codex-flow (the CLI exits 70), never the agent's or a provider's failure. */
export type StopReason =
  'completed' | 'max-steps' | 'timeout' | 'budget' | 'tool-denied' | 'error' | 'cancelled' | 'blocked' | 'internal-error';

/** What the loop needs from a provider chain (ProviderChain fits; tests may pass their own). */
export interface ModelClient {
  generate(request: ProviderRequest, signal?: AbortSignal): Promise<ProviderResult & { attempts?: unknown[] }>;
  stream(request: ProviderRequest, signal?: AbortSignal): AsyncIterable<StreamEvent>;
  /** The client of a workload tier's model chain (ProviderChain.forWorkload); absent: one chain for every agent. */
  forWorkload?(workload: Workload): { chain: ModelClient };
}

/** The client an agent's turns go through: its workload tier's chain when the client has tiers. */
export function modelForAgent(model: ModelClient, definition: AgentDefinition): ModelClient {
  return model.forWorkload ? model.forWorkload(definitionWorkload(definition)).chain : model;
}

export interface LoopInput {
  definition: AgentDefinition;
  system: string;
  user: string;
  model: ModelClient;
  tools: ToolPlan;
  /** Tool calls that write or run commands below the agent's autonomy level need approval (autonomy.ts); absent: no gate. */
  autonomy?: AutonomyGate;
  toolContext: ToolContext;
  strictTools: boolean;
  signal: AbortSignal;
  remainingMs: () => number;
  /** Called with each text chunk when streaming. */
  onText?: (text: string) => void;
  emit: (event: Record<string, unknown>) => void;
}

export interface LoopResult {
  ok: boolean;
  stop_reason: StopReason;
  text: string;
  steps: number;
  provider: string | null;
  model: string | null;
  usage: { input: number; output: number; cached: number };
  cost_usd: number | null;
  retries: number;
  tool_calls: number;
  tool_refusals: number;
  tool_errors: number;
  error?: string;
  /** No model ever answered: the providers failed before the agent did anything (an outage, a wrong key). */
  never_reached_model?: boolean;
}

/**
 * A loop result before any step: where every loop starts, and the whole result of a task that
 * never reached the model (blocked by a hook, rejected, invalid, our own bug). One literal, so a
 * counter added to `LoopResult` starts at zero everywhere.
 */
export function emptyLoopResult<Stop extends string = StopReason>(
  stopReason: Stop,
  error?: string,
): Omit<LoopResult, 'stop_reason'> & { stop_reason: Stop } {
  return {
    ok: false,
    stop_reason: stopReason,
    text: '',
    steps: 0,
    provider: null,
    model: null,
    usage: { input: 0, output: 0, cached: 0 },
    cost_usd: null,
    retries: 0,
    tool_calls: 0,
    tool_refusals: 0,
    tool_errors: 0,
    ...(error !== undefined ? { error } : {}),
  };
}

export async function runAgentLoop(input: LoopInput): Promise<LoopResult> {
  const { definition } = input;
  const singleShot = definition.runtime.execution_mode === 'single-shot';
  const maxSteps = singleShot ? 1 : definition.runtime.max_steps;
  const specs = singleShot ? [] : input.tools.offered.map((tool) => tool.spec);
  const messages: Message[] = [{ role: 'user', content: input.user }];
  const result: LoopResult = emptyLoopResult('max-steps');
  const stop = (reason: StopReason, error?: string): LoopResult => {
    result.stop_reason = reason;
    result.ok = reason === 'completed';
    if (error) result.error = error;
    return result;
  };
  while (result.steps < maxSteps) {
    if (input.signal.aborted) return stop(stopOf(input.signal), 'stopped before the next model call');
    result.steps++;
    const request: ProviderRequest = { system: input.system, messages, timeoutMs: Math.max(1, input.remainingMs()) };
    // The brief's model (a tier such as sonnet, a full id, or inherit): the chain maps it per provider.
    if (definition.agent.model) request.model = definition.agent.model;
    if (specs.length > 0) request.tools = specs;
    input.emit({ event: 'model-call', step: result.steps, messages: messages.length });
    let turn: ProviderResult & { attempts?: unknown[] };
    try {
      turn = await untilAborted(input.onText ? streamTurn(input, request) : input.model.generate(request, input.signal), input.signal);
    } catch (error) {
      // A bug of ours is no model failure: it leaves the loop unchanged for the task to report as internal.
      if (isProgrammingError(error)) throw error;
      if (input.signal.aborted) return stop(stopOf(input.signal), `the model call was cut at the deadline`);
      const providerError = error instanceof ProviderError ? error : undefined;
      input.emit({ event: 'model-error', step: result.steps, error: providerError?.toJSON() ?? String(error) });
      if (providerError && isOutage(providerError) && result.provider === null) result.never_reached_model = true;
      return stop(
        providerError?.kind === 'budget' ? 'budget' : 'error',
        providerError ? providerError.summary() : (error as Error).message,
      );
    }
    account(result, turn);
    input.emit({
      event: 'model-result',
      step: result.steps,
      provider: turn.provider,
      finish: turn.finishReason,
      tool_calls: turn.toolCalls.map((call) => call.name),
      usage: turn.usage,
    });
    messages.push({ role: 'assistant', content: turn.text, ...(turn.toolCalls.length > 0 ? { toolCalls: turn.toolCalls } : {}) });
    if (turn.text) result.text = turn.text;
    if (turn.toolCalls.length === 0 || singleShot) return stop('completed');
    for (const call of turn.toolCalls) {
      result.tool_calls++;
      const decision = input.tools.decide(call.name);
      if (!decision.ok) {
        result.tool_refusals++;
        input.emit({
          event: 'tool-refused',
          step: result.steps,
          tool: call.name,
          call_id: call.id,
          reason: decision.reason,
          outside_allow_list: decision.outsideAllowList,
        });
        if (input.strictTools && decision.outsideAllowList) return stop('tool-denied', decision.reason);
        messages.push({ role: 'tool', toolCallId: call.id, toolName: call.name, result: `refused: ${decision.reason}`, isError: true });
        continue;
      }
      const gate: GateDecision = input.autonomy ? await input.autonomy.check(call.name, call.input) : { ok: true };
      if (!gate.ok) {
        result.tool_refusals++;
        input.emit({
          event: 'tool-refused',
          step: result.steps,
          tool: call.name,
          call_id: call.id,
          code: gate.code,
          reason: gate.reason,
          outside_allow_list: false,
        });
        messages.push({ role: 'tool', toolCallId: call.id, toolName: call.name, result: `refused: ${gate.reason}`, isError: true });
        continue;
      }
      if (gate.approved)
        input.emit({ event: 'tool-approved', step: result.steps, tool: call.name, call_id: call.id, by: 'runner.hooks.approve' });
      input.emit({ event: 'tool-call', step: result.steps, tool: call.name, call_id: call.id });
      const outcome = await runTool(decision.tool.run.bind(decision.tool), call.input, input.toolContext);
      if (!outcome.ok) {
        if (outcome.refused !== undefined) {
          result.tool_refusals++;
          input.emit({
            event: 'tool-refused',
            step: result.steps,
            tool: call.name,
            call_id: call.id,
            reason: outcome.refused,
            outside_allow_list: outcome.policy === true,
          });
          if (input.strictTools && outcome.policy) return stop('tool-denied', outcome.refused);
        } else {
          result.tool_errors++;
        }
      }
      input.emit({ event: 'tool-result', step: result.steps, tool: call.name, call_id: call.id, ok: outcome.ok });
      messages.push({
        role: 'tool',
        toolCallId: call.id,
        toolName: call.name,
        result: outcome.ok ? outcome.output : outcome.error,
        ...(outcome.ok ? {} : { isError: true }),
      });
      if (input.signal.aborted) return stop(stopOf(input.signal), `stopped during ${call.name}`);
    }
  }
  return stop('max-steps', `no answer within max_steps (${maxSteps})`);
}

async function runTool(
  run: (input: Record<string, unknown>, context: ToolContext) => Promise<ToolOutcome>,
  raw: unknown,
  context: ToolContext,
): Promise<ToolOutcome> {
  const input = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  try {
    return capOutput(await untilAborted(run(input, context), context.signal), context.options.maxOutputBytes);
  } catch (error) {
    return {
      ok: false,
      error: context.signal.aborted ? 'the task was stopped while the tool ran' : `tool failed: ${(error as Error).message}`,
    };
  }
}

/** A tool result the model gets is at most `cap` bytes (of text, or of JSON for objects), cut with a marker. */
export function capOutput(outcome: ToolOutcome, cap: number): ToolOutcome {
  const value = outcome.ok ? outcome.output : outcome.error;
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  if (Buffer.byteLength(text) <= cap) return outcome;
  const cut = `${Buffer.from(text).subarray(0, cap).toString('utf8')}\n[… cut at ${cap} bytes of ${Buffer.byteLength(text)}]`;
  return outcome.ok ? { ok: true, output: cut } : { ...outcome, error: cut };
}

async function streamTurn(input: LoopInput, request: ProviderRequest): Promise<ProviderResult> {
  for await (const event of input.model.stream(request, input.signal)) {
    if (event.type === 'text') input.onText!(event.text);
    else if (event.type === 'finish') return event.result;
    else if (event.type === 'incomplete') throw event.error;
  }
  throw new ProviderError('stream-cut', 'the stream ended without a result');
}

function account(result: LoopResult, turn: ProviderResult & { attempts?: unknown[] }): void {
  result.provider = turn.provider;
  result.model = turn.model;
  result.usage.input += turn.usage.input;
  result.usage.output += turn.usage.output;
  result.usage.cached += turn.usage.cached;
  if (turn.costUsd !== null) result.cost_usd = (result.cost_usd ?? 0) + turn.costUsd;
  result.retries += Math.max(0, (turn.attempts?.length ?? 1) - 1);
}

/** Failures of the providers themselves (down, slow, refusing the key), not of what the agent asked for. */
const OUTAGE_KINDS = new Set(['auth', 'rate-limit', 'server', 'timeout', 'network', 'stall', 'stream-cut', 'malformed']);

/**
 * Whether `error` is an outage: a kind above, or a whole chain that failed (`unavailable`) only for
 * such reasons or skips. A request the providers refused (a model no provider has, a prompt past
 * the context, tools a provider cannot take) is the agent's brief, not an outage.
 */
function isOutage(error: ProviderError): boolean {
  if (error instanceof ProviderChainError) return error.causes.every((cause) => !cause.error || OUTAGE_KINDS.has(cause.error.kind));
  return OUTAGE_KINDS.has(error.kind);
}
