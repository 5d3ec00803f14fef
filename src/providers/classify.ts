/**
 * Turns whatever a client library threw into a ProviderError: the kind from the HTTP status (or
 * from how the call died when there was none), the provider's own message from the error body,
 * `Retry-After`, and a hint naming the setting to fix (`OPENAI_API_KEY`, `ANTHROPIC_MODEL`…).
 * An abort we caused ourselves (timeout, stall) is reported as such, not as the library's generic
 * abort. Messages pass through the redactor: an echoed key never reaches a log. A programming
 * error (faults.ts) is returned as it is: it is no provider's failure and must not be retried.
 *
 * @example
 * catch (error) { throw classifyError(error, { settings, scope, streamStarted, redactor }); }
 */
import { APICallError, InvalidResponseDataError, JSONParseError, TypeValidationError } from 'ai';
import type { CallScope } from './call-scope.js';
import { isProgrammingError } from './faults.js';
import { ProviderError, kindForStatus, type ProviderErrorKind } from './errors.js';
import type { ProviderSettings } from './options.js';
import { parseRetryAfter } from './rate-limit.js';
import type { Redactor } from './redact.js';

export interface ClassifyContext {
  settings: Pick<ProviderSettings, 'id' | 'model' | 'baseURL' | 'credentialEnv' | 'modelEnv'>;
  scope?: CallScope;
  /** Data already arrived: a broken connection now is a cut stream, not a network error. */
  streamStarted: boolean;
  redactor: Redactor;
}

/** Provider messages can be long (whole HTML error pages); a line is enough. */
const MAX_MESSAGE_LENGTH = 300;

export function classifyError(error: unknown, context: ClassifyContext): ProviderError | Error {
  if (isProgrammingError(error)) return error;
  const own = ownError(error);
  if (own) return own;
  const ownAbort = context.scope?.abortError();
  if (ownAbort) return ownAbort;
  const { settings, redactor } = context;
  const make = (kind: ProviderErrorKind, message: string, extra: { status?: number; retryAfterMs?: number; hint?: string } = {}) =>
    new ProviderError(kind, redactor.text(truncate(message)), { provider: settings.id, ...extra });

  if (APICallError.isInstance(error) && error.statusCode !== undefined && error.statusCode >= 400) {
    const status = error.statusCode;
    const kind = kindForStatus(status);
    return make(kind, bodyMessage(error.responseBody) ?? error.message, {
      status,
      retryAfterMs: parseRetryAfter(error.responseHeaders, Date.now()),
      hint: hintFor(kind, status, settings),
    });
  }
  const unparsable = causes(error).find(isParseFailure);
  if (unparsable) return make('malformed', `the response does not parse: ${firstLine((unparsable as Error).message)}`);
  if (isAbort(error)) return make('aborted', 'the call was cancelled');
  const detail = causeMessage(error);
  if (context.streamStarted || /Failed to process successful response/.test(detail)) {
    return make('stream-cut', `the response was cut before it finished (${detail})`);
  }
  return make('network', `cannot reach ${settings.baseURL ?? settings.id}: ${detail}`);
}

function hintFor(kind: ProviderErrorKind, status: number, settings: ClassifyContext['settings']): string | undefined {
  if (kind === 'auth') {
    return `check ${settings.credentialEnv ?? 'the API key'}: ${settings.id} rejected it (${status})`;
  }
  if (kind === 'request' && status === 404) {
    return `check the model name ${settings.modelEnv ? `(${settings.modelEnv}=` : '('}${settings.model}) and the base URL (${settings.baseURL ?? 'default'})`;
  }
  if (kind === 'request')
    return `${settings.id} rejected the request (${status}); fix what the message names, or the model (${settings.model})`;
  return undefined;
}

/** The provider's own words: OpenAI/Anthropic `{error:{message}}`, Ollama `{error:"…"}`. */
function bodyMessage(body: string | undefined): string | undefined {
  if (!body) return undefined;
  try {
    const parsed = JSON.parse(body) as { error?: unknown; message?: unknown };
    const error = parsed.error;
    if (typeof error === 'string') return error;
    if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') {
      return (error as { message: string }).message;
    }
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not JSON: fall through to the first line of the body
  }
  return firstLine(body) || undefined;
}

/** Fetch hides the useful part (`ECONNREFUSED 127.0.0.1:11434`) one or two causes deep. */
function causeMessage(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < MAX_CAUSE_DEPTH; depth++) {
    const { message, code } = current as { message?: string; code?: string };
    if (code && !parts.includes(code)) parts.push(code);
    if (message && !parts.some((part) => part.includes(message))) parts.push(firstLine(message));
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join(': ') || String(error);
}

/** A ProviderError we raised inside the library's call (the NDJSON guard), however deep it was wrapped. */
function ownError(error: unknown): ProviderError | undefined {
  return causes(error).find((cause): cause is ProviderError => cause instanceof ProviderError);
}

/** How deep a library wraps the error that matters: the AI SDK nests two or three levels. */
const MAX_CAUSE_DEPTH = 4;

/** The error and the causes it wraps, outermost first. */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current && chain.length < MAX_CAUSE_DEPTH; current = (current as { cause?: unknown }).cause)
    chain.push(current);
  return chain;
}

/**
 * A body that arrived whole but does not parse: the SDK's own parse and validation errors (a 200
 * "Invalid JSON response" wraps one), or the SyntaxError of `response.json()`.
 */
function isParseFailure(error: unknown): boolean {
  return (
    JSONParseError.isInstance(error) ||
    TypeValidationError.isInstance(error) ||
    InvalidResponseDataError.isInstance(error) ||
    error instanceof SyntaxError
  );
}

function isAbort(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'AbortError';
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!.trim();
}

function truncate(text: string): string {
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : text;
}
