/**
 * The life of one provider call: an AbortController that fires when the caller cancels, when the
 * call exceeds its time budget, or — for streams — when no chunk arrived for the stall timeout.
 * It remembers which of those fired, so the error can say "stalled" or "timed out" rather than
 * the library's generic "aborted". One timer each, re-armed with `refresh()`: no allocation per
 * chunk.
 *
 * The default request timeout of a stream bounds the wait for its first data, not the whole
 * stream: a long answer that keeps arriving is not cut at two minutes, and from the first chunk on
 * the stall timeout catches a dead connection. A `timeoutMs` the caller set on the request (the
 * runner's task deadline) caps the whole call, streamed or not.
 *
 * @example
 * const scope = CallScope.forStream('openai', request, runtime, signal);
 * try { for await (const part of stream(scope.signal)) { scope.touch(); … } done = true; } finally { scope.finish(done); }
 */
import { ProviderError } from './errors.js';
import type { ProviderRequest } from './provider.js';
import type { ProviderRuntime } from './runtime.js';

export type AbortCause = 'timeout' | 'stall' | 'aborted' | 'cancelled';

export class CallScope {
  readonly signal: AbortSignal;
  cause: AbortCause | undefined;
  private readonly controller = new AbortController();
  private readonly timeoutTimer: NodeJS.Timeout;
  private stallTimer: NodeJS.Timeout | undefined;
  private readonly onCallerAbort = () => this.abort('aborted');
  private waitingForData: boolean;

  /** A whole call (`generate`): the request's timeout, else the default, caps it. */
  static forCall(provider: string, request: ProviderRequest, runtime: ProviderRuntime, signal?: AbortSignal): CallScope {
    return new CallScope(provider, signal, request.timeoutMs ?? runtime.requestTimeoutMs);
  }

  /** A stream: stall timeout between chunks; the default timeout ends at the first data. */
  static forStream(provider: string, request: ProviderRequest, runtime: ProviderRuntime, signal?: AbortSignal): CallScope {
    return new CallScope(
      provider,
      signal,
      request.timeoutMs ?? runtime.requestTimeoutMs,
      runtime.stallTimeoutMs,
      request.timeoutMs === undefined,
    );
  }

  constructor(
    private readonly provider: string,
    private readonly callerSignal: AbortSignal | undefined,
    private readonly timeoutMs: number,
    private readonly stallMs?: number,
    /** The timeout bounds the wait for the first data only. */
    private readonly untilFirstData = false,
  ) {
    this.waitingForData = untilFirstData;
    this.signal = this.controller.signal;
    this.timeoutTimer = setTimeout(() => this.abort('timeout'), timeoutMs);
    if (stallMs !== undefined) this.stallTimer = setTimeout(() => this.abort('stall'), stallMs);
    if (callerSignal?.aborted) this.abort('aborted');
    else callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  /** Data arrived: the stall clock starts again. */
  touch(): void {
    this.stallTimer?.refresh();
  }

  /** Model output arrived (a token, a tool call): a stream's default timeout has done its job. */
  contentArrived(): void {
    if (!this.waitingForData) return;
    this.waitingForData = false;
    clearTimeout(this.timeoutTimer);
  }

  /** The call ended: timers off. `completed` false cancels a request still running (a consumer that stopped early). */
  finish(completed: boolean): void {
    clearTimeout(this.timeoutTimer);
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
    if (!completed) this.abort('cancelled');
  }

  /** The error for the abort that happened, or undefined when none did. */
  abortError(): ProviderError | undefined {
    switch (this.cause) {
      case 'timeout':
        return new ProviderError(
          'timeout',
          this.untilFirstData ? `no answer started within ${this.timeoutMs} ms` : `no complete answer within ${this.timeoutMs} ms`,
          { provider: this.provider },
        );
      case 'stall':
        return new ProviderError('stall', `the stream stalled: no data for ${this.stallMs} ms`, { provider: this.provider });
      case 'aborted':
      case 'cancelled':
        return new ProviderError('aborted', 'the call was cancelled', { provider: this.provider });
      default:
        return undefined;
    }
  }

  private abort(cause: AbortCause): void {
    if (this.signal.aborted) return;
    this.cause = cause;
    this.controller.abort(new Error(`codex-flow: ${cause}`));
  }
}
