/**
 * Hard stops. A task's AbortController is aborted with a `TaskStop` naming why (its deadline, or
 * the run being cancelled); `untilAborted` makes any promise give up when the signal fires, so
 * code that ignores its signal still cannot hold a task past its deadline.
 *
 * @example
 * const result = await untilAborted(provider.generate(request, signal), signal);
 */

export class TaskStop extends Error {
  override readonly name = 'TaskStop';
  constructor(readonly reason: 'timeout' | 'cancelled') {
    super(reason === 'timeout' ? 'the task reached its timeout_ms' : 'the run was cancelled');
  }
}

/** The stop reason a fired signal stands for. */
export function stopOf(signal: AbortSignal): 'timeout' | 'cancelled' {
  return signal.reason instanceof TaskStop ? signal.reason.reason : 'cancelled';
}

/** Resolves like `promise`, or rejects with the signal's reason as soon as it aborts. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * A controller that aborts with TaskStop('timeout') after `timeoutMs`, and with
 * TaskStop('cancelled') when `parent` aborts. `dispose()` clears the timer.
 */
export function taskController(timeoutMs: number, parent?: AbortSignal): { signal: AbortSignal; deadline: number; dispose: () => void } {
  const controller = new AbortController();
  const deadline = Date.now() + timeoutMs;
  const timer = setTimeout(() => controller.abort(new TaskStop('timeout')), timeoutMs);
  const onParent = () => controller.abort(new TaskStop('cancelled'));
  if (parent?.aborted) onParent();
  else parent?.addEventListener('abort', onParent, { once: true });
  return {
    signal: controller.signal,
    deadline,
    dispose: () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParent);
    },
  };
}
