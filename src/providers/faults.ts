/**
 * A bug of ours is never a provider's fault. A provider call can throw two kinds of error: a
 * failure of the provider or the path to it (an HTTP status, a refused connection, a cut stream),
 * which failover acts on, and a programming error in codex-flow or a library it loaded (a
 * TypeError, a failed `import()`), which no other provider can fix. Classing the second as a
 * retryable `server` error fails over in a loop, opens healthy circuits and persists them; so a
 * programming error skips failover, the breaker and the state file, and reaches the CLI as an
 * internal error (exit 70).
 *
 * What is *not* a programming error, although it looks like one:
 * - undici's `TypeError('fetch failed')` and `TypeError('terminated')`: a network failure,
 *   recognisable by the `cause` they carry (the socket error). An error with a cause is the
 *   library reporting something that happened to it, and stays a provider error.
 * - the AI SDK's own errors (APICallError…), which carry the SDK's marker.
 * - the SyntaxError of `JSON.parse` on a body the server sent: malformed data, not our code.
 * - Node's I/O error codes (`ERR_STREAM_PREMATURE_CLOSE`, `ERR_SOCKET_…`, `ERR_TLS_…`): the
 *   connection failed.
 *
 * @example
 * catch (error) { if (isProgrammingError(error)) throw error; … failover … }
 */
import { ProviderError } from './errors.js';

/** The AI SDK marks every error it defines with this symbol (`AISDKError.isInstance`). */
const AI_SDK_MARKER = Symbol.for('vercel.ai.error');

/** Node error codes that report a failed connection or stream, not a bug. */
const IO_CODE_PREFIXES = ['ERR_STREAM_', 'ERR_SOCKET_', 'ERR_TLS_', 'ERR_SSL_', 'ERR_HTTP', 'ERR_INVALID_URL', 'ERR_NETWORK'];

const PROGRAMMING_ERROR_TYPES: ReadonlyArray<new (...args: never[]) => Error> = [TypeError, ReferenceError, RangeError, SyntaxError];

/**
 * Whether `error` is a bug (ours or a library's) rather than a failure of the provider.
 *
 * @example
 * isProgrammingError(new TypeError("Cannot read properties of undefined (reading 'map')")); // true
 * isProgrammingError(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') })); // false
 */
export function isProgrammingError(error: unknown): error is Error {
  if (!(error instanceof Error) || error instanceof ProviderError) return false;
  if ((error as unknown as Record<symbol, unknown>)[AI_SDK_MARKER] === true) return false;
  if (error.name === 'AbortError' || error.name === 'TimeoutError') return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code === 'MODULE_NOT_FOUND') return true;
    if (code.startsWith('ERR_')) return !IO_CODE_PREFIXES.some((prefix) => code.startsWith(prefix));
  }
  if (!PROGRAMMING_ERROR_TYPES.some((type) => error instanceof type)) return false;
  if (error.cause !== undefined) return false;
  return !(error instanceof SyntaxError && error.message.includes('JSON'));
}
