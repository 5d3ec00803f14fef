/**
 * The hook's client of a running `codex-flow serve`: `POST /v1/route` with the `route` options,
 * answered with the `route --json` body. A server that does not answer within `timeoutMs`
 * (connect and response together), refuses the token or answers something else is "unavailable",
 * and the hook routes by itself instead: the server only makes a route faster, never required.
 * node:http rather than fetch: it loads in a fraction of the time, and the hook starts cold on
 * every prompt. The body's fields the hook reads are checked before they are used, here and for
 * the CLI child's answer (local-route.ts): either source can answer with something else.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { RouteCandidate, RouteResult } from '../router/types.js';

export interface RouteBody {
  ok: boolean;
  result?: Pick<RouteResult, 'candidates' | 'fallback'>;
  diagnostics: ReadonlyArray<{ code: string; severity: string; message: string }>;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function isCandidate(value: unknown): value is RouteCandidate {
  return (
    isObject(value) &&
    typeof value.id === 'string' &&
    typeof value.score === 'number' &&
    Array.isArray(value.stages) &&
    Array.isArray(value.evidence)
  );
}

/** The body of `text`, or undefined when it is not a `route --json` body. */
export function readRouteBody(text: string): RouteBody | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(value) || typeof value.ok !== 'boolean') return undefined;
  const diagnostics = Array.isArray(value.diagnostics)
    ? value.diagnostics.filter(isObject).map((found) => ({
        code: String(found.code),
        severity: String(found.severity),
        message: String(found.message),
      }))
    : [];
  if (value.result === undefined) return { ok: value.ok, diagnostics };
  const result = value.result;
  if (!isObject(result) || !Array.isArray(result.candidates) || !result.candidates.every(isCandidate)) return undefined;
  const fallback = isObject(result.fallback) ? (result.fallback as unknown as RouteResult['fallback']) : undefined;
  return { ok: value.ok, result: { candidates: result.candidates, ...(fallback ? { fallback } : {}) }, diagnostics };
}

/** Caps what is read of an answer: a route body is kilobytes; more is not a route body. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export type ServerAnswer = { kind: 'answer'; body: RouteBody } | { kind: 'unavailable'; reason: string };

export interface ServerRouteRequest {
  task: string;
  files?: string[];
  top?: number;
  /** false: no model reranker, whatever `router.rerank` says (the hook cannot wait for a model call). */
  rerank?: boolean;
}

/**
 * The server's base URL from CODEX_FLOW_SERVER; undefined when it is not set, `off` or not a URL.
 * There is no default address: whatever listens on a local port may be another user's process,
 * and the hook sends it the prompt and CODEX_FLOW_TOKEN, so only a server the user names is asked.
 */
export function serverUrl(env: Record<string, string | undefined>): URL | undefined {
  const setting = env.CODEX_FLOW_SERVER?.trim();
  if (!setting || setting === 'off') return undefined;
  try {
    const url = new URL(setting);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

export function askServer(base: URL, token: string | undefined, body: ServerRouteRequest, timeoutMs: number): Promise<ServerAnswer> {
  const url = new URL('v1/route', base.href.endsWith('/') ? base : `${base.href}/`);
  const payload = JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) };
  if (token) headers.authorization = `Bearer ${token}`;
  return new Promise((settle) => {
    let settled = false;
    const done = (answer: ServerAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      settle(answer);
    };
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method: 'POST', headers }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) done({ kind: 'unavailable', reason: 'answer too large' });
        else chunks.push(chunk);
      });
      response.on('end', () => {
        if (response.statusCode !== 200) return done({ kind: 'unavailable', reason: `HTTP ${response.statusCode}` });
        const parsed = readRouteBody(Buffer.concat(chunks).toString('utf8'));
        done(parsed ? { kind: 'answer', body: parsed } : { kind: 'unavailable', reason: 'not a route body' });
      });
      response.on('error', (error) => done({ kind: 'unavailable', reason: error.message }));
    });
    const timer = setTimeout(() => done({ kind: 'unavailable', reason: `no answer within ${timeoutMs} ms` }), timeoutMs);
    request.on('error', (error) => done({ kind: 'unavailable', reason: error.message }));
    request.end(payload);
  });
}
