/**
 * A fetch wrapper that makes a malformed NDJSON line an error. `ollama-ai-provider-v2` logs a
 * line that does not parse to the console and skips it, which would turn a corrupted stream into
 * a silently shorter answer. This guard sits between fetch and the library: it passes the bytes
 * through untouched and errors the body stream on the first line that is not JSON, so the
 * library sees a failed read and the call fails as `malformed`.
 *
 * Only NDJSON responses are touched; everything else is returned as is.
 *
 * @example
 * createOllama({ baseURL, fetch: ndjsonGuardFetch('ollama') });
 */
import { ProviderError } from './errors.js';

type Fetch = typeof globalThis.fetch;

/** The bad line is quoted up to this length: enough to see what the server sent. */
const MAX_QUOTED_LINE = 80;

export function ndjsonGuardFetch(provider: string, baseFetch: Fetch = globalThis.fetch): Fetch {
  return async (input, init) => {
    const response = await baseFetch(input, init);
    const type = response.headers.get('content-type') ?? '';
    if (!response.ok || !response.body || !type.includes('ndjson')) return response;
    return new Response(response.body.pipeThrough(ndjsonValidator(provider)), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

function ndjsonValidator(provider: string): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  let pending = '';
  const check = (line: string, controller: TransformStreamDefaultController<Uint8Array>): boolean => {
    if (line.trim() === '') return true;
    try {
      JSON.parse(line);
      return true;
    } catch {
      controller.error(
        new ProviderError('malformed', `a stream line does not parse as JSON: ${line.slice(0, MAX_QUOTED_LINE)}`, { provider }),
      );
      return false;
    }
  };
  return new TransformStream({
    transform(chunk, controller) {
      pending += decoder.decode(chunk, { stream: true });
      let newline = pending.indexOf('\n');
      while (newline !== -1) {
        if (!check(pending.slice(0, newline), controller)) return;
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
      controller.enqueue(chunk);
    },
    flush(controller) {
      check(pending + decoder.decode(), controller);
    },
  });
}
