/**
 * Waiting for Ctrl-C or SIGTERM in a long-running command (serve, worker, swarm, convert --watch).
 *
 * The listeners are `process.on`, never `process.once`: signal-exit (loaded by proper-lockfile,
 * util/file-lock.ts, the first time a lock is taken) re-sends a signal and so kills the process when,
 * at the moment it looks, only its own listeners are left, and Node removes a `once` listener
 * before it runs. A command that registered `once` before the first lock would die on Ctrl-C
 * instead of stopping gracefully.
 */
export type StopSignal = 'SIGINT' | 'SIGTERM';

/**
 * Calls `handler` with the signal each time one of `signals` arrives (or `abort` fires, with
 * 'SIGTERM'), until the returned function removes the listeners.
 */
export function onStopSignal(signals: readonly StopSignal[], handler: (signal: StopSignal) => void, abort?: AbortSignal): () => void {
  const listeners = signals.map((signal) => [signal, () => handler(signal)] as const);
  for (const [signal, listener] of listeners) process.on(signal, listener);
  const aborted = () => handler('SIGTERM');
  abort?.addEventListener('abort', aborted, { once: true });
  return () => {
    for (const [signal, listener] of listeners) process.off(signal, listener);
    abort?.removeEventListener('abort', aborted);
  };
}

/** Resolves at the first of `signals` (or when `abort` fires); the listeners are gone by then. */
export function untilStopSignal(signals: readonly StopSignal[], abort?: AbortSignal): Promise<StopSignal> {
  return new Promise((resolve) => {
    if (abort?.aborted) return resolve('SIGTERM');
    const listener = (signal: StopSignal) => {
      // Removed after this signal's other listeners ran: signal-exit counts them as it runs.
      setImmediate(dispose);
      resolve(signal);
    };
    const listeners = signals.map((signal) => [signal, () => listener(signal)] as const);
    const dispose = () => {
      for (const [signal, handler] of listeners) process.off(signal, handler);
      abort?.removeEventListener('abort', aborted);
    };
    const aborted = () => {
      dispose();
      resolve('SIGTERM');
    };
    for (const [signal, handler] of listeners) process.on(signal, handler);
    abort?.addEventListener('abort', aborted, { once: true });
  });
}
