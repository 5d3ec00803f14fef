/**
 * A scriptable LLM server on 127.0.0.1 for tests and benches. It speaks the real wire formats the
 * client libraries expect — OpenAI Chat Completions (JSON and SSE), Anthropic Messages (JSON and
 * SSE with named events), Ollama `/api/chat` (JSON and NDJSON), codex-flow's own HTTP protocol
 * (JSON and SSE), and the embedding endpoints OpenAI `/v1/embeddings` and Ollama `/api/embed`
 * (provider-server-embeddings.ts) — so provider tests drive `@ai-sdk/*` and `ollama-ai-provider-v2` end to end.
 *
 * Each request takes the next queued {@link Script} for its wire (or the default one). A script
 * sets latency, time to first token, token rate, tool calls, usage, error statuses with
 * `Retry-After` and rate-limit headers, and stream faults: a stall, a cut connection, a clean end
 * without the terminal event, a malformed chunk.
 *
 * Test fixture only: nothing under src/ imports it.
 *
 * @example
 * const server = await startProviderServer();
 * server.enqueue('openai', { status: 429, retryAfter: 2 }, { text: 'hello there' });
 * const baseURL = server.baseUrl('openai'); // http://127.0.0.1:PORT/openai/v1
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatOpenAI, formatAnthropic, formatOllama, formatCodexFlow, type WireFormatter } from './provider-server-wire.js';
import { embeddingBody } from './provider-server-embeddings.js';

export type Wire = 'openai' | 'anthropic' | 'ollama' | 'http';

export interface ScriptedToolCall {
  id?: string;
  name: string;
  input: unknown;
}

export interface Script {
  /** Non-2xx answers with an error body in the wire's own shape. */
  status?: number;
  errorType?: string;
  errorMessage?: string;
  /** Seconds, sent as `retry-after`. */
  retryAfter?: number;
  /** Requests left out of the limit; sent as the wire's rate-limit headers. */
  rateLimit?: { remaining: number; limit: number; resetSeconds?: number };
  headers?: Record<string, string>;
  /** Delay before the response headers. */
  latencyMs?: number;
  /** Delay between the headers and the first content chunk (streaming). */
  ttftMs?: number;
  /** Delay between content chunks (streaming). */
  chunkIntervalMs?: number;
  text?: string;
  toolCalls?: ScriptedToolCall[];
  usage?: { input?: number; output?: number; cached?: number };
  /** OpenAI wire: send no usage at all (servers without `include_usage`, or a gateway that drops it). */
  omitUsage?: boolean;
  model?: string;
  /** A stream fault after this many content chunks; `malformed` and `cut` also break a JSON body. */
  fault?: { kind: 'stall' | 'cut' | 'end' | 'malformed'; afterChunks: number };
  /** Embedding endpoints: these vectors instead of the text's fixture vectors (a wrong count or shape). */
  vectors?: number[][];
}

