/**
 * The life of one provider call: an AbortController that fires when the caller cancels, when the
 * call exceeds its time budget, or — for streams — when no chunk arrived for the stall timeout.
 * It remembers which of those fired, so the error can say "stalled" or "timed out" rather than
 * the library's generic "aborted". One timer each, re-armed with `refresh()`: no allocation per
 * chunk.
 *
 * @example
 * const scope = new CallScope('openai', signal, 120_000, 60_000);
 * try { for await (const part of stream(scope.signal)) { scope.touch(); … } done = true; } finally { scope.finish(done); }
 */
import { ProviderError } from './errors.js';

export type AbortCause = 'timeout' | 'stall' | 'aborted' | 'cancelled';

export class CallScope {
  readonly signal: AbortSignal;
  cause: AbortCause | undefined;
  private readonly controller = new AbortController();
  private readonly timeoutTimer: NodeJS.Timeout;
  private stallTimer: NodeJS.Timeout | undefined;
  private readonly onCallerAbort = () => this.abort('aborted');

  constructor(
    private readonly provider: string,
    private readonly callerSignal: AbortSignal | undefined,
    private readonly timeoutMs: number,
    private readonly stallMs?: number,
  ) {
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
        return new ProviderError('timeout', `no complete answer within ${this.timeoutMs} ms`, { provider: this.provider });
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
