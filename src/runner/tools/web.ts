/**
 * WebFetch: a real HTTP(S) GET with a timeout and a size cap, refused unless the config enables it
 * (`runner.tools.webfetch.enabled: true`) — an agent whose brief lists WebFetch still gets nothing
 * from the network on a machine whose owner has not said yes. The body is read chunk by chunk and
 * cut at `max_bytes`, never buffered whole.
 */
import { done, fail, objectSchema, refuse, str, type ToolImpl } from './types.js';

export const webFetchTool: ToolImpl = {
  name: 'WebFetch',
  spec: {
    name: 'WebFetch',
    description: 'Fetch a URL (http or https) and return its text.',
    parameters: objectSchema({ url: { type: 'string' }, prompt: { type: 'string' } }, ['url']),
  },
  async run(input, context) {
    const settings = context.options.webfetch;
    if (!settings.enabled) return refuse('WebFetch is disabled; set runner.tools.webfetch.enabled: true to allow network access');
    let url: URL;
    try {
      url = new URL(str(input, 'url') ?? '');
    } catch {
      return fail('url must be an absolute http(s) URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return refuse(`only http and https URLs are fetched, not ${url.protocol}`);
    const timeoutMs = Math.max(1, Math.min(settings.timeoutMs, context.remainingMs()));
    const signal = AbortSignal.any([context.signal, AbortSignal.timeout(timeoutMs)]);
    try {
      const response = await fetch(url, { signal, redirect: 'follow' });
      const { text, truncated } = await readCapped(response, settings.maxBytes);
      return done({
        status: response.status,
        content_type: response.headers.get('content-type'),
        body: text,
        ...(truncated ? { truncated_at_bytes: settings.maxBytes } : {}),
      });
    } catch (error) {
      const name = (error as Error).name;
      return fail(
        name === 'TimeoutError'
          ? `no answer within ${timeoutMs} ms`
          : name === 'AbortError'
            ? 'the task was stopped'
            : `fetch failed: ${(error as Error).message}`,
      );
    }
  },
};

async function readCapped(response: Response, maxBytes: number): Promise<{ text: string; truncated: boolean }> {
  const reader = response.body?.getReader();
  if (!reader) return { text: '', truncated: false };
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done: finished, value } = await reader.read();
    if (finished) break;
    const room = maxBytes - size;
    if (value.length > room) {
      chunks.push(value.subarray(0, room));
      size += room;
      truncated = true;
      await reader.cancel();
      break;
    }
    chunks.push(value);
    size += value.length;
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated };
}