export interface RecordedRequest {
  wire: Wire;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

export type ScriptSource = Script | ((request: RecordedRequest) => Script);

export interface ProviderServer {
  url: string;
  /** Base URL to hand to a client library for this wire. */
  baseUrl(wire: Wire): string;
  enqueue(wire: Wire, ...scripts: ScriptSource[]): void;
  setDefault(wire: Wire, script: ScriptSource): void;
  requests: RecordedRequest[];
  reset(): void;
  close(): Promise<void>;
}

const FORMATTERS: Record<Wire, WireFormatter> = {
  openai: formatOpenAI,
  anthropic: formatAnthropic,
  ollama: formatOllama,
  http: formatCodexFlow,
};

const ROUTES: Array<{ wire: Wire; path: string; embeddings?: true }> = [
  { wire: 'openai', path: '/openai/v1/chat/completions' },
  { wire: 'openai', path: '/openai/v1/embeddings', embeddings: true },
  { wire: 'ollama', path: '/ollama/api/embed', embeddings: true },
  { wire: 'anthropic', path: '/anthropic/v1/messages' },
  { wire: 'ollama', path: '/ollama/api/chat' },
  { wire: 'http', path: '/http/v1/generate' },
];

const BASE_PATHS: Record<Wire, string> = {
  openai: '/openai/v1',
  anthropic: '/anthropic/v1',
  ollama: '/ollama/api',
  http: '/http',
};

const delay = (ms: number | undefined) => (ms && ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

export async function startProviderServer(): Promise<ProviderServer> {
  const queues = new Map<Wire, ScriptSource[]>();
  const defaults = new Map<Wire, ScriptSource>();
  const requests: RecordedRequest[] = [];

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.keepAliveTimeout = 1_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const route = ROUTES.find((r) => r.path === req.url);
    const raw = await readBody(req);
    if (!route || req.method !== 'POST') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    const body = raw ? JSON.parse(raw) : {};
    const recorded: RecordedRequest = { wire: route.wire, path: route.path, headers: req.headers, body };
    requests.push(recorded);
    const source = queues.get(route.wire)?.shift() ?? defaults.get(route.wire) ?? { text: 'ok' };
    const script = typeof source === 'function' ? source(recorded) : source;
    await delay(script.latencyMs);
    const formatter = FORMATTERS[route.wire];
    const headers = { ...formatter.rateLimitHeaders(script), ...(script.headers ?? {}) };
    if (script.retryAfter !== undefined) headers['retry-after'] = String(script.retryAfter);
    if (script.status && script.status >= 400) {
      res.writeHead(script.status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(formatter.error(script)));
      return;
    }
    const streaming = !route.embeddings && formatter.isStreaming(body, req.headers);
    if (!streaming) {
      res.writeHead(200, { 'content-type': 'application/json', ...headers });
      const json = JSON.stringify(route.embeddings ? embeddingBody(route.wire, body, script) : formatter.json(script, body));
      // Body faults: half the JSON, then a clean end (malformed) or a dropped connection (cut).
      if (script.fault?.kind === 'malformed') res.end(json.slice(0, json.length >> 1));
      else if (script.fault?.kind === 'cut') {
        res.write(json.slice(0, json.length >> 1));
        await delay(5);
        res.socket?.destroy();
      } else res.end(json);
      return;
    }
    res.writeHead(200, { 'content-type': formatter.streamContentType, 'cache-control': 'no-cache', ...headers });
    res.flushHeaders();
    await writeStream(res, formatter, script, body);
  }

  async function writeStream(res: ServerResponse, formatter: WireFormatter, script: Script, body: any) {
    const frames = formatter.stream(script, body);
    let content = 0;
    const fault = script.fault;
    for (const frame of frames.prelude) res.write(frame);
    for (const [index, frame] of frames.content.entries()) {
      await delay(index === 0 ? script.ttftMs : script.chunkIntervalMs);
      if (fault && content === fault.afterChunks) {
        if (await applyFault(res, fault.kind, formatter)) return;
      }
      if (res.destroyed) return;
      res.write(frame);
      content++;
    }
    if (fault && content === fault.afterChunks && (await applyFault(res, fault.kind, formatter))) return;
    for (const frame of frames.trailer) res.write(frame);
    res.end();
  }

  /** Returns true when the fault ends the response. */
  async function applyFault(res: ServerResponse, kind: NonNullable<Script['fault']>['kind'], formatter: WireFormatter) {
    if (kind === 'malformed') {
      res.write(formatter.malformedFrame);
      return false;
    }
    if (kind === 'cut') {
      // Give the bytes already written a moment to reach the client, then drop the connection.
      await delay(5);
      res.socket?.destroy();
      return true;
    }
    if (kind === 'end') {
      res.end();
      return true;
    }
    return true; // stall: keep the connection open and send nothing more
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    baseUrl: (wire) => `${url}${BASE_PATHS[wire]}`,
    enqueue(wire, ...scripts) {
      const queue = queues.get(wire) ?? [];
      queue.push(...scripts);
      queues.set(wire, queue);
    },
    setDefault(wire, script) {
      defaults.set(wire, script);
    },
    requests,
    reset() {
      queues.clear();
      defaults.clear();
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
