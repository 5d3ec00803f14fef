/**
 * One bench run: a provider called directly, timed, and turned into a BenchRun — never a throw,
 * so a failing provider shows up as errors in the report instead of ending the bench.
 *
 * Streamed runs are drained here rather than through collectStream so each content chunk's
 * arrival time is known: the output rate is then counted after the first chunk (decodeRate).
 *
 * @example
 * const run = await measure(provider, 1, request, true, redactor);
 * run.ok ? run.tokensPerSecond : run.error.kind
 */
import type { BenchRun } from './bench.js';
import { ProviderError } from './errors.js';
import type { Provider, ProviderRequest, ProviderResult, StreamEvent } from './provider.js';
import type { Redactor } from './redact.js';

export async function measure(
  provider: Provider,
  run: number,
  request: ProviderRequest,
  stream: boolean,
  redactor: Redactor,
  signal?: AbortSignal,
): Promise<BenchRun> {
  const started = performance.now();
  try {
    let result: ProviderResult;
    let tokensPerSecond: number | null;
    if (stream) {
      const timed = await drainTimed(provider.stream(request, signal));
      result = timed.result;
      tokensPerSecond = decodeRate(result.usage.output, timed.chunks);
    } else {
      result = await provider.generate(request, signal);
      tokensPerSecond = result.timings.totalMs > 0 ? result.usage.output / (result.timings.totalMs / 1000) : null;
    }
    return {
      provider: provider.id,
      model: result.model,
      run,
      ok: true,
      ttftMs: result.timings.ttftMs,
      totalMs: result.timings.totalMs,
      tokensPerSecond,
      usage: { input: result.usage.input, output: result.usage.output, cached: result.usage.cached },
      costUsd: result.costUsd,
    };
  } catch (thrown) {
    const error = thrown instanceof ProviderError ? thrown : new ProviderError('server', String(thrown), { provider: provider.id });
    return {
      provider: provider.id,
      model: provider.model,
      run,
      ok: false,
      error: { kind: error.kind, message: redactor.text(error.summary()) },
      ttftMs: null,
      totalMs: performance.now() - started,
      tokensPerSecond: null,
      usage: { input: 0, output: 0, cached: 0 },
      costUsd: null,
    };
  }
}

/** When each content chunk of a stream arrived and how much it carried (characters of text or tool input). */
export interface ChunkSample {
  atMs: number;
  size: number;
}

async function drainTimed(events: AsyncIterable<StreamEvent>): Promise<{ result: ProviderResult; chunks: ChunkSample[] }> {
  const chunks: ChunkSample[] = [];
  for await (const event of events) {
    if (event.type === 'text') chunks.push({ atMs: performance.now(), size: event.text.length });
    else if (event.type === 'tool-call') chunks.push({ atMs: performance.now(), size: JSON.stringify(event.call.input ?? null).length });
    else if (event.type === 'finish') return { result: event.result, chunks };
    else if (event.type === 'incomplete') throw event.error;
  }
  throw new ProviderError('stream-cut', 'the stream ended without a result');
}

/**
 * Output tokens per second counted after the first chunk: the tokens that arrived after it
 * (the output's share carried by the later chunks) over the time from the first chunk to the
 * last. The first chunk is left out on both sides, so a slow prompt phase does not hide a fast
 * decoder and a chunk that arrives with the first one does not inflate it. Null when a single
 * chunk (or none) leaves no interval to measure.
 *
 * @example decodeRate(10, [{ atMs: 100, size: 2 }, { atMs: 150, size: 9 }, { atMs: 200, size: 9 }]) // 90 (9 tokens in 0.1 s)
 */
export function decodeRate(outputTokens: number, chunks: readonly ChunkSample[]): number | null {
  if (chunks.length < 2) return null;
  const seconds = (chunks.at(-1)!.atMs - chunks[0]!.atMs) / 1000;
  let total = 0;
  for (const chunk of chunks) total += chunk.size;
  if (seconds <= 0 || total === 0) return null;
  return (outputTokens * (total - chunks[0]!.size)) / total / seconds;
}
